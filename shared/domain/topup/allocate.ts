import { type CountersAgainstCaps, countersAgainstCaps } from '../audit/decision-trace.js';
import { reasonText, repVerdict } from '../audit/reason.js';
import { availabilityAt } from '../availability/availability.js';
import { type PeriodCap, type PeriodCounts, periodCapReached, periodRoom } from '../availability/periods.js';
import {
  type CapacityRules,
  headroomForRun,
  type LeadCounts,
  ratioRulePasses,
  type StoredLeadCounts,
} from '../capacity/capacity.js';
import type { CompiledModel, CompiledRep, CompiledTerritory } from '../territory/compile-model.js';
import type { Lead } from '../territory/lead.js';

/**
 * Top-up allocation (README "Capacity and top-up"), pure: each pool lead goes to its territory's eligible reps,
 * never beyond a rep's headroom for the run, spread by performance — the next lead of a territory
 * goes to the eligible rep with the fewest leads so far relative to their score (weighted fair
 * sharing), so a rep scoring 0.8 ends up with about twice the leads of one scoring 0.4 instead of
 * the best rep being filled first. Same input, same plan.
 */
export type PoolOrder = 'oldest' | 'score';

export interface PoolLead {
  readonly id: string;
  /** The queue (or user) that owns it now. */
  readonly ownerId: string;
  /** CreatedDate as epoch milliseconds. */
  readonly createdAtMs: number;
  /** Lead score when the org has one; null sorts last. */
  readonly score: number | null;
  /** The fields territory rules test. */
  readonly fields: Lead;
}

export interface TopUpRep {
  readonly id: string;
  /** Counters as the store holds them after reconciliation. */
  readonly counts: StoredLeadCounts;
  readonly rules: CapacityRules;
  /** Performance score in [0, 1]. */
  readonly performance: number;
  /** Per-day / per-week caps of the rep's current local periods and the leads given in each so far. */
  readonly periods?: { readonly caps: readonly PeriodCap[]; readonly given: PeriodCounts };
}

export interface AllocationInput {
  readonly runId: string;
  readonly model: Pick<CompiledModel, 'match' | 'reps'>;
  /** Every rep that may take leads, keyed by id; participants missing here take none. */
  readonly reps: ReadonlyMap<string, TopUpRep>;
  readonly pool: readonly PoolLead[];
  readonly order: PoolOrder;
  readonly now: Date | number;
}

export interface Allocation {
  readonly leadId: string;
  readonly previousOwnerId: string;
  readonly repId: string;
  readonly repName: string;
  readonly territoryId: string;
  readonly territoryName: string;
  /** The territory's priority, category path and the lead values its rule matched, for the trace. */
  readonly match: {
    readonly priority: number;
    readonly path: readonly string[];
    readonly matchedBy: readonly string[];
  };
  /** The rep's counters against their caps just before this lead, for the trace (never the reason). */
  readonly counters: CountersAgainstCaps;
  /** The rep's per-day / per-week caps, which the store checks as it records the lead. */
  readonly periodCaps?: readonly PeriodCap[];
  readonly performance: number;
  /** The rep's new-lead count and run headroom just before this lead. */
  readonly newBefore: number;
  readonly headroomBefore: number;
  /** e.g. `→ Priya Sharma, Toronto Core, top-up; top-up run R: 12/40 new, headroom 28`. */
  readonly reason: string;
}

export type LeftReason =
  | 'no-territory'
  | 'no-eligible-rep'
  | 'no-headroom'
  | 'duplicate'
  /** Set when applying: the database refused (see the application layer). */
  | 'already-assigned'
  | 'capacity-reached'
  | 'not-recorded';

export interface LeftInPool {
  readonly leadId: string;
  readonly reason: LeftReason;
  readonly detail: string;
}

export interface RepTerritoryShare {
  readonly territoryId: string;
  readonly territoryName: string;
  readonly given: number;
  /** Reason of the last lead the rep got in this territory. */
  readonly reason: string;
}

export interface RepOutcome {
  readonly repId: string;
  readonly repName: string;
  readonly performance: number;
  readonly before: LeadCounts;
  readonly after: LeadCounts;
  /** How many leads the rep could take this run (see capacity.headroomForRun). */
  readonly headroom: number;
  readonly given: number;
  readonly territories: readonly RepTerritoryShare[];
  /** Why a rep got nothing, e.g. `out of office until 2026-11-30` or `ratio rule: 40% in progress < 55%`. */
  readonly note?: string;
}

