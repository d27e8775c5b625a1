import { decideLead } from '../../domain/accounts/existing-owner.js';
import { countersAgainstCaps } from '../../domain/audit/decision-trace.js';
import { attributesModelReads } from '../../domain/audit/routed-lead.js';
import {
  type PeriodCap,
  periodCapReached,
  periodCapsAt,
  periodRoom,
} from '../../domain/availability/periods.js';
import {
  type CapacityConfig,
  type CapacityRules,
  headroom,
  newLimitByRatio,
  rulesFor,
  type StoredLeadCounts,
} from '../../domain/capacity/capacity.js';
import { startClock } from '../../domain/sla/index.js';
import type { CompiledModel, MatchResult } from '../../domain/territory/compile-model.js';
import { applyStateChange, snapshotOf, stateOf } from '../../domain/territory/distribution-state.js';
import type { Lead } from '../../domain/territory/lead.js';
import type { CapacityLimits, RepCounters } from '../../ports/assignment-ledger.js';
import type { LeadFields, LeadRouter, RoutingDecision } from '../../ports/lead-router.js';
import { DEFAULT_ROUTING_FIELDS, type RoutingFieldMap, routingLead } from './lead-fields.js';

/**
 * Intake's view of the production territory model: match, then distribute with headroom taken
 * from the stored rep counters, so reps at capacity are skipped with a reason before the
 * database is even asked.
 */
export function territoryRouter(
  model: CompiledModel,
  capacity: CapacityConfig,
  fieldMap: RoutingFieldMap = DEFAULT_ROUTING_FIELDS,
): LeadRouter {
  const participants = new Map<string, string[]>();
  for (const t of model.territories) {
    participants.set(t.id, [...new Set(t.groups.flatMap((g) => g.participants.map((p) => p.id)))]);
  }
  // Intake asks for a lead's territory (to batch its reads), then decides, again whenever another
  // writer moved the rotation: the lead is matched once, the first time it is asked about.
  const matched = new WeakMap<LeadFields, { lead: Lead; match: MatchResult }>();
  const matchOf = (fields: LeadFields) => {
    let known = matched.get(fields);
    if (!known) {
      const lead = routingLead(fields, fieldMap);
      known = { lead, match: model.match(lead) };
      matched.set(fields, known);
    }
    return known;
  };
  const capsAt = (repId: string, now: Date): PeriodCap[] =>
    periodCapsAt(
      rulesFor(capacity, repId),
      model.reps.get(repId)?.calendar.timeZone ?? model.model.timeZone,
      now.getTime(),
    );
  return {
    routedAttributes: [...attributesModelReads(model.model), ...Object.values(fieldMap)],
    ...(model.model.duplicates ? { duplicates: model.model.duplicates } : {}),
    territoryOf: (fields) => matchOf(fields).match.territory?.id,
    participantsOf: (territoryId) => participants.get(territoryId) ?? [],
    counterPeriods: (repIds, now) =>
      new Map(
        repIds.flatMap((repId) => {
          const ids = capsAt(repId, now).map((c) => c.id);
          return ids.length ? [[repId, ids] as const] : [];
        }),
      ),
    slaClock: (territoryId, repId, at, routedLead) =>
      startClock(model, territoryId, repId, at.getTime(), routedLead),
    decide: (fields: LeadFields, { snapshot, counters, now }): RoutingDecision => {
      const { lead, match } = matchOf(fields);
      const current = snapshotOf(snapshot);
      const caps = new Map<string, PeriodCap[]>();
      const capsOf = (repId: string) => {
        const known = caps.get(repId) ?? capsAt(repId, now);
        caps.set(repId, known);
        return known;
      };
      const context = {
        now,
        headroom: (repId: string) =>
          Math.min(
            repHeadroom(counters.get(repId), rulesFor(capacity, repId)),
            periodRoom(capsOf(repId), counters.get(repId)?.periodGiven),
          ),
        periodCapReached: (repId: string) =>
          periodCapReached(capsOf(repId), counters.get(repId)?.periodGiven),
      };
      const decision = decideLead(model, match, lead, current, context);
      const names = new Map([
        ...decision.candidates.map((c) => [c.repId, c.repName] as const),
        ...decision.trace.skipped.map((s) => [s.repId, s.repName] as const),
      ]);
      const against = new Map(
        [...names].map(([repId, repName]) => [
          repId,
          countersAgainstCaps(
            { id: repId, name: repName },
            storedCounts(counters.get(repId), rulesFor(capacity, repId)),
            rulesFor(capacity, repId),
            { caps: capsOf(repId), given: counters.get(repId)?.periodGiven },
          ),
        ]),
      );
      return {
        territoryId: decision.territoryId,
        candidates: decision.candidates.map((c) => ({
          repId: c.repId,
          repName: c.repName,
          groupId: c.groupId,
          ...(c.turn === undefined ? {} : { turn: c.turn }),
          reason: c.reason,
          nextState: stateOf(applyStateChange(current, c.stateChange)),
          limits: limitsOf(rulesFor(capacity, c.repId), capsOf(c.repId)),
          counters: against.get(c.repId)!,
        })),
        fallback: { ownerId: decision.fallback.ownerId, reason: decision.fallback.reason },
        trace: decision.trace,
        counters: [...against.values()],
        ...(decision.hold ? { hold: { reason: decision.reason } } : {}),
      };
    },
  };
}

/** A rep with no counters item yet: the store starts it at zero with the ratio bound of no leads in progress. */
function storedCounts(c: RepCounters | undefined, rules: CapacityRules): StoredLeadCounts {
  return c && !c.periodsOnly
    ? {
        open: c.openLeads,
        new: c.newLeads,
        inProgress: c.inProgressLeads,
        newLimitByRatio: c.newLimitByRatio,
      }
    : { open: 0, new: 0, inProgress: 0, newLimitByRatio: newLimitByRatio(0, rules) };
}

function limitsOf(rules: CapacityRules, periods: readonly PeriodCap[]): CapacityLimits {
  return {
    maxOpen: rules.maxOpen,
    maxNew: rules.maxNew,
    initialNewLimitByRatio: newLimitByRatio(0, rules),
    ...(periods.length ? { periods } : {}),
  };
}

function repHeadroom(counters: RepCounters | undefined, rules: CapacityRules): number {
  if (!counters || counters.periodsOnly) return headroom({ open: 0, new: 0, inProgress: 0 }, rules);
  const byCaps = headroom(
    { open: counters.openLeads, new: counters.newLeads, inProgress: counters.inProgressLeads },
    rules,
  );
  // The stored ratio bound is what the database condition checks; agree with it here.
  return counters.newLeads > counters.newLimitByRatio ? 0 : byCaps;
}
