import { attributesModelReads } from '../../domain/audit/routed-lead.js';
import { type CapacityConfig, headroom, rulesFor } from '../../domain/capacity/capacity.js';
import type { CompiledModel } from '../../domain/territory/compile-model.js';
import { distribute } from '../../domain/territory/distribution.js';
import {
  applyStateChange,
  EMPTY_SNAPSHOT,
  type DistributionSnapshot as TerritorySnapshot,
} from '../../domain/territory/distribution-state.js';
import type { DistributionSnapshot, RepCounters } from '../../ports/assignment-ledger.js';
import type { LeadFields, LeadRouter, RoutingDecision } from '../../ports/lead-router.js';
import { DEFAULT_ROUTING_FIELDS, type RoutingFieldMap, routingLead } from './lead-fields.js';

/** What the store keeps per territory besides the version: rotation turns and lead counts. */
interface StoredState {
  turns: Record<string, number>;
  counts: Record<string, number>;
}

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
  return {
    routedAttributes: [...attributesModelReads(model.model), ...Object.values(fieldMap)],
    territoryOf: (lead) => model.match(routingLead(lead, fieldMap)).territory?.id,
    participantsOf: (territoryId) => participants.get(territoryId) ?? [],
    decide: (fields: LeadFields, { snapshot, counters, now }): RoutingDecision => {
      const lead = routingLead(fields, fieldMap);
      const match = model.match(lead);
      const current = toTerritorySnapshot(snapshot);
      const decision = distribute(model, match, lead, current, {
        now,
        headroom: (repId) => repHeadroom(counters.get(repId), capacity, repId),
      });
      return {
        territoryId: decision.territoryId,
        candidates: decision.candidates.map((c) => {
          const next = applyStateChange(current, c.stateChange);
          return {
            repId: c.repId,
            reason: c.reason,
            nextState: { turns: next.turns, counts: next.counts } satisfies StoredState,
          };
        }),
        fallback: { ownerId: decision.fallback.ownerId, reason: decision.fallback.reason },
        trace: decision.trace,
      };
    },
  };
}

function toTerritorySnapshot(snapshot: DistributionSnapshot | undefined): TerritorySnapshot {
  if (!snapshot || snapshot.version === 0) return EMPTY_SNAPSHOT;
  const state = (snapshot.state ?? {}) as Partial<StoredState>;
  return { version: snapshot.version, turns: state.turns ?? {}, counts: state.counts ?? {} };
}

function repHeadroom(counters: RepCounters | undefined, capacity: CapacityConfig, repId: string): number {
  const rules = rulesFor(capacity, repId);
  if (!counters) return headroom({ open: 0, new: 0, inProgress: 0 }, rules);
  const byCaps = headroom(
    { open: counters.openLeads, new: counters.newLeads, inProgress: counters.inProgressLeads },
    rules,
  );
  // The stored ratio bound is what the database condition checks; agree with it here.
  return counters.newLeads > counters.newLimitByRatio ? 0 : byCaps;
}
