import type { RepSchedule } from '../availability/availability.js';
import { compileCalendar } from '../availability/calendar.js';
import { type HolidayCalendar, type HolidayIndex, holidayIndex } from '../availability/holidays.js';
import { resolveAttribute } from './attributes.js';
import {
  type CompiledExpression,
  compileExpression,
  type IndexKey,
  indexHints,
  type Normaliser,
  textNormaliser,
} from './expression-compile.js';
import { type GeoPoint, locate, type PostalCentroidLookup } from './geo.js';
import type { Lead } from './lead.js';
import type { Distribution, ProductAssociation, Rep, Territory, TerritoryModel } from './model.js';
import {
  domainAndParents,
  normaliseCompanyName,
  normaliseDomain,
  normaliseRecordId,
} from './named-account.js';
import type { DistributionPlugins } from './plugins.js';
import { normalisePostalCode } from './postal.js';
import { boundToEpochMs } from './time-window.js';

/**
 * Compiling a model builds everything routing needs once: closures for every expression, reps and
 * groups with resolved coordinates and out-of-office instants, and the indexes that let `match`
 * evaluate only the territories a lead could belong to.
 */
export interface CompileDependencies {
  /** Postal centroids for proximity; the adapter passes `zipcodes.lookup`. */
  readonly postalCentroid?: PostalCentroidLookup;
  readonly plugins?: DistributionPlugins;
  /** Public holidays for calendars that list regions; the adapter passes the `date-holidays` one. */
  readonly holidays?: HolidayCalendar;
  /**
   * `index` probes postal-prefix, equality and named-account indexes and evaluates only the
   * candidates; `scan` evaluates every territory in priority order; `auto` (default) scans
   * small models, where probing costs more than it saves.
   */
  readonly matchStrategy?: 'auto' | 'index' | 'scan';
}

/** A rep with resolved coordinates, out-of-office instants and working calendar (see availability). */
export interface CompiledRep extends RepSchedule {
  readonly id: string;
  readonly name: string;
  readonly location?: GeoPoint;
}

export interface CompiledGroup {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  readonly participants: readonly CompiledRep[];
  readonly weight: number;
  readonly factor: number;
  readonly location?: GeoPoint;
  readonly products: readonly ProductAssociation[];
}

export interface CompiledTerritory {
  /** Position in priority order (0 is tried first). */
  readonly rank: number;
  readonly id: string;
  readonly name: string;
  readonly priority: number;
  /** Category names from the root, e.g. ["Canada", "Ontario", "GTA"]. */
  readonly path: readonly string[];
  readonly distribution: Distribution;
  readonly groups: readonly CompiledGroup[];
  readonly definition: Territory;
  /** The full rule: ancestors' expressions AND the territory's own AND its named accounts. */
  readonly test: (lead: Lead) => boolean;
  /** Readable criteria that matched, for the reason. */
  readonly explain: (lead: Lead) => string[];
}

export interface MatchResult {
  /** Undefined when no territory matches. */
  readonly territory?: CompiledTerritory;
  readonly matchedBy: readonly string[];
  /** How many territories were evaluated (the indexes skip the rest). */
  readonly evaluated: number;
}

export interface OwnerInfo {
  readonly id: string;
  readonly name: string;
  readonly kind: 'rep' | 'queue';
}

export interface CompiledModel {
  readonly model: TerritoryModel;
  /** Active territories in priority order. */
  readonly territories: readonly CompiledTerritory[];
  readonly defaultOwner: OwnerInfo;
  readonly reps: ReadonlyMap<string, CompiledRep>;
  readonly plugins: DistributionPlugins;
  readonly indexStats: {
    readonly strategy: 'index' | 'scan';
    readonly indexed: number;
    readonly unindexed: number;
    readonly keys: number;
  };
  /** The highest-priority territory whose full rule the lead satisfies. */
  match(lead: Lead): MatchResult;
  territory(id: string): CompiledTerritory | undefined;
  /** The lead's Latitude/Longitude when present, else its postal code's centroid. */
  leadLocation(lead: Lead): GeoPoint | undefined;
  /** The lead's product and its category (from `ProductCategory`, else the model's product list). */
  leadProduct(lead: Lead): { readonly product?: string; readonly category?: string };
}

