import { defaultOwnerVerdict, heldVerdict, reasonText, repVerdict } from '../audit/reason.js';
import { availabilityAt } from '../availability/availability.js';
import { localTimeAt } from '../availability/zoned-time.js';
import { catchUpDeficits, describeCatchUp, extrasPerDay } from './catch-up.js';
import type {
  CompiledGroup,
  CompiledModel,
  CompiledRep,
  CompiledTerritory,
  MatchResult,
} from './compile-model.js';
import {
  catchUpKey,
  countKey,
  type DistributionSnapshot,
  type DistributionStateChange,
  EMPTY_SNAPSHOT,
  turnKey,
} from './distribution-state.js';
import { distanceMiles, type GeoPoint } from './geo.js';
import type { Lead } from './lead.js';
import type { CatchUp } from './model.js';
import { normaliseRecordId } from './named-account.js';

/**
 * Distribution picks the rep within the matched territory. It is a pure function of the model,
 * the match, the lead, a snapshot of the territory's distribution state and the moment: it
 * returns the choice, the state change to apply with it, a readable reason and a structured
 * trace, plus every further eligible rep in order (when the database refuses the first for
 * capacity, the caller takes the next without deciding again).
 */
export type HeadroomLookup = ReadonlyMap<string, number> | ((repId: string) => number | undefined);

export interface DistributionContext {
  readonly now: Date | number;
  /** Remaining capacity per rep; 0 or less is skipped. A rep it does not know counts as having room. */
  readonly headroom?: HeadroomLookup;
  /** Why a rep is at a per-day or per-week cap (`daily cap 20 reached (Wed 2026-12-02 America/Toronto)`), else undefined. */
  readonly periodCapReached?: (repId: string) => string | undefined;
}

/** `off-shift`: a holiday, a day off or outside working hours (the detail says which). */
export type SkipReason = 'inactive' | 'out-of-office' | 'off-shift' | 'period-cap' | 'no-headroom';

export interface SkippedRep {
  readonly repId: string;
  readonly repName: string;
  readonly reason: SkipReason;
  /** e.g. `out of office until 2026-11-30`; never the rep's counters (the reason is shown to reps). */
  readonly detail: string;
  /** The headroom that made the rep skip, for the trace. */
  readonly headroom?: number;
}

export interface Candidate {
  readonly repId: string;
  readonly repName: string;
  readonly groupId: string;
  readonly groupName: string;
  /** The rotation turn this choice takes, when the method rotates. */
  readonly turn?: number;
  /** The reason to record if this candidate gets the lead. */
  readonly reason: string;
  readonly stateChange: DistributionStateChange;
  /** Reps passed over before reaching this one. */
  readonly skippedBefore: readonly SkippedRep[];
}

export interface GroupTrace {
  readonly groupId: string;
  readonly groupName: string;
  readonly qualified: boolean;
  readonly note?: string;
}

export interface DecisionTrace {
  readonly territory?: {
    readonly id: string;
    readonly name: string;
    readonly priority: number;
    readonly path: readonly string[];
    readonly matchedBy: readonly string[];
    readonly evaluated: number;
  };
  readonly evaluated: number;
  readonly method?: string;
  /** How the method chose among groups, in words. */
  readonly selection?: string;
  readonly leadLocation?: GeoPoint;
  readonly groups: readonly GroupTrace[];
  readonly skipped: readonly SkippedRep[];
  readonly chosen?: { readonly repId: string; readonly groupId: string; readonly turn?: number };
  readonly fallback?: 'no-match' | 'no-eligible-rep' | 'nobody-on-shift';
  /** Every eligible rep was off shift and the territory's policy assigned the lead anyway. */
  readonly assignedAnyway?: boolean;
  /** Every eligible rep was off shift and the territory's policy holds the lead until one is on. */
  readonly held?: boolean;
}

export interface Decision {
  readonly kind: 'rep' | 'default';
  readonly ownerId: string;
  readonly ownerName: string;
  readonly territoryId?: string;
  readonly groupId?: string;
  readonly reason: string;
  readonly trace: DecisionTrace;
  /** Undefined for the default owner: nothing in the territory's state changes. */
  readonly stateChange?: DistributionStateChange;
  /** Eligible reps in the order they would get the lead; the first is the decision. */
  readonly candidates: readonly Candidate[];
  /** Where the lead goes when the database refuses every candidate (all at capacity), and why. */
  readonly fallback: { readonly ownerId: string; readonly ownerName: string; readonly reason: string };
  /**
   * Nobody of the territory is on shift and its policy is `hold`: the lead waits, owner unchanged
   * (`ownerId` is the default owner only as a fallback), until a rep comes on shift.
   */
  readonly hold?: boolean;
}

