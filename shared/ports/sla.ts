import type { LeadObservation, SlaClock } from '../domain/sla/index.js';

/** What the sweeper reads from Salesforce: one query per up to 2,000 leads. */
export interface LeadTouchReader {
  /** The leads as Salesforce shows them now, with their latest activity; a lead it lacks is absent. */
  observe(leadIds: readonly string[]): Promise<Map<string, LeadObservation>>;
  /** User id → ManagerId, for users that have a manager. */
  managers(userIds: readonly string[]): Promise<Map<string, string>>;
}

/** How a clock stopped without a re-route. */
export type ClockClose =
  | {
      status: 'touched';
      at: string;
      touchedAt: string;
      by: 'activity' | 'status' | 'converted';
      speedMinutes: number;
      late: boolean;
    }
  | { status: 'released'; at: string; why: string };

/** A closed clock, as the speed-to-lead report reads it. */
export interface ClosedClock {
  leadId: string;
  ownerId: string;
  territoryId: string;
  assignedAt: string;
  closedAt: string;
  status: 'touched' | 'breached' | 'released';
  speedMinutes?: number;
  breached: boolean;
}

/** SLA clocks in the store. Every write is conditional on the clock still being pending. */
export interface SlaClockStore {
  /** Pending clocks whose next check (warning or due time) is at or before `now`, oldest first. */
  due(now: string, limit: number): Promise<SlaClock[]>;
  /** Claims the one warning of a clock; false when a concurrent sweep (or a close) got there first. */
  markWarned(clock: SlaClock, at: string): Promise<boolean>;
  /** False when the clock was no longer pending. */
  close(clock: SlaClock, outcome: ClockClose): Promise<boolean>;
  /** Look again at `until` (our owner write-back has not reached Salesforce yet). */
  postpone(clock: SlaClock, until: string): Promise<void>;
  /** Clocks closed at or after `since` (report). */
  closedSince(since: string): Promise<ClosedClock[]>;
}