export interface TopUpPlan {
  readonly allocations: readonly Allocation[];
  readonly leftInPool: readonly LeftInPool[];
  readonly reps: readonly RepOutcome[];
}

/** Poorly scoring reps still get a share, just a small one. */
const MIN_SHARE_WEIGHT = 0.05;

interface RepRunState {
  readonly rep: TopUpRep;
  readonly name: string;
  readonly weight: number;
  remaining: number;
  given: number;
  newNow: number;
}

interface TerritorySlate {
  readonly territory: CompiledTerritory;
  /** Available reps, best performance first (the tie-break order). */
  readonly eligible: readonly RepRunState[];
  readonly unavailable: string;
  exhausted?: string;
}

export function allocateTopUp(input: AllocationInput): TopUpPlan {
  const nowMs = typeof input.now === 'number' ? input.now : input.now.getTime();
  const states = new Map<string, RepRunState>();
  const unavailableWhy = new Map<string, string>();
  const offShiftWhy = new Map<string, string>();
  for (const rep of input.reps.values()) {
    const compiled = input.model.reps.get(rep.id);
    const why = compiled ? unavailability(compiled, nowMs) : 'not in the territory model';
    if (why) unavailableWhy.set(rep.id, why);
    const off = compiled && !why ? offShift(compiled, nowMs) : undefined;
    if (off) offShiftWhy.set(rep.id, off);
    states.set(rep.id, {
      rep,
      name: compiled?.name ?? rep.id,
      weight: Math.max(MIN_SHARE_WEIGHT, rep.performance),
      remaining: why ? 0 : runRoom(rep),
      given: 0,
      newNow: rep.counts.new,
    });
  }

  const slates = new Map<string, TerritorySlate>();
  const slateOf = (territory: CompiledTerritory): TerritorySlate => {
    let slate = slates.get(territory.id);
    if (!slate) {
      slate = buildSlate(territory, states, unavailableWhy, offShiftWhy, input.model.reps);
      slates.set(territory.id, slate);
    }
    return slate;
  };

  const allocations: Allocation[] = [];
  const leftInPool: LeftInPool[] = [];
  const seen = new Set<string>();
  const shares = new Map<
    string,
    Map<string, { territory: CompiledTerritory; given: number; reason: string }>
  >();

  for (const lead of ordered(input.pool, input.order)) {
    if (seen.has(lead.id)) {
      leftInPool.push({ leadId: lead.id, reason: 'duplicate', detail: 'Listed twice in the pool' });
      continue;
    }
    seen.add(lead.id);
    const match = input.model.match(lead.fields);
    const territory = match.territory;
    if (!territory) {
      leftInPool.push({ leadId: lead.id, reason: 'no-territory', detail: 'No territory matched' });
      continue;
    }
    const slate = slateOf(territory);
    if (slate.eligible.length === 0) {
      leftInPool.push({ leadId: lead.id, reason: 'no-eligible-rep', detail: slate.unavailable });
      continue;
    }
    const chosen = pick(slate.eligible);
    if (!chosen) {
      slate.exhausted ??= `Every eligible rep of ${territory.name} is at capacity for this run`;
      leftInPool.push({ leadId: lead.id, reason: 'no-headroom', detail: slate.exhausted });
      continue;
    }
    const { rep } = chosen;
    // The performance score orders reps but stays out of the reason (the allocation keeps it).
    const reason = reasonText({
      verdict: repVerdict(chosen.name, territory.name, 'top-up'),
      details: [
        `top-up run ${input.runId}: ${chosen.newNow}/${rep.rules.maxNew} new, headroom ${chosen.remaining}`,
      ],
    });
    allocations.push({
      leadId: lead.id,
      previousOwnerId: lead.ownerId,
      repId: rep.id,
      repName: chosen.name,
      territoryId: territory.id,
      territoryName: territory.name,
      match: { priority: territory.priority, path: territory.path, matchedBy: match.matchedBy },
      counters: countersAgainstCaps(
        { id: rep.id, name: chosen.name },
        {
          open: rep.counts.open + chosen.given,
          new: chosen.newNow,
          inProgress: rep.counts.inProgress,
          newLimitByRatio: rep.counts.newLimitByRatio,
        },
        rep.rules,
        rep.periods ? { caps: rep.periods.caps, given: givenAfter(rep.periods, chosen.given) } : undefined,
      ),
      ...(rep.periods?.caps.length ? { periodCaps: rep.periods.caps } : {}),
      performance: rep.performance,
      newBefore: chosen.newNow,
      headroomBefore: chosen.remaining,
      reason,
    });
    chosen.remaining--;
    chosen.given++;
    chosen.newNow++;
    let byTerritory = shares.get(rep.id);
    if (!byTerritory) {
      byTerritory = new Map();
      shares.set(rep.id, byTerritory);
    }
    const share = byTerritory.get(territory.id);
    if (share) {
      share.given++;
      share.reason = reason;
    } else byTerritory.set(territory.id, { territory, given: 1, reason });
  }

  return { allocations, leftInPool, reps: repOutcomes(input, allocations, unavailableWhy, offShiftWhy) };
}

