import type { CompiledModel } from '../territory/compile-model.js';
import { clockTimes } from './clock.js';
import type { SlaPolicy } from './policy.js';

/** What a new clock needs besides its lead, owner and assignment (see SlaClockStart in the ledger port). */
export interface ClockStart {
  readonly territoryId: string;
  readonly dueAt: string;
  readonly warnAt?: string;
  readonly reroutes: number;
  readonly previousOwners: readonly string[];
  readonly policy: SlaPolicy;
  readonly routedLead: Readonly<Record<string, string | null>>;
}

/**
 * The clock of a lead given to a rep of a territory with an SLA, timed on the rep's calendar; undefined
 * when the territory has no SLA, the owner is not a rep of the model, or the rep has no working time.
 */
export function startClock(
  model: CompiledModel,
  territoryId: string | undefined,
  ownerId: string,
  atMs: number,
  routedLead: Readonly<Record<string, string | null>>,
  history: { reroutes: number; previousOwners: readonly string[]; policy?: SlaPolicy } = {
    reroutes: 0,
    previousOwners: [],
  },
): ClockStart | undefined {
  if (territoryId === undefined) return undefined;
  const policy = model.territory(territoryId)?.definition.sla ?? history.policy;
  const rep = model.reps.get(ownerId);
  if (!policy || !rep) return undefined;
  const times = clockTimes(policy, rep, atMs);
  if (!times) return undefined;
  return {
    territoryId,
    dueAt: new Date(times.dueAtMs).toISOString(),
    ...(times.warnAtMs === undefined ? {} : { warnAt: new Date(times.warnAtMs).toISOString() }),
    reroutes: history.reroutes,
    previousOwners: history.previousOwners,
    policy,
    routedLead,
  };
}