/** What a lead is known by for named-account matching: `id:…`, `company:…`, `domain:…`. */
export function namedAccountKeysOfLead(lead: Lead): string[] {
  const keys: string[] = [];
  const accountId = normaliseRecordId(lead['Account.Id']);
  if (accountId) keys.push(`id:${accountId}`);
  for (const field of ['Company', 'Account.Name']) {
    const company = normaliseCompanyName(lead[field]);
    if (company) keys.push(`company:${company}`);
  }
  for (const field of ['Email', 'Website', 'Account.Website']) {
    const domain = normaliseDomain(lead[field]);
    if (domain) for (const d of domainAndParents(domain)) keys.push(`domain:${d}`);
  }
  return keys;
}

/** The keys a territory's named accounts answer to, in the same form as the lead's. */
export function namedAccountKeysOfTerritory(territory: Territory): string[] {
  const named = territory.namedAccounts;
  if (!named) return [];
  return [
    ...named.accountIds.map((id) => `id:${normaliseRecordId(id)}`),
    ...named.companies.map((c) => `company:${normaliseCompanyName(c)}`),
    ...named.domains.map((d) => `domain:${normaliseDomain(d)}`),
  ];
}

function compileRep(
  rep: Rep,
  model: TerritoryModel,
  lookup: PostalCentroidLookup | undefined,
  holidays: HolidayIndex,
): CompiledRep {
  const location = rep.location ? locate(rep.location, lookup) : undefined;
  // The rep's own fields win over their calendar's; days off add up (a shutdown plus personal days).
  const base = model.calendars?.find((c) => c.id === (rep.calendar ?? model.defaultCalendar));
  const timeZone = rep.timeZone ?? base?.timeZone ?? model.timeZone;
  const workingHours = rep.workingHours ?? base?.workingHours;
  const calendar = compileCalendar(
    {
      timeZone,
      ...(workingHours ? { workingHours } : {}),
      holidays: rep.holidays ?? base?.holidays ?? [],
      daysOff: [...(base?.daysOff ?? []), ...(rep.daysOff ?? [])],
    },
    holidays,
  );
  return {
    id: rep.id,
    name: rep.name,
    active: rep.active,
    ...(location ? { location } : {}),
    calendar,
    outOfOffice: rep.outOfOffice.map((w) => {
      const zone = w.timeZone ?? timeZone;
      return {
        fromMs: boundToEpochMs(w.from, zone, false) ?? Number.POSITIVE_INFINITY,
        toMs: boundToEpochMs(w.to, zone, true) ?? Number.NEGATIVE_INFINITY,
        until: w.to,
      };
    }),
  };
}

interface IndexedTerritory {
  readonly compiled: CompiledTerritory;
  readonly categoryChain: readonly number[];
  readonly own?: CompiledExpression;
  readonly named?: ReadonlySet<string>;
  /** Alternatives: the territory can only match a lead that hits one of the keys of any one of them. */
  readonly hints: readonly (readonly HintKey[])[];
}

/** A key a territory can be filed under; `id` identifies it across territories. */
interface HintKey {
  readonly kind: IndexKey['kind'] | 'named';
  readonly attribute: string;
  readonly value: string;
  readonly id: string;
}

const hintKey = (key: IndexKey): HintKey => ({ ...key, id: `${key.kind}|${key.attribute}|${key.value}` });
const namedHintKey = (key: string): HintKey => ({
  kind: 'named',
  attribute: '',
  value: key,
  id: `named|${key}`,
});

interface TerritoryContext {
  readonly model: TerritoryModel;
  readonly reps: ReadonlyMap<string, CompiledRep>;
  readonly categoryTests: readonly (CompiledExpression | undefined)[];
  readonly chainOf: (categoryId: string | undefined) => number[];
  readonly namedKeysOf: (lead: Lead) => string[];
  readonly lookup: PostalCentroidLookup | undefined;
}