/** One place the method sends the lead to, tried in order: a group's participants in rotation. */
interface Pick {
  /** The group a rep of this pick is counted under. */
  readonly groupOf: (rep: CompiledRep) => CompiledGroup;
  readonly participants: readonly CompiledRep[];
  /** Rotation inside the pick; absent when the order is already decided (custom plug-ins). */
  readonly rotationKey?: string;
  readonly setTurns: Readonly<Record<string, number>>;
  /** The method's words for choosing this pick, e.g. `Closest group "Ottawa" (4.2 mi)`. */
  readonly why: string;
  /** Catch-up bookkeeping stored with whichever candidate of this pick gets the lead. */
  readonly addCounts?: Readonly<Record<string, number>>;
}

interface Plan {
  readonly picks: readonly Pick[];
  readonly selection: string;
  readonly groups: readonly GroupTrace[];
  readonly leadLocation?: GeoPoint;
}

interface PlanInput {
  readonly model: CompiledModel;
  readonly territory: CompiledTerritory;
  readonly lead: Lead;
  readonly snapshot: DistributionSnapshot;
  readonly eligibility: Eligibility;
  readonly activeGroups: readonly CompiledGroup[];
  /** The moment of the decision (epoch ms): catch-up counts extras per local day. */
  readonly nowMs: number;
}

class Eligibility {
  readonly skipped: SkippedRep[] = [];
  private readonly verdicts = new Map<string, boolean>();
  private readonly nowMs: number;

  /** `ignoreShifts`: off-shift reps count as eligible (the assign-anyway policy's second pass). */
  constructor(
    private readonly context: DistributionContext,
    private readonly ignoreShifts = false,
  ) {
    this.nowMs = typeof context.now === 'number' ? context.now : context.now.getTime();
  }

  /** True when the rep can take a lead now; otherwise records why not (once per rep). */
  check(rep: CompiledRep): boolean {
    const known = this.verdicts.get(rep.id);
    if (known !== undefined) return known;
    const skip = this.skipReason(rep);
    if (skip) this.skipped.push({ repId: rep.id, repName: rep.name, ...skip });
    this.verdicts.set(rep.id, !skip);
    return !skip;
  }

  private skipReason(
    rep: CompiledRep,
  ): { reason: SkipReason; detail: string; headroom?: number } | undefined {
    const availability = availabilityAt(rep, this.nowMs);
    if (!availability.available) {
      if (availability.status === 'inactive') return { reason: 'inactive', detail: 'inactive' };
      if (availability.status === 'out-of-office')
        return { reason: 'out-of-office', detail: availability.reason };
      if (!this.ignoreShifts) return { reason: 'off-shift', detail: availability.reason };
    }
    const capReached = this.context.periodCapReached?.(rep.id);
    if (capReached) return { reason: 'period-cap', detail: capReached };
    const { headroom } = this.context;
    const room =
      headroom === undefined
        ? undefined
        : typeof headroom === 'function'
          ? headroom(rep.id)
          : headroom.get(rep.id);
    if (room !== undefined && room <= 0)
      return { reason: 'no-headroom', detail: 'at capacity', headroom: room };
    return undefined;
  }
}

