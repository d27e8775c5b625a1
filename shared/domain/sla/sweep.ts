import type { RepSchedule } from '../availability/availability.js';
import { workingMinutesBetween } from '../availability/working-time.js';
import type { SlaClock } from './clock.js';

/** What Salesforce says about a lead when its clock is checked (one SOQL row). */
export interface LeadObservation {
  readonly id: string;
  readonly status: string | null;
  readonly ownerId: string | null;
  readonly isConverted: boolean;
  /** LastModifiedDate: an upper bound on when the status changed. */
  readonly lastModifiedMs?: number;
  /** The latest Task or Event on the lead (WhoId), by CreatedDate. */
  readonly lastActivityMs?: number;
}

export interface SweepContext {
  readonly nowMs: number;
  /** The capacity rules' "new" statuses: a lead still in one is untouched. */
  readonly isNewStatus: (status: string) => boolean;
  /** Intake queues and the integration user: the owner write-back has not landed yet. */
  readonly isReplaceableOwner: (ownerId: string) => boolean;
  /** The owner's working calendar, for speed-to-lead in working minutes (absent: wall-clock minutes). */
  readonly ownerSchedule?: RepSchedule;
}

export type ClockDecision =
  /** Touched: the clock stops; speed-to-lead in the owner's working minutes. */
  | {
      readonly kind: 'touched';
      readonly touchedAtMs: number;
      readonly by: 'activity' | 'status' | 'converted';
      readonly speedMinutes: number;
      /** Touched after the SLA fell due. */
      readonly late: boolean;
    }
  /** A person gave the lead to someone else, or it is gone: the clock stops without a verdict. */
  | { readonly kind: 'released'; readonly why: string }
  /** Our owner write-back has not reached Salesforce yet: look again next minute. */
  | { readonly kind: 'wait' }
  | { readonly kind: 'warn'; readonly minutesLeft: number }
  | { readonly kind: 'reroute'; readonly untouchedMinutes: number }
  /** Re-routed as often as the policy allows: to the queue or manager. */
  | { readonly kind: 'escalate'; readonly untouchedMinutes: number }
  | { readonly kind: 'not-yet' };

/**
 * The sweeper's decision for one pending clock, from the lead as Salesforce shows it now. Pure: the
 * moment, the status categories and the owner's calendar are arguments.
 */
export function decideClock(
  clock: SlaClock,
  lead: LeadObservation | undefined,
  context: SweepContext,
): ClockDecision {
  if (!lead) return { kind: 'released', why: 'the lead is no longer in Salesforce' };
  const assignedMs = Date.parse(clock.assignedAt);
  const dueMs = Date.parse(clock.dueAt);
  const touched = (touchedAtMs: number, by: 'activity' | 'status' | 'converted'): ClockDecision => ({
    kind: 'touched',
    touchedAtMs,
    by,
    speedMinutes: speedMinutes(assignedMs, touchedAtMs, context.ownerSchedule),
    late: touchedAtMs > dueMs,
  });
  const statusChangedMs = () =>
    Math.min(
      context.nowMs,
      lead.lastModifiedMs !== undefined && lead.lastModifiedMs >= assignedMs
        ? lead.lastModifiedMs
        : context.nowMs,
    );
  if (lead.isConverted) return touched(statusChangedMs(), 'converted');
  if (lead.ownerId !== clock.ownerId) {
    if (
      lead.ownerId === null ||
      context.isReplaceableOwner(lead.ownerId) ||
      clock.previousOwners.includes(lead.ownerId)
    ) {
      return { kind: 'wait' };
    }
    return { kind: 'released', why: 'the owner was changed in Salesforce' };
  }
  if (lead.lastActivityMs !== undefined && lead.lastActivityMs >= assignedMs) {
    return touched(Math.min(lead.lastActivityMs, context.nowMs), 'activity');
  }
  if (lead.status !== null && !context.isNewStatus(lead.status)) return touched(statusChangedMs(), 'status');
  if (context.nowMs >= dueMs) {
    const untouchedMinutes = clock.policy.firstTouchMinutes;
    return clock.reroutes < clock.policy.maxReroutes
      ? { kind: 'reroute', untouchedMinutes }
      : { kind: 'escalate', untouchedMinutes };
  }
  if (clock.warnAt !== undefined && !clock.warned && context.nowMs >= Date.parse(clock.warnAt)) {
    const left = context.ownerSchedule
      ? workingMinutesBetween(context.ownerSchedule, context.nowMs, dueMs)
      : (dueMs - context.nowMs) / 60_000;
    return { kind: 'warn', minutesLeft: Math.max(0, Math.round(left)) };
  }
  return { kind: 'not-yet' };
}

/** Working minutes of the owner from assignment to touch (wall-clock minutes without a calendar). */
export function speedMinutes(assignedMs: number, touchedMs: number, owner?: RepSchedule): number {
  if (touchedMs <= assignedMs) return 0;
  const minutes = owner
    ? workingMinutesBetween(owner, assignedMs, touchedMs)
    : (touchedMs - assignedMs) / 60_000;
  return Math.round(minutes * 10) / 10;
}
