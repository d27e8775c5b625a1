import type { CountersAgainstCaps } from '../domain/audit/decision-trace.js';
import type { ClockStart } from '../domain/sla/index.js';
import type { DecisionTrace } from '../domain/territory/distribution.js';
import type { DistributionState, TerritoryDistribution } from '../domain/territory/distribution-state.js';
import type { DuplicateRule } from '../domain/territory/model.js';
import type { CapacityLimits, RepCounters } from './assignment-ledger.js';

/** A lead as routing sees it: Salesforce field name → value (standard and custom fields). */
export type LeadFields = Record<string, string | null>;

export interface RoutingCandidate {
  repId: string;
  repName: string;
  groupId: string;
  /** The rotation turn this choice takes, when the method rotates. */
  turn?: number;
  /** The reason to record if this rep takes the lead, verdict first (see domain/audit/reason.ts), e.g. `→ Jane Doe, Toronto Core, even rotation; …`. */
  reason: string;
  /** Distribution state to store if this rep takes the lead. */
  nextState: DistributionState;
  /** The rep's counters against caps as this decision read them, for the trace. */
  counters?: CountersAgainstCaps;
  /** The rep's caps, which the store checks as it records the lead. */
  limits: CapacityLimits;
}

export interface RoutingDecision {
  territoryId: string | undefined;
  /** Eligible reps, best first; the store tries them in order until a capacity condition holds. */
  candidates: RoutingCandidate[];
  /** The model's default owner/queue and why, used when no candidate can take the lead. */
  fallback: { ownerId: string; reason: string };
  /** The distribution's trace (territory, matched values, skipped reps); intake adds what the database decided. */
  trace: DecisionTrace;
  /** Counters against caps of every participant the decision read (candidates and reps skipped as full). */
  counters?: CountersAgainstCaps[];
  /** Nobody of the territory is on shift and it holds such leads: record a hold (reason in `hold.reason`). */
  hold?: { reason: string };
}

/** Matching and distribution over the production territory model. */
export interface LeadRouter {
  /**
   * Lead fields the model's rules and distribution read, by Salesforce field name; with the fixed
   * routing set, the audit keeps these and nothing else (absent: the fixed set only).
   */
  readonly routedAttributes?: readonly string[];
  /** The model's duplicate rule: intake looks the lead's e-mail up in the duplicate index when set. */
  readonly duplicates?: DuplicateRule;
  /** The territory a lead matches (highest priority), or undefined. */
  territoryOf(lead: LeadFields): string | undefined;
  /** Reps whose counters the decision for this territory needs. */
  participantsOf(territoryId: string): string[];
  /**
   * The period counters (`day:2026-12-02`, `week:2026-11-30`) the decision needs per rep at `now`,
   * read with the rep counters; reps without per-day or per-week caps are absent.
   */
  counterPeriods?(repIds: string[], now: Date): Map<string, string[]>;
  decide(
    lead: LeadFields,
    context: { snapshot: TerritoryDistribution | undefined; counters: Map<string, RepCounters>; now: Date },
  ): RoutingDecision;
  /** The SLA clock of a lead given to this rep now, when the territory has an SLA (see domain/sla). */
  slaClock?(
    territoryId: string | undefined,
    repId: string,
    at: Date,
    routedLead: Readonly<Record<string, string | null>>,
  ): ClockStart | undefined;
}