export function distribute(
  model: CompiledModel,
  match: MatchResult,
  lead: Lead,
  snapshot: DistributionSnapshot = EMPTY_SNAPSHOT,
  context: DistributionContext,
): Decision {
  const territory = match.territory;
  if (!territory) {
    return toDefault(model, 'no territory matched', [], {
      evaluated: match.evaluated,
      groups: [],
      skipped: [],
      fallback: 'no-match',
    });
  }
  const eligibility = new Eligibility(context);
  const activeGroups = territory.groups.filter((g) => g.active);
  const nowMs = typeof context.now === 'number' ? context.now : context.now.getTime();
  let plan = accountOwnerFirst(
    planFor({ model, territory, lead, snapshot, eligibility, activeGroups, nowMs }),
    {
      model,
      territory,
      lead,
      activeGroups,
    },
  );
  const header = describeMatch(territory, match);
  let candidates = walk(plan, territory, snapshot, eligibility, header);
  // Nobody on shift: no candidate, and no rep on shift was passed over only for being full.
  const someoneOnShiftFull = eligibility.skipped.some(
    (s) => s.reason === 'no-headroom' || s.reason === 'period-cap',
  );
  const offShift =
    candidates.length === 0 && !someoneOnShiftFull
      ? eligibility.skipped.filter((s) => s.reason === 'off-shift')
      : [];
  const policy = territory.definition.whenNobodyAvailable ?? { policy: 'assign-anyway' };
  const nobodyOnShift = `nobody on shift (${[...new Set(offShift.map((s) => s.detail))].join('; ')})`;
  if (offShift.length > 0 && policy.policy === 'assign-anyway') {
    // Everyone who could take it is off shift: the rotation goes on as if they were on.
    const relaxed = new Eligibility(context, true);
    plan = accountOwnerFirst(
      planFor({ model, territory, lead, snapshot, eligibility: relaxed, activeGroups, nowMs }),
      { model, territory, lead, activeGroups },
    );
    candidates = walk(plan, territory, snapshot, relaxed, `${header}; ${nobodyOnShift}, assigned anyway`);
  }
  const traceBase = {
    territory: {
      id: territory.id,
      name: territory.name,
      priority: territory.priority,
      path: territory.path,
      matchedBy: match.matchedBy,
      evaluated: match.evaluated,
    },
    evaluated: match.evaluated,
    method: methodName(territory),
    selection: plan.selection,
    ...(plan.leadLocation ? { leadLocation: plan.leadLocation } : {}),
    groups: [
      ...plan.groups,
      ...territory.groups
        .filter((g) => !g.active)
        .map((g) => ({ groupId: g.id, groupName: g.name, qualified: false, note: 'inactive group' })),
    ],
    skipped: eligibility.skipped,
  };
  const first = candidates[0];
  if (!first && offShift.length > 0 && policy.policy === 'queue') {
    const queueId = policy.queue ?? model.defaultOwner.id;
    const queueName = model.model.queues.find((q) => q.id === queueId)?.name ?? model.defaultOwner.name;
    const reason = reasonText({
      verdict: defaultOwnerVerdict(
        { name: queueName, kind: 'queue' },
        `nobody on shift in ${territory.name}`,
      ),
      details: [header, nobodyOnShift],
    });
    const owner = { ownerId: queueId, ownerName: queueName, reason };
    return {
      kind: 'default',
      ...owner,
      territoryId: territory.id,
      trace: { ...traceBase, fallback: 'nobody-on-shift' },
      candidates: [],
      fallback: owner,
    };
  }
  if (!first && offShift.length > 0 && policy.policy === 'hold') {
    const reason = reasonText({ verdict: heldVerdict(territory.name), details: [header, nobodyOnShift] });
    const fallback = fallbackTo(model, `nobody on shift in ${territory.name}`, [header, nobodyOnShift]);
    return {
      kind: 'default',
      ownerId: fallback.ownerId,
      ownerName: fallback.ownerName,
      reason,
      territoryId: territory.id,
      trace: { ...traceBase, fallback: 'nobody-on-shift', held: true },
      candidates: [],
      fallback,
      hold: true,
    };
  }
  if (!first) {
    const skipped = eligibility.skipped.map((s) => `skipped ${s.repName}: ${s.detail}`);
    const allFull =
      skipped.length > 0 &&
      eligibility.skipped.every((s) => s.reason === 'no-headroom' || s.reason === 'period-cap');
    const verdict =
      plan.picks.length === 0
        ? `no group of ${territory.name} takes this lead`
        : allFull
          ? `no rep with capacity in ${territory.name}`
          : `no eligible rep in ${territory.name}`;
    const details = plan.picks.length === 0 ? [header, plan.selection] : [header, ...skipped];
    return {
      ...toDefault(model, verdict, details, { ...traceBase, fallback: 'no-eligible-rep' }),
      territoryId: territory.id,
    };
  }
  const { turn } = first;
  return {
    kind: 'rep',
    ownerId: first.repId,
    ownerName: first.repName,
    territoryId: territory.id,
    groupId: first.groupId,
    reason: first.reason,
    trace: {
      ...traceBase,
      chosen: { repId: first.repId, groupId: first.groupId, ...(turn === undefined ? {} : { turn }) },
      ...(offShift.length > 0 ? { assignedAnyway: true } : {}),
    },
    stateChange: first.stateChange,
    candidates,
    fallback: fallbackTo(model, `no rep with capacity in ${territory.name}`, [
      header,
      `every eligible rep was at capacity (${candidates.map((c) => c.repName).join(', ')})`,
    ]),
  };
}

function toDefault(
  model: CompiledModel,
  verdict: string,
  details: readonly string[],
  trace: DecisionTrace,
): Decision {
  const fallback = fallbackTo(model, verdict, details);
  return { kind: 'default', ...fallback, reason: fallback.reason, trace, candidates: [], fallback };
}

function fallbackTo(model: CompiledModel, why: string, details: readonly string[]): Decision['fallback'] {
  const owner = model.defaultOwner;
  return {
    ownerId: owner.id,
    ownerName: owner.name,
    reason: reasonText({ verdict: defaultOwnerVerdict(owner, why), details }),
  };
}

/** The method in the verdict's words, e.g. `even rotation`. */
function methodInWords(territory: CompiledTerritory): string {
  const d = territory.distribution;
  switch (d.method) {
    case 'even':
      return 'even rotation';
    case 'weighted':
      return 'weighted share';
    case 'by-product':
      return 'by product';
    case 'proximity':
      return d.mode === 'radius'
        ? `within ${d.radiusMiles} mi, ${d.rule.replaceAll('-', ' ')}`
        : 'closest group';
    default:
      return `custom rule "${d.plugin}"`;
  }
}

function describeMatch(territory: CompiledTerritory, match: MatchResult): string {
  const where = [
    `priority ${territory.priority}`,
    ...(territory.path.length ? [territory.path.join(' > ')] : []),
  ];
  const matched = match.matchedBy.length ? ` matched ${match.matchedBy.join(' and ')}` : '';
  return `Territory "${territory.name}" (${where.join('; ')})${matched}`;
}