/**
 * Per-rep before/after for a set of allocations — the plan's, or after applying, only those the
 * database accepted.
 */
export function repOutcomes(
  input: Pick<AllocationInput, 'model' | 'reps' | 'now'>,
  allocations: readonly Allocation[],
  unavailableWhy?: ReadonlyMap<string, string>,
  offShiftWhy?: ReadonlyMap<string, string>,
): RepOutcome[] {
  const nowMs = typeof input.now === 'number' ? input.now : input.now.getTime();
  const byRep = new Map<string, Allocation[]>();
  for (const a of allocations) {
    const list = byRep.get(a.repId);
    if (list) list.push(a);
    else byRep.set(a.repId, [a]);
  }
  const outcomes: RepOutcome[] = [];
  for (const rep of input.reps.values()) {
    const compiled = input.model.reps.get(rep.id);
    const why =
      unavailableWhy?.get(rep.id) ??
      (compiled ? unavailability(compiled, nowMs) : 'not in the territory model');
    const mine = byRep.get(rep.id) ?? [];
    const territories = new Map<string, RepTerritoryShare>();
    for (const a of mine) {
      const share = territories.get(a.territoryId);
      territories.set(a.territoryId, {
        territoryId: a.territoryId,
        territoryName: a.territoryName,
        given: (share?.given ?? 0) + 1,
        reason: a.reason,
      });
    }
    const headroom = why ? 0 : runRoom(rep);
    const given = mine.length;
    const note =
      given > 0
        ? undefined
        : (why ??
          offShiftWhy?.get(rep.id) ??
          (headroom === 0 ? fullBecause(rep) : 'No pool lead for its territories'));
    outcomes.push({
      repId: rep.id,
      repName: compiled?.name ?? rep.id,
      performance: rep.performance,
      before: { open: rep.counts.open, new: rep.counts.new, inProgress: rep.counts.inProgress },
      after: {
        open: rep.counts.open + given,
        new: rep.counts.new + given,
        inProgress: rep.counts.inProgress,
      },
      headroom,
      given,
      territories: [...territories.values()].sort((a, b) => a.territoryName.localeCompare(b.territoryName)),
      ...(note ? { note } : {}),
    });
  }
  return outcomes.sort((a, b) => a.repName.localeCompare(b.repName) || a.repId.localeCompare(b.repId));
}

/** Off shift (a holiday, a day off, outside working hours), in the run's words; undefined when on shift. */
export function offShift(rep: CompiledRep, nowMs: number): string | undefined {
  const availability = availabilityAt(rep, nowMs);
  if (availability.available || availability.status === 'inactive' || availability.status === 'out-of-office')
    return undefined;
  return availability.reason.charAt(0).toUpperCase() + availability.reason.slice(1);
}

/** The engine's own notions: an inactive rep, or one inside an out-of-office window, takes nothing. */
export function unavailability(rep: CompiledRep, nowMs: number): string | undefined {
  if (!rep.active) return 'Inactive';
  const away = rep.outOfOffice.find((w) => w.fromMs <= nowMs && nowMs < w.toMs);
  return away ? `Out of office until ${away.until}` : undefined;
}

