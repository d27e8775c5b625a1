import type { RepSchedule } from '../availability/availability.js';
import { addWorkingMinutes } from '../availability/working-time.js';
import type { SlaPolicy } from './policy.js';

/**
 * One assignment's SLA clock: started when a lead is given to a rep (intake, top-up, a held lead
 * released, a re-route), closed when the lead is touched, re-routed, escalated or taken by a person.
 */
export type SlaClockStatus = 'pending' | 'touched' | 'breached' | 'released';

export interface SlaClock {
  readonly leadId: string;
  /** The assignment this clock times (the ledger's change id). */
  readonly changeId: string;
  readonly ownerId: string;
  readonly territoryId: string;
  readonly assignedAt: string;
  readonly warnAt?: string;
  readonly dueAt: string;
  readonly warned: boolean;
  /** Re-routes this lead has had before this assignment. */
  readonly reroutes: number;
  /** Every rep that owned the lead before this one (a re-route never returns to them). */
  readonly previousOwners: readonly string[];
  readonly policy: SlaPolicy;
  /** The routed lead's rule attributes, so a re-route matches it again without reading Salesforce. */
  readonly routedLead: Readonly<Record<string, string | null>>;
  readonly status: SlaClockStatus;
}

/** The clock's due instants; undefined when the rep has no working time within a year (never due). */
export function clockTimes(
  policy: SlaPolicy,
  owner: RepSchedule,
  assignedAtMs: number,
): { dueAtMs: number; warnAtMs?: number } | undefined {
  const dueAtMs = addWorkingMinutes(owner, assignedAtMs, policy.firstTouchMinutes);
  if (dueAtMs === undefined) return undefined;
  const warnAtMs =
    policy.warnAt === undefined
      ? undefined
      : addWorkingMinutes(owner, assignedAtMs, policy.firstTouchMinutes * policy.warnAt);
  return warnAtMs === undefined ? { dueAtMs } : { dueAtMs, warnAtMs };
}

/** When the sweeper next looks at a pending clock: the warning first, then the due time. */
export function nextCheckAt(clock: Pick<SlaClock, 'warnAt' | 'dueAt' | 'warned'>): string {
  return clock.warnAt !== undefined && !clock.warned ? clock.warnAt : clock.dueAt;
}