function methodName(territory: CompiledTerritory): string {
  const d = territory.distribution;
  if (d.method === 'proximity')
    return d.mode === 'radius' ? `proximity/radius/${d.rule}` : 'proximity/closest';
  return d.method === 'custom' ? `custom/${d.plugin}` : d.method;
}

/** Every eligible rep of every pick, in order, each with the state change that choosing it makes. */
function walk(
  plan: Plan,
  territory: CompiledTerritory,
  snapshot: DistributionSnapshot,
  eligibility: Eligibility,
  header: string,
): Candidate[] {
  const candidates: Candidate[] = [];
  const taken = new Set<string>();
  for (const pick of plan.picks) {
    const n = pick.participants.length;
    const base = pick.rotationKey === undefined ? 0 : (snapshot.turns[pick.rotationKey] ?? 0);
    for (let k = 0; k < n; k++) {
      const rep = pick.participants[(base + k) % n]!;
      if (taken.has(rep.id) || !eligibility.check(rep)) continue;
      taken.add(rep.id);
      candidates.push(candidate(territory, snapshot, eligibility, header, pick, rep, base + k + 1));
    }
  }
  return candidates;
}

/**
 * One candidate. Its reason and state change are built on first use: a decision lists every
 * eligible rep, but the caller usually needs only the first.
 */
function candidate(
  territory: CompiledTerritory,
  snapshot: DistributionSnapshot,
  eligibility: Eligibility,
  header: string,
  pick: Pick,
  rep: CompiledRep,
  turn: number,
): Candidate {
  const group = pick.groupOf(rep);
  const skippedBefore = eligibility.skipped.slice();
  const n = pick.participants.length;
  let reason: string | undefined;
  let stateChange: DistributionStateChange | undefined;
  return {
    repId: rep.id,
    repName: rep.name,
    groupId: group.id,
    groupName: group.name,
    skippedBefore,
    ...(pick.rotationKey === undefined ? {} : { turn }),
    get reason() {
      if (reason === undefined) {
        const rotation =
          pick.rotationKey === undefined
            ? ''
            : n === 1
              ? ' (only participant)'
              : ` (turn ${turn}, ${n} participants)`;
        reason = reasonText({
          verdict: repVerdict(rep.name, territory.name, methodInWords(territory)),
          details: [
            header,
            `${pick.why}${rotation}`,
            ...skippedBefore.map((s) => `skipped ${s.repName}: ${s.detail}`),
          ],
        });
      }
      return reason;
    },
    get stateChange() {
      stateChange ??= {
        territoryId: territory.id,
        expectedVersion: snapshot.version,
        nextVersion: snapshot.version + 1,
        setTurns: {
          ...pick.setTurns,
          ...(pick.rotationKey === undefined ? {} : { [pick.rotationKey]: turn }),
        },
        addCounts: {
          ...pick.addCounts,
          [countKey.total]: 1,
          [countKey.group(group.id)]: 1,
          [countKey.rep(rep.id)]: 1,
        },
      };
      return stateChange;
    },
  };
}

/**
 * Order items by score (lower first, compared element by element); the items tied for the best
 * score take turns, through a turn counter of their own, so none of them is preferred.
 */
function rankWithFairTies<T extends { readonly id: string }>(
  items: readonly T[],
  score: (item: T) => readonly number[],
  snapshot: DistributionSnapshot,
  epsilon = 1e-9,
): { item: T; setTurns: Record<string, number> }[] {
  const same = (a: number, b: number) => a === b || Math.abs(a - b) <= epsilon;
  const compare = (a: readonly number[], b: readonly number[]) => {
    for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return a[i]! - b[i]!;
    return 0;
  };
  const scored = items
    .map((item) => ({ item, score: score(item) }))
    .sort((a, b) => compare(a.score, b.score));
  if (scored.length === 0) return [];
  const best = scored[0]!.score;
  const tied = scored.filter((s) => compare(s.score, best) === 0).map((s) => s.item);
  const sorted = scored.map((s) => s.item);
  const rest = sorted.slice(tied.length);
  if (tied.length === 1) return sorted.map((item) => ({ item, setTurns: {} }));
  const key = turnKey.ties(tied.map((item) => item.id));
  const turn = snapshot.turns[key] ?? 0;
  const start = turn % tied.length;
  const rotated = [...tied.slice(start), ...tied.slice(0, start)];
  return [
    ...rotated.map((item, j) => ({ item, setTurns: { [key]: turn + j + 1 } })),
    ...rest.map((item) => ({ item, setTurns: { [key]: turn + 1 } })),
  ];
}

const groupPick = (group: CompiledGroup, why: string, setTurns: Record<string, number> = {}): Pick => ({
  groupOf: () => group,
  participants: group.participants,
  rotationKey: turnKey.group(group.id),
  setTurns,
  why,
});

const miles = (d: number) => `${d < 10 ? d.toFixed(1) : Math.round(d)} mi`;
const count = (snapshot: DistributionSnapshot, key: string) => snapshot.counts[key] ?? 0;