/** One territory's closures, resolved groups, and the index hints it can be filed under. */
function compileTerritory(territory: Territory, rank: number, context: TerritoryContext): IndexedTerritory {
  const { model, reps, categoryTests, chainOf, namedKeysOf, lookup } = context;
  const categoryChain = chainOf(territory.category);
  const own = territory.expression ? compileExpression(territory.expression) : undefined;
  const namedKeys = namedAccountKeysOfTerritory(territory);
  const named = namedKeys.length > 0 ? new Set(namedKeys) : undefined;
  const test = (lead: Lead): boolean => {
    for (const c of categoryChain) if (categoryTests[c] && !categoryTests[c].test(lead)) return false;
    if (own && !own.test(lead)) return false;
    return !named || namedKeysOf(lead).some((k) => named.has(k));
  };
  const explain = (lead: Lead): string[] => {
    const reasons = own?.explain(lead) ?? [];
    if (named) {
      const hit = namedKeysOf(lead).find((k) => named.has(k));
      if (hit) reasons.unshift(describeNamedHit(hit));
    }
    if (reasons.length > 0) return reasons;
    const nearest = categoryChain.at(-1);
    return nearest === undefined ? ['(no conditions)'] : (categoryTests[nearest]?.explain(lead) ?? []);
  };
  const compiled: CompiledTerritory = {
    rank,
    id: territory.id,
    name: territory.name,
    priority: territory.priority,
    path: categoryChain.map((c) => model.categories[c]!.name),
    distribution: territory.distribution,
    groups: territory.groups.map((group) => {
      const participants = group.participants.map((id) => reps.get(id)).filter((r) => r !== undefined);
      const single = participants.length === 1 ? participants[0]?.location : undefined;
      const location = (group.location ? locate(group.location, lookup) : undefined) ?? single;
      return {
        id: group.id,
        name: group.name,
        active: group.active,
        participants,
        weight: group.weight ?? 0,
        factor: group.factor ?? 1,
        ...(location ? { location } : {}),
        products: group.products ?? [],
      };
    }),
    definition: territory,
    test,
    explain,
  };
  const hints: HintKey[][] = [
    ...categoryChain.flatMap((c) => {
      const expression = model.categories[c]!.expression;
      return expression ? indexHints(expression) : [];
    }),
    ...(territory.expression ? indexHints(territory.expression) : []),
  ].map((alternative) => alternative.map(hintKey));
  if (named) hints.push([...named].map(namedHintKey));
  return { compiled, categoryChain, ...(own ? { own } : {}), ...(named ? { named } : {}), hints };
}

/** Models with at most this many territories are scanned rather than indexed. */
const SCAN_BELOW = 24;

export function compileModel(model: TerritoryModel, deps: CompileDependencies = {}): CompiledModel {
  const lookup = deps.postalCentroid;
  const holidays = holidayIndex(deps.holidays);
  const reps = new Map(model.reps.map((rep) => [rep.id, compileRep(rep, model, lookup, holidays)]));
  const categoryIndex = new Map(model.categories.map((c, i) => [c.id, i]));
  const categoryTests = model.categories.map((c) =>
    c.expression ? compileExpression(c.expression) : undefined,
  );

  const chainOf = (categoryId: string | undefined): number[] => {
    const chain: number[] = [];
    let current = categoryId === undefined ? undefined : categoryIndex.get(categoryId);
    while (current !== undefined && !chain.includes(current)) {
      chain.unshift(current);
      const parent = model.categories[current]!.parent;
      current = parent === undefined ? undefined : categoryIndex.get(parent);
    }
    return chain;
  };

  // Scanning territories one by one asks for the same (read-only) lead's named-account keys again and again.
  let lastLead: Lead | undefined;
  let lastKeys: string[] = [];
  const namedKeysOf = (lead: Lead): string[] => {
    if (lead !== lastLead) {
      lastLead = lead;
      lastKeys = namedAccountKeysOfLead(lead);
    }
    return lastKeys;
  };

  const ordered = model.territories
    .map((territory, declared) => ({ territory, declared }))
    .filter(({ territory }) => territory.active)
    .sort((a, b) => a.territory.priority - b.territory.priority || a.declared - b.declared);

  const context: TerritoryContext = { model, reps, categoryTests, chainOf, namedKeysOf, lookup };
  const indexed = ordered.map(({ territory }, rank) => compileTerritory(territory, rank, context));

  const index = buildIndex(indexed);
  const territories = indexed.map((t) => t.compiled);
  const byId = new Map(territories.map((t) => [t.id, t]));
  const productCategory = new Map(model.products.map((p) => [p.name.toLowerCase(), p.category]));

  // Below a few dozen territories probing indexes costs more than evaluating every rule.
  const scanIndex: MatchIndex = {
    prefixes: [],
    equals: [],
    named: new Map(),
    unindexed: indexed.map((_, rank) => rank),
    keys: 0,
  };
  const requested = deps.matchStrategy ?? 'auto';
  const strategy = requested === 'auto' ? (indexed.length <= SCAN_BELOW ? 'scan' : 'index') : requested;
  const matcher = new IndexedMatcher(
    indexed,
    strategy === 'scan' ? scanIndex : index,
    categoryTests,
    namedKeysOf,
  );
  const match = (lead: Lead): MatchResult => {
    lastLead = undefined;
    return matcher.match(lead);
  };

  const owner = resolveOwner(model);
  return {
    model,
    territories,
    defaultOwner: owner,
    reps,
    plugins: deps.plugins ?? {},
    indexStats: {
      strategy,
      indexed: indexed.length - index.unindexed.length,
      unindexed: index.unindexed.length,
      keys: index.keys,
    },
    match,
    territory: (id) => byId.get(id),
    leadLocation: (lead) =>
      locate({ latitude: lead.Latitude, longitude: lead.Longitude, postalCode: lead.PostalCode }, lookup),
    leadProduct: (lead) => {
      const product =
        lead.ProductInterest == null || lead.ProductInterest === ''
          ? undefined
          : String(lead.ProductInterest);
      const given =
        lead.ProductCategory == null || lead.ProductCategory === ''
          ? undefined
          : String(lead.ProductCategory);
      const category =
        given ?? (product === undefined ? undefined : productCategory.get(product.trim().toLowerCase()));
      return { ...(product ? { product } : {}), ...(category ? { category } : {}) };
    },
  };
}

