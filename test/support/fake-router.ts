import type { LeadFields, LeadRouter, RoutingDecision } from '../../shared/ports/lead-router.js';

/**
 * A hand-written router for intake tests: one territory, strict rotation over `reps` by a turn
 * counter kept in the distribution state, skipping reps whose known counters are at the cap.
 */
export function rotationRouter(options: {
  reps: string[];
  defaultOwnerId: string;
  maxNew: number;
  territoryId?: string;
  /** Leads whose PostalCode starts with this match; others go to the default owner. */
  postalPrefix?: string;
}): LeadRouter {
  const territoryId = options.territoryId ?? 'T-ROTATION';
  const matches = (lead: LeadFields) =>
    !options.postalPrefix || (lead.PostalCode ?? '').toUpperCase().startsWith(options.postalPrefix);
  return {
    territoryOf: (lead) => (matches(lead) ? territoryId : undefined),
    participantsOf: () => options.reps,
    decide: (lead, { snapshot, counters }): RoutingDecision => {
      const fallback = { ownerId: options.defaultOwnerId, reason: 'No eligible rep; default queue' };
      if (!matches(lead))
        return {
          territoryId: undefined,
          candidates: [],
          fallback: { ...fallback, reason: 'No territory matched' },
          trace: { evaluated: 1, groups: [], skipped: [], fallback: 'no-match' },
        };
      const turn = snapshot?.state.turns.rotation ?? 0;
      const candidates = options.reps
        .map((_, i) => (turn + i) % options.reps.length)
        .map((index) => ({ index, repId: options.reps[index]! }))
        .filter(({ repId }) => (counters.get(repId)?.newLeads ?? 0) < options.maxNew)
        .map(({ index, repId }) => ({
          repId,
          repName: repId,
          groupId: 'G-ROTATION',
          turn,
          reason: `→ ${repId}, rotation (turn ${turn})`,
          nextState: { turns: { rotation: index + 1 }, counts: {} },
          // No ratio rule: the new-lead bound is never the one that refuses.
          limits: { maxOpen: 250, maxNew: options.maxNew, initialNewLimitByRatio: Number.MAX_SAFE_INTEGER },
        }));
      return { territoryId, candidates, fallback, trace: { evaluated: 1, groups: [], skipped: [] } };
    },
  };
}