function planFor(input: PlanInput): Plan {
  const d = input.territory.distribution;
  switch (d.method) {
    case 'even':
      return planEven(input);
    case 'weighted':
      return planWeighted(input);
    case 'by-product':
      return planByProduct(input);
    case 'proximity':
      return d.mode === 'closest' ? planClosest(input) : planRadius(input, d.radiusMiles, d.rule, d.plugin);
    case 'custom':
      return planCustom(input, d.plugin, d.options ?? {});
  }
}

/**
 * The matched account's owner (`Account.OwnerId`) as the first pick, when the territory asks for it
 * and the owner is a rep of the model; eligibility then decides as for anyone (inactive, away, off
 * shift, at capacity), and the method's own picks follow, so a skipped owner is named in the reason.
 * The owner's lead counts under their group in this territory, else under its first active group.
 */
function accountOwnerFirst(
  plan: Plan,
  { model, territory, lead, activeGroups }: Omit<PlanInput, 'snapshot' | 'eligibility' | 'nowMs'>,
): Plan {
  if (!territory.definition.accountOwnerFirst) return plan;
  const ownerId = normaliseRecordId(lead['Account.OwnerId']);
  const noOwner = (why: string) => ({
    ...plan,
    selection: `${plan.selection} (account owner first: ${why})`,
  });
  if (!ownerId) return noOwner('no matched account');
  const owner = [...model.reps.values()].find((rep) => normaliseRecordId(rep.id) === ownerId);
  if (!owner) return noOwner(`owner ${String(lead['Account.OwnerId'])} is not a rep of the model`);
  const group = activeGroups.find((g) => g.participants.some((p) => p.id === owner.id)) ?? activeGroups[0];
  if (!group) return plan;
  const account = lead['Account.Name'];
  const confidence = lead['MatchedAccount.Confidence'];
  const ownerPick: Pick = {
    groupOf: () => group,
    participants: [owner],
    setTurns: {},
    why: `Account owner of ${account ? `"${String(account)}"` : 'the matched account'}${confidence === undefined || confidence === null || confidence === '' ? '' : ` (match confidence ${confidence})`}`,
  };
  return {
    ...plan,
    picks: [ownerPick, ...plan.picks],
    selection: `Account owner first, then ${plan.selection}`,
  };
}

/**
 * Even: one rotation over every participant of every active group; nobody is preferred. A rep
 * who was away does not make up for it (catch-up `none`); with `full` the rep furthest below an
 * even share goes first until even, with `partial` a rep owed leads goes first for up to K a day
 * (see catch-up.ts).
 */
function planEven(input: PlanInput): Plan {
  const { activeGroups, territory } = input;
  const mode = territory.definition.catchUp ?? 'none';
  const seen = new Set<string>();
  const participants: CompiledRep[] = [];
  const groupOf = new Map<string, CompiledGroup>();
  for (const group of activeGroups) {
    for (const rep of group.participants) {
      if (seen.has(rep.id)) continue;
      seen.add(rep.id);
      participants.push(rep);
      groupOf.set(rep.id, group);
    }
  }
  const groups = activeGroups.map((g) => ({ groupId: g.id, groupName: g.name, qualified: true }));
  if (participants.length === 0) return { picks: [], selection: 'Even: no active participants', groups };
  if (mode !== 'none') {
    const { snapshot, nowMs } = input;
    const shares = catchUpShares(
      mode,
      participants.map((rep) => ({
        id: rep.id,
        name: rep.name,
        share: 1 / participants.length,
        countKey: countKey.rep(rep.id),
        timeZone: rep.calendar.timeZone,
      })),
      snapshot,
      nowMs,
    );
    const policy = `Even share, catch-up ${describeCatchUp(mode)}`;
    const lane = shares.lane.map(({ item, setTurns }) => {
      const rep = participants.find((r) => r.id === item.id)!;
      const extra = shares.extra(item.id);
      return {
        groupOf: () => groupOf.get(rep.id)!,
        participants: [rep],
        setTurns: { ...setTurns, ...extra.setTurns },
        addCounts: extra.addCounts,
        why: `${policy}: ${extra.why}`,
      };
    });
    const ranked = rankWithFairTies(participants, (rep) => [-shares.deficit(rep.id)], snapshot);
    const picks = ranked.map(({ item: rep, setTurns }) => ({
      groupOf: () => groupOf.get(rep.id)!,
      participants: [rep],
      setTurns,
      addCounts: shares.addCounts,
      why: `${policy} (${count(snapshot, countKey.rep(rep.id))} of ${count(snapshot, countKey.total)} leads so far)`,
    }));
    return { picks: [...lane, ...picks], selection: `${policy}${shares.laneWords}`, groups };
  }
  const pick: Pick = {
    // Each rep is counted under the first group that lists it.
    groupOf: (rep) => groupOf.get(rep.id)!,
    participants,
    rotationKey: turnKey.rotation,
    setTurns: {},
    why: 'Even rotation',
  };
  return { picks: [pick], selection: 'Even rotation', groups };
}