function resolveOwner(model: TerritoryModel): OwnerInfo {
  const rep = model.reps.find((r) => r.id === model.defaultOwner);
  if (rep) return { id: rep.id, name: rep.name, kind: 'rep' };
  const queue = model.queues.find((q) => q.id === model.defaultOwner);
  return { id: model.defaultOwner, name: queue?.name ?? model.defaultOwner, kind: 'queue' };
}

function describeNamedHit(key: string): string {
  const [kind, ...rest] = key.split(':');
  const value = rest.join(':');
  if (kind === 'id') return `named account (account id ${value})`;
  if (kind === 'company') return `named account (company "${value}")`;
  return `named account (domain ${value})`;
}

/**
 * The per-lead work of `match`: collect candidates from the indexes, then evaluate them in
 * priority order (merged with the territories no index can find) until one holds. Scratch
 * arrays are reused across calls; matching is synchronous, so calls never interleave.
 */
class IndexedMatcher {
  private readonly seen: Uint32Array;
  private readonly categorySeen: Uint32Array;
  private readonly categoryResult: Uint8Array;
  private stamp = 0;
  private readonly candidates: number[] = [];
  private lead: Lead = {};
  private leadNamedKeys: string[] | undefined;

  constructor(
    private readonly territories: readonly IndexedTerritory[],
    private readonly index: MatchIndex,
    private readonly categoryTests: readonly (CompiledExpression | undefined)[],
    private readonly namedKeysOf: (lead: Lead) => string[],
  ) {
    this.seen = new Uint32Array(territories.length);
    this.categorySeen = new Uint32Array(categoryTests.length);
    this.categoryResult = new Uint8Array(categoryTests.length);
  }

  match(lead: Lead): MatchResult {
    this.stamp = this.stamp === 0xffffffff ? 1 : this.stamp + 1;
    if (this.stamp === 1) {
      this.seen.fill(0);
      this.categorySeen.fill(0);
    }
    this.lead = lead;
    this.leadNamedKeys = undefined;
    const candidates = this.candidates;
    candidates.length = 0;
    for (const { attribute, byPrefix, longest } of this.index.prefixes) {
      const code = normalisePostalCode(lead[attribute]);
      if (!code) continue;
      const last = Math.min(code.length, longest);
      for (let length = 1; length <= last; length++) this.add(byPrefix.get(code.slice(0, length)));
    }
    for (const { attribute, byValue, normalise } of this.index.equals) {
      const value = normalise(lead[attribute]);
      if (value !== undefined) this.add(byValue.get(value));
    }
    if (this.index.named.size > 0) {
      this.leadNamedKeys = this.namedKeysOf(lead);
      for (const key of this.leadNamedKeys) this.add(this.index.named.get(key));
    }
    if (candidates.length > 1) candidates.sort((a, b) => a - b);

    // Merge the sorted candidates with the always-evaluated (unindexed) territories, in priority order.
    const always = this.index.unindexed;
    let i = 0;
    let j = 0;
    let evaluated = 0;
    while (i < candidates.length || j < always.length) {
      const next =
        j >= always.length || (i < candidates.length && candidates[i]! < always[j]!)
          ? candidates[i++]!
          : always[j++]!;
      evaluated++;
      const t = this.territories[next]!;
      if (this.passes(t)) return matched(t.compiled, lead, evaluated);
    }
    return { matchedBy: [], evaluated };
  }

