/**
 * A territory's service-level agreement on first touch: the owner must touch a new lead (its status
 * leaves the "new" statuses, or an activity is logged) within N of their working minutes. Past a
 * share of it the owner is warned; past all of it the lead moves to another rep of the territory,
 * at most `maxReroutes` times, then to a queue or the owner's manager.
 */
export type SlaEscalation =
  | { readonly to: 'manager' }
  /** A queue id of the model; absent: the model's default owner. */
  | { readonly to: 'queue'; readonly queue?: string };

export interface SlaPolicy {
  /** Working minutes of the owner's calendar. */
  readonly firstTouchMinutes: number;
  /** Share of the SLA (0 < warnAt < 1) after which the owner is warned; absent: no warning. */
  readonly warnAt?: number;
  readonly maxReroutes: number;
  readonly escalateTo: SlaEscalation;
}

export const DEFAULT_SLA_ESCALATION: SlaEscalation = { to: 'queue' };