interface Share {
  readonly id: string;
  readonly name: string;
  readonly share: number;
  readonly countKey: string;
  /** Where the share's day starts and ends, for extras per day. */
  readonly timeZone: string;
}

/**
 * The deficits shares rank by and the forgiving stored with every decision; with `partial`, the
 * shares catching up first (most owed first, fair ties) and what one extra lead stores.
 */
function catchUpShares(
  mode: CatchUp,
  items: readonly Share[],
  snapshot: DistributionSnapshot,
  nowMs: number,
) {
  const perDay = extrasPerDay(mode);
  const dayOf = (item: Share) => epochDay(localTimeAt(nowMs, item.timeZone).date);
  const today = new Map(perDay > 0 ? items.map((item) => [item.id, dayOf(item)]) : []);
  const extrasToday = (id: string) =>
    snapshot.turns[catchUpKey.day(id)] === today.get(id) ? count(snapshot, catchUpKey.extrasToday(id)) : 0;
  const results = catchUpDeficits(
    mode,
    items.map((item) => ({
      id: item.id,
      share: item.share,
      given: count(snapshot, item.countKey),
      offset: count(snapshot, catchUpKey.offset(item.id)),
      extras: count(snapshot, catchUpKey.extras(item.id)),
      owed: snapshot.counts[catchUpKey.owed(item.id)],
      extrasToday: extrasToday(item.id),
    })),
  );
  const byId = new Map(results.map((r) => [r.id, r]));
  const addCounts: Record<string, number> = {};
  for (const r of results) {
    if (r.addOffset) addCounts[catchUpKey.offset(r.id)] = r.addOffset;
    if (r.addOwed !== undefined) addCounts[catchUpKey.owed(r.id)] = r.addOwed;
  }
  const name = new Map(items.map((item) => [item.id, item.name]));
  const lane = rankWithFairTies(
    results.filter((r) => r.catchingUp),
    (r) => [-r.owed],
    snapshot,
  );
  return {
    deficit: (id: string) => byId.get(id)?.deficit ?? 0,
    addCounts,
    lane,
    laneWords: lane.length
      ? `; catching up first: ${lane.map(({ item: r }) => `${name.get(r.id)} (${r.owed} owed, ${extrasToday(r.id)} of ${perDay} extras today)`).join(', ')}`
      : '',
    /** One extra lead for this share: owed −1, extras +1, today's extras +1 (from 0 on a new day). */
    extra(id: string) {
      const owed = byId.get(id)!.owed - 1;
      const ofToday = extrasToday(id) + 1;
      return {
        addCounts: {
          ...addCounts,
          [catchUpKey.owed(id)]: (addCounts[catchUpKey.owed(id)] ?? 0) - 1,
          [catchUpKey.extras(id)]: 1,
          [catchUpKey.extrasToday(id)]: ofToday - count(snapshot, catchUpKey.extrasToday(id)),
        },
        setTurns: { [catchUpKey.day(id)]: today.get(id)! },
        why: `${name.get(id)} catching up, extra ${ofToday} of ${perDay} today, ${owed} still owed`,
      };
    },
  };
}

/** Days since 1970-01-01 of a local date (`YYYY-MM-DD`). */
const epochDay = (date: string) => Date.parse(date) / 86_400_000;

/**
 * Weighted: the group furthest below its share of the territory's leads goes next. What a group
 * whose reps were all away makes up on return is the territory's catch-up (default `none`); its
 * days, for `partial`, are the model's time zone's.
 */
function planWeighted({ model, activeGroups, snapshot, territory, nowMs }: PlanInput): Plan {
  const mode = territory.definition.catchUp ?? 'none';
  const totalWeight = activeGroups.reduce((sum, g) => sum + g.weight, 0);
  const distributed = activeGroups.reduce((sum, g) => sum + count(snapshot, countKey.group(g.id)), 0);
  const shares = catchUpShares(
    mode,
    activeGroups.map((g) => ({
      id: g.id,
      name: `group "${g.name}"`,
      share: totalWeight === 0 ? 0 : g.weight / totalWeight,
      countKey: countKey.group(g.id),
      timeZone: model.model.timeZone,
    })),
    snapshot,
    nowMs,
  );
  const policy = `catch-up ${describeCatchUp(mode)}`;
  const lane = shares.lane.map(({ item, setTurns }) => {
    const g = activeGroups.find((group) => group.id === item.id)!;
    const extra = shares.extra(g.id);
    return {
      ...groupPick(g, `Weighted, ${policy}: ${extra.why}`, { ...setTurns, ...extra.setTurns }),
      addCounts: extra.addCounts,
    };
  });
  const ranked = rankWithFairTies(activeGroups, (g) => [-shares.deficit(g.id)], snapshot);
  const picks = ranked.map(({ item: g, setTurns }) => ({
    ...groupPick(
      g,
      `Weighted → group "${g.name}" (${g.weight}%, ${count(snapshot, countKey.group(g.id))} of ${distributed} leads so far)`,
      setTurns,
    ),
    addCounts: shares.addCounts,
  }));
  return {
    picks: [...lane, ...picks],
    selection: `Weighted: the group furthest below its percentage goes next, ${policy}${shares.laneWords}`,
    groups: activeGroups.map((g) => ({
      groupId: g.id,
      groupName: g.name,
      qualified: true,
      note: `${g.weight}%`,
    })),
  };
}

