import type { DistributionState, TerritoryDistribution } from '../domain/territory/distribution-state.js';
import type { CapacityLimits, RepCounters } from './assignment-ledger.js';

/** A lead as routing sees it: Salesforce field name → value (standard and custom fields). */
export type LeadFields = Record<string, string | null>;

export interface RoutingCandidate {
  repId: string;
  /** Why this rep, e.g. `Even rotation → Jane Doe (turn 17, 4 participants)`. */
  reason: string;
  /** Distribution state to store if this rep takes the lead. */
  nextState: DistributionState;
  /** The rep's caps, which the store checks as it records the lead. */
  limits: CapacityLimits;
}

export interface RoutingDecision {
  territoryId: string | undefined;
  /** Eligible reps, best first; the store tries them in order until a capacity condition holds. */
  candidates: RoutingCandidate[];
  /** The model's default owner/queue and why, used when no candidate can take the lead. */
  fallback: { ownerId: string; reason: string };
  /** Structured trace for the audit record. */
  trace: unknown;
}

/** Matching and distribution over the production territory model. */
export interface LeadRouter {
  /**
   * Lead fields the model's rules and distribution read, by Salesforce field name; with the fixed
   * routing set, the audit keeps these and nothing else (absent: the fixed set only).
   */
  readonly routedAttributes?: readonly string[];
  /** The territory a lead matches (highest priority), or undefined. */
  territoryOf(lead: LeadFields): string | undefined;
  /** Reps whose counters the decision for this territory needs. */
  participantsOf(territoryId: string): string[];
  decide(
    lead: LeadFields,
    context: { snapshot: TerritoryDistribution | undefined; counters: Map<string, RepCounters>; now: Date },
  ): RoutingDecision;
}