/** Leads the rep can take this run: the capacity headroom, within the day's and week's caps. */
function runRoom(rep: TopUpRep): number {
  const room = headroomForRun(rep.counts, rep.rules);
  return rep.periods ? Math.min(room, periodRoom(rep.periods.caps, rep.periods.given)) : room;
}

/** The period counts after `extra` more leads this run. */
function givenAfter(periods: NonNullable<TopUpRep['periods']>, extra: number): PeriodCounts {
  const given: Record<string, number> = { ...periods.given };
  for (const cap of periods.caps) given[cap.id] = (given[cap.id] ?? 0) + extra;
  return given;
}

function fullBecause(rep: TopUpRep): string {
  const { counts, rules } = rep;
  const capReached = rep.periods ? periodCapReached(rep.periods.caps, rep.periods.given) : undefined;
  if (capReached) return capReached.charAt(0).toUpperCase() + capReached.slice(1);
  if (counts.open >= rules.maxOpen) return `At the open cap: ${counts.open}/${rules.maxOpen} open`;
  if (counts.new >= rules.maxNew) return `At the new cap: ${counts.new}/${rules.maxNew} new`;
  if (!ratioRulePasses(counts, rules) || counts.new > counts.newLimitByRatio) {
    // Floor, so 54.8% never reads as "55% < 55%".
    const pct = counts.open === 0 ? 100 : Math.floor((counts.inProgress / counts.open) * 100);
    return `Ratio rule: ${pct}% in progress < ${Math.round(rules.minInProgressRatio * 100)}%`;
  }
  return 'No headroom';
}

function buildSlate(
  territory: CompiledTerritory,
  states: ReadonlyMap<string, RepRunState>,
  unavailableWhy: ReadonlyMap<string, string>,
  offShiftWhy: ReadonlyMap<string, string>,
  reps: ReadonlyMap<string, CompiledRep>,
): TerritorySlate {
  const ids = new Set<string>();
  for (const group of territory.groups) {
    if (!group.active) continue;
    for (const p of group.participants) ids.add(p.id);
  }
  let eligible: RepRunState[] = [];
  const offShiftReps: RepRunState[] = [];
  const away: string[] = [];
  for (const id of ids) {
    const state = states.get(id);
    const why = state ? (unavailableWhy.get(id) ?? offShiftWhy.get(id)) : 'no capacity counters';
    if (state && !why) eligible.push(state);
    else away.push(`${reps.get(id)?.name ?? id} ${why?.toLowerCase() ?? 'unavailable'}`);
    if (state && offShiftWhy.has(id)) offShiftReps.push(state);
  }
  // Everyone off shift: a territory that assigns anyway (the default) fills them as if on shift.
  const policy = territory.definition.whenNobodyAvailable?.policy ?? 'assign-anyway';
  if (eligible.length === 0 && policy === 'assign-anyway') eligible = offShiftReps;
  eligible.sort((a, b) => b.rep.performance - a.rep.performance || (a.rep.id < b.rep.id ? -1 : 1));
  const unavailable =
    ids.size === 0
      ? `${territory.name} has no active distribution group with participants`
      : `No eligible rep in ${territory.name}: ${away.join(', ')}`;
  return { territory, eligible, unavailable };
}

/** The rep with the fewest leads this run relative to their score; ties go to the better score. */
function pick(eligible: readonly RepRunState[]): RepRunState | undefined {
  let best: RepRunState | undefined;
  let bestKey = Number.POSITIVE_INFINITY;
  for (const state of eligible) {
    if (state.remaining <= 0) continue;
    const key = (state.given + 1) / state.weight;
    if (key < bestKey) {
      best = state;
      bestKey = key;
    }
  }
  return best;
}

/** Oldest first, or highest score first (no score last, then oldest); the id breaks any tie. */
function ordered(pool: readonly PoolLead[], order: PoolOrder): PoolLead[] {
  const byAge = (a: PoolLead, b: PoolLead) =>
    a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (order === 'oldest') return [...pool].sort(byAge);
  return [...pool].sort((a, b) => {
    if (a.score !== b.score) {
      if (a.score === null) return 1;
      if (b.score === null) return -1;
      return b.score - a.score;
    }
    return byAge(a, b);
  });
}