/** By product: groups that take the lead's exact product first, then its category, then catch-all groups. */
function planByProduct({ model, lead, activeGroups, snapshot }: PlanInput): Plan {
  const { product, category } = model.leadProduct(lead);
  const location = model.leadLocation(lead);
  const same = (a: string | undefined, b: string | undefined) =>
    a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
  const groups: GroupTrace[] = [];
  const qualified: { id: string; group: CompiledGroup; tier: number; priority: number; label: string }[] = [];
  for (const group of activeGroups) {
    if (group.products.length === 0) {
      qualified.push({ id: group.id, group, tier: 2, priority: 0, label: 'catch-all' });
      groups.push({ groupId: group.id, groupName: group.name, qualified: true, note: 'catch-all' });
      continue;
    }
    let best: { tier: number; priority: number; label: string } | undefined;
    let note = product || category ? 'does not take this product' : 'lead has no product';
    for (const association of group.products) {
      const tier = same(association.product, product) ? 0 : same(association.category, category) ? 1 : -1;
      if (tier < 0) continue;
      if (association.radiusMiles !== undefined) {
        const distance = location && group.location ? distanceMiles(location, group.location) : undefined;
        if (distance === undefined || distance > association.radiusMiles) {
          note =
            distance === undefined
              ? `within ${association.radiusMiles} mi only, lead location unknown`
              : `within ${association.radiusMiles} mi only, lead is ${miles(distance)} away`;
          continue;
        }
      }
      const priority = association.priority ?? Number.POSITIVE_INFINITY;
      if (!best || tier < best.tier || (tier === best.tier && priority < best.priority)) {
        best = {
          tier,
          priority,
          label:
            tier === 0 ? `product "${association.product}"` : `product category "${association.category}"`,
        };
      }
    }
    if (best) qualified.push({ id: group.id, group, ...best });
    groups.push({ groupId: group.id, groupName: group.name, qualified: !!best, note: best?.label ?? note });
  }
  const productText = product ? `"${product}"` : '(none)';
  if (qualified.length === 0) {
    return {
      picks: [],
      selection: `By product: no group takes product ${productText}${category ? ` or category "${category}"` : ''}`,
      groups,
    };
  }
  // Tiers first; inside the best tier the equally preferred groups rotate fairly.
  const ranked = rankWithFairTies(qualified, (q) => [q.tier, q.priority], snapshot);
  const picks = ranked.map(({ item, setTurns }) =>
    groupPick(item.group, `By product ${productText} → group "${item.group.name}" (${item.label})`, setTurns),
  );
  return {
    picks,
    selection: `By product ${productText}`,
    groups,
    ...(location ? { leadLocation: location } : {}),
  };
}

function distancesTo(location: GeoPoint | undefined, groups: readonly CompiledGroup[]) {
  return groups.map((group) => ({
    id: group.id,
    group,
    distance: location && group.location ? distanceMiles(location, group.location) : undefined,
  }));
}

/** Closest: the nearest group; groups at the same place share evenly. */
function planClosest({ model, lead, activeGroups, snapshot }: PlanInput): Plan {
  const location = model.leadLocation(lead);
  const measured = distancesTo(location, activeGroups);
  const groups = measured.map(({ group, distance }) => ({
    groupId: group.id,
    groupName: group.name,
    qualified: true,
    ...(distance === undefined ? {} : { note: miles(distance) }),
  }));
  if (!location) {
    const ranked = rankWithFairTies(activeGroups, () => [0], snapshot);
    return {
      picks: ranked.map(({ item, setTurns }) =>
        groupPick(
          item,
          `Closest: lead location unknown, groups share evenly → group "${item.name}"`,
          setTurns,
        ),
      ),
      selection: 'Closest: lead location unknown, groups share evenly',
      groups,
    };
  }
  // Groups within a hundredth of a mile are at the same place.
  const ranked = rankWithFairTies(measured, (m) => [m.distance ?? Number.POSITIVE_INFINITY], snapshot, 0.01);
  const picks = ranked.map(({ item, setTurns }) => {
    const sharing = ranked.filter(
      (r) => Math.abs((r.item.distance ?? 0) - (item.distance ?? 0)) <= 0.01,
    ).length;
    const shared = sharing > 1 ? `; ${sharing} groups at this distance share evenly` : '';
    const where = item.distance === undefined ? 'no location' : miles(item.distance);
    return groupPick(item.group, `Closest group "${item.group.name}" (${where}${shared})`, setTurns);
  });
  return { picks, selection: 'Closest group', groups, leadLocation: location };
}

