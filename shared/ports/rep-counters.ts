import type { LeadCounts } from '../domain/capacity/capacity.js';

/**
 * Rep counters reconciled to the CRM, safely beside concurrent intake and write-back:
 * `beginReconcile` before the CRM's counts are read, `reconcile` after (see DynamoRepCounters).
 */
export interface RepCounterStore {
  /** Remember, per rep, the leads given here that the CRM may not show yet (a new reconcile window). */
  beginReconcile(repIds: string[]): Promise<void>;
  /**
   * Set a rep's counters to the CRM's counts plus the leads given here since `beginReconcile`,
   * atomically, so increments made meanwhile by intake are kept.
   */
  reconcile(repId: string, counts: LeadCounts, newLimitByRatio: number, at: string): Promise<void>;
}