  private add(list: readonly number[] | undefined): void {
    if (!list) return;
    for (const t of list) {
      if (this.seen[t] !== this.stamp) {
        this.seen[t] = this.stamp;
        this.candidates.push(t);
      }
    }
  }

  private passes(t: IndexedTerritory): boolean {
    for (const c of t.categoryChain) {
      if (this.categorySeen[c] !== this.stamp) {
        this.categorySeen[c] = this.stamp;
        const test = this.categoryTests[c];
        this.categoryResult[c] = test === undefined || test.test(this.lead) ? 1 : 0;
      }
      if (this.categoryResult[c] === 0) return false;
    }
    if (t.own && !t.own.test(this.lead)) return false;
    if (!t.named) return true;
    this.leadNamedKeys ??= this.namedKeysOf(this.lead);
    for (const key of this.leadNamedKeys) if (t.named.has(key)) return true;
    return false;
  }
}

/** The explanation is built only when someone reads it (routing does; bulk matching may not). */
function matched(territory: CompiledTerritory, lead: Lead, evaluated: number): MatchResult {
  let explanation: readonly string[] | undefined;
  return {
    territory,
    evaluated,
    get matchedBy() {
      explanation ??= territory.explain(lead);
      return explanation;
    },
  };
}

interface PrefixIndex {
  readonly attribute: string;
  readonly byPrefix: Map<string, number[]>;
  longest: number;
}

interface EqualsIndex {
  readonly attribute: string;
  readonly byValue: Map<string, number[]>;
  readonly normalise: Normaliser;
}

interface MatchIndex {
  readonly prefixes: readonly PrefixIndex[];
  readonly equals: readonly EqualsIndex[];
  readonly named: Map<string, number[]>;
  /** Territories no index can find, evaluated for every lead. */
  readonly unindexed: readonly number[];
  readonly keys: number;
}

/**
 * Each territory is filed under one hint: the alternative whose keys are shared by the fewest
 * other territories (a postal prefix or named account rather than `Country = "Canada"`, which
 * every territory of the model requires). Territories with no hint are always evaluated.
 */
function buildIndex(territories: readonly IndexedTerritory[]): MatchIndex {
  const frequency = new Map<string, number>();
  for (const t of territories) {
    for (const id of new Set(t.hints.flat().map((k) => k.id)))
      frequency.set(id, (frequency.get(id) ?? 0) + 1);
  }
  const prefixes = new Map<string, PrefixIndex>();
  const equals = new Map<string, EqualsIndex>();
  const named: MatchIndex['named'] = new Map();
  const unindexed: number[] = [];
  const file = (map: Map<string, number[]>, key: string, rank: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [rank]);
    else if (list.at(-1) !== rank) list.push(rank);
  };
  const cost = (hint: readonly HintKey[]) => hint.reduce((sum, key) => sum + (frequency.get(key.id) ?? 0), 0);
  territories.forEach((t, rank) => {
    const best = t.hints.reduce<readonly HintKey[] | undefined>(
      (chosen, hint) => (chosen === undefined || cost(hint) < cost(chosen) ? hint : chosen),
      undefined,
    );
    if (!best) {
      unindexed.push(rank);
      return;
    }
    for (const key of best) {
      if (key.kind === 'named') {
        file(named, key.value, rank);
      } else if (key.kind === 'prefix') {
        let entry = prefixes.get(key.attribute);
        if (!entry) {
          entry = { attribute: key.attribute, byPrefix: new Map(), longest: 0 };
          prefixes.set(key.attribute, entry);
        }
        entry.longest = Math.max(entry.longest, key.value.length);
        file(entry.byPrefix, key.value, rank);
      } else {
        let entry = equals.get(key.attribute);
        if (!entry) {
          const normalise = textNormaliser(resolveAttribute(key.attribute)?.type ?? 'any');
          entry = { attribute: key.attribute, byValue: new Map(), normalise };
          equals.set(key.attribute, entry);
        }
        file(entry.byValue, key.value, rank);
      }
    }
  });
  return {
    prefixes: [...prefixes.values()],
    equals: [...equals.values()],
    named,
    unindexed,
    keys: frequency.size,
  };
}