/** Radius: groups within N miles qualify (all when none does); the radius rule decides among them. */
function planRadius(
  { model, territory, lead, activeGroups, snapshot }: PlanInput,
  radiusMiles: number,
  rule: 'least-gets-it' | 'factored-least-gets-it' | 'custom',
  plugin: string | undefined,
): Plan {
  const location = model.leadLocation(lead);
  const measured = distancesTo(location, activeGroups);
  const inside = measured.filter((m) => m.distance !== undefined && m.distance <= radiusMiles);
  const pool = inside.length > 0 ? inside : measured;
  const scope = !location
    ? `Radius ${radiusMiles} mi: lead location unknown, deciding among all ${pool.length} groups`
    : inside.length > 0
      ? `Radius ${radiusMiles} mi: ${inside.length} of ${measured.length} groups inside`
      : `Radius ${radiusMiles} mi: no group inside, deciding among all ${pool.length}`;
  const groups = measured.map(({ group, distance }) => ({
    groupId: group.id,
    groupName: group.name,
    qualified: pool.some((p) => p.group === group),
    ...(distance === undefined ? {} : { note: miles(distance) }),
  }));
  const leads = (g: CompiledGroup) => count(snapshot, countKey.group(g.id));
  let ordered: { item: (typeof pool)[number]; setTurns: Record<string, number> }[];
  let ruleText: (g: CompiledGroup) => string;
  if (rule === 'custom') {
    const decide = plugin ? model.plugins.radiusRules?.[plugin] : undefined;
    if (!decide)
      throw new Error(`territory ${territory.id}: radius rule plug-in "${plugin}" is not registered`);
    const result = decide({
      territoryId: territory.id,
      lead,
      groups: pool.map(({ group, distance }) => ({
        groupId: group.id,
        groupName: group.name,
        leads: leads(group),
        factor: group.factor,
        ...(distance === undefined ? {} : { distanceMiles: distance }),
      })),
      snapshot,
    });
    ordered = result.order
      .map((id) => pool.find((p) => p.group.id === id))
      .filter((p) => p !== undefined)
      .map((item) => ({ item, setTurns: {} }));
    ruleText = (g) => `radius rule "${plugin}" (${result.explanation}) → group "${g.name}"`;
  } else if (rule === 'factored-least-gets-it') {
    ordered = rankWithFairTies(pool, (p) => [leads(p.group) / p.group.factor], snapshot);
    ruleText = (g) =>
      `Factored least gets it → group "${g.name}" (${leads(g)} leads ÷ ${g.factor} = ${round2(leads(g) / g.factor)})`;
  } else {
    ordered = rankWithFairTies(pool, (p) => [leads(p.group)], snapshot);
    ruleText = (g) => `Least gets it → group "${g.name}" (${leads(g)} leads)`;
  }
  const picks = ordered.map(({ item, setTurns }) =>
    groupPick(item.group, `${scope}; ${ruleText(item.group)}`, setTurns),
  );
  return { picks, selection: scope, groups, ...(location ? { leadLocation: location } : {}) };
}

/** Custom: a registered plug-in ranks the eligible participants. */
function planCustom(
  { model, territory, lead, activeGroups, snapshot, eligibility }: PlanInput,
  plugin: string,
  options: Readonly<Record<string, unknown>>,
): Plan {
  const decide = model.plugins.methods?.[plugin];
  if (!decide)
    throw new Error(`territory ${territory.id}: distribution plug-in "${plugin}" is not registered`);
  const location = model.leadLocation(lead);
  const groupOf = new Map<string, CompiledGroup>();
  for (const group of activeGroups)
    for (const rep of group.participants) if (!groupOf.has(rep.id)) groupOf.set(rep.id, group);
  const eligible = [...groupOf.entries()]
    .map(([repId, group]) => ({ rep: group.participants.find((r) => r.id === repId)!, group }))
    .filter(({ rep }) => eligibility.check(rep));
  const result = decide({
    territoryId: territory.id,
    lead,
    ...(location ? { leadLocation: location } : {}),
    participants: eligible.map(({ rep, group }) => ({
      repId: rep.id,
      repName: rep.name,
      groupId: group.id,
      leads: count(snapshot, countKey.rep(rep.id)),
      ...(location && group.location ? { distanceMiles: distanceMiles(location, group.location) } : {}),
    })),
    snapshot,
    options,
  });
  const picks = result.order
    .map((repId) => eligible.find((e) => e.rep.id === repId))
    .filter((e) => e !== undefined)
    .map(
      ({ rep, group }): Pick => ({
        groupOf: () => group,
        participants: [rep],
        setTurns: result.setTurns ?? {},
        why: `Custom "${plugin}" (${result.explanation})`,
      }),
    );
  return {
    picks,
    selection: picks.length
      ? `Custom "${plugin}" (${result.explanation})`
      : `Custom "${plugin}" chose nobody`,
    groups: activeGroups.map((g) => ({ groupId: g.id, groupName: g.name, qualified: true })),
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
