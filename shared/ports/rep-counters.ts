import type { LeadCounts } from '../domain/capacity/capacity.js';

export interface RepCounterStore {
  /**
   * Set a rep's counters to the CRM's counts plus the leads this system gave the rep that the
   * CRM does not show yet, atomically, so increments made meanwhile by intake are kept.
   */
  reconcile(repId: string, counts: LeadCounts, newLimitByRatio: number, at: string): Promise<void>;
}
