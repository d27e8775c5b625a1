import zipcodes from 'zipcodes';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { type CompiledModel, compileModel } from '../../shared/domain/territory/compile-model.js';
import { distribute } from '../../shared/domain/territory/distribution.js';
import {
  applyStateChange,
  type DistributionSnapshot,
  EMPTY_SNAPSHOT,
} from '../../shared/domain/territory/distribution-state.js';
import type { PostalCentroidLookup } from '../../shared/domain/territory/geo.js';
import type { Lead } from '../../shared/domain/territory/lead.js';
import { BUILT_IN_PLUGINS } from '../../shared/domain/territory/plugins.js';
import { formatProblem, validateTerritoryConfig } from '../../shared/domain/territory/validate.js';
import { type Bench, bench, timeMs } from './harness.js';

/**
 * Matching throughput with generated models of 10, 1,000 and 10,000 territories: a realistic mix
 * of postal-prefix (FSA / 3-digit ZIP), city + industry equality and named-account rules under
 * country > region categories, plus about 1% rules no index can serve (revenue bands, NOT …).
 * `match/naive` scans the same compiled rules in priority order without the indexes.
 * `distribute/{method}` measures decisions per second for each distribution method.
 */
const postalCentroid: PostalCentroidLookup = (code) => zipcodes.lookup(code);

function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

const FSA_FIRST = 'ABCEGHJKLMNPRSTVXY';
const FSA_THIRD = 'ABCEGHJKLMNPRSTVWXYZ';
const INDUSTRIES = [
  'Finance',
  'Legal',
  'Technology',
  'Manufacturing',
  'Healthcare',
  'Retail',
  'Energy',
  'Education',
];
const REPS = Array.from({ length: 50 }, (_, i) => ({
  key: `r${i}`,
  id: toId18(`005BM${String(i).padStart(10, '0')}`),
  name: `Rep ${i}`,
}));

interface Generated {
  config: Record<string, unknown>;
  leads: Lead[];
}

function generate(territoryCount: number, leadCount: number, seed = 42): Generated {
  const r = random(seed);
  const fsa = () => `${r.pick([...FSA_FIRST])}${r.int(10)}${r.pick([...FSA_THIRD])}`;
  const zip3 = () => String(r.int(1000)).padStart(3, '0');
  const cities = Array.from({ length: Math.max(20, territoryCount / 3) }, (_, i) => `City ${i}`);
  const categories = [
    { id: 'ca', name: 'Canada', expression: 'Country IN ("Canada", "CA")' },
    { id: 'us', name: 'United States', expression: 'Country IN ("USA", "US", "United States")' },
    ...[...FSA_FIRST].map((letter) => ({
      id: `ca-${letter}`,
      parent: 'ca',
      expression: `PostalCode STARTS WITH "${letter}"`,
    })),
    ...Array.from({ length: 10 }, (_, d) => ({
      id: `us-${d}`,
      parent: 'us',
      expression: `PostalCode STARTS WITH "${d}"`,
    })),
  ];
  const territories: Record<string, unknown>[] = [];
  const prefixes: string[] = [];
  const named: { company: string; domain: string }[] = [];
  const cityRules: { city: string; industry: string }[] = [];
  for (let i = 0; i < territoryCount; i++) {
    const kind = r.next();
    const base = {
      id: `t${i}`,
      participants: [r.pick(REPS).key, r.pick(REPS).key].filter((k, j, a) => a.indexOf(k) === j),
    };
    if (kind < 0.55) {
      const canadian = r.next() < 0.6;
      const codes = Array.from({ length: 1 + r.int(3) }, () => (canadian ? fsa() : zip3()));
      const first = codes[0]!;
      const same = codes.filter((c) => c[0] === first[0]);
      prefixes.push(...same);
      territories.push({
        ...base,
        priority: 3 + r.int(4),
        category: canadian ? `ca-${first[0]}` : `us-${first[0]}`,
        expression: `PostalCode STARTS WITH (${same.map((c) => `"${c}"`).join(', ')})`,
      });
    } else if (kind < 0.8) {
      const city = r.pick(cities);
      const industry = r.pick(INDUSTRIES);
      cityRules.push({ city, industry });
      territories.push({
        ...base,
        priority: 2 + r.int(3),
        category: r.next() < 0.5 ? 'ca' : 'us',
        expression: `City = "${city}" AND Industry IN ("${industry}", "${r.pick(INDUSTRIES)}")`,
      });
    } else if (kind < 0.99) {
      const company = `Company ${i} ${r.pick(['Inc.', 'Ltd', 'LLC', 'Corp'])}`;
      const domain = `company${i}.com`;
      named.push({ company, domain });
      territories.push({
        ...base,
        priority: 1,
        namedAccounts: {
          companies: [company],
          domains: [domain],
          accountIds: [toId18(`001BM${String(i).padStart(10, '0')}`)],
        },
      });
    } else {
      territories.push({
        ...base,
        priority: 4 + r.int(5),
        expression: `AnnualRevenue BETWEEN ${r.int(50) * 1e6} AND ${(50 + r.int(50)) * 1e6} AND NOT Industry = "${r.pick(INDUSTRIES)}"`,
      });
    }
  }
  const leads: Lead[] = Array.from({ length: leadCount }, (_, i) => {
    const kind = r.next();
    const common = {
      Id: `00QBM${String(i).padStart(10, '0')}`,
      Industry: r.pick(INDUSTRIES),
      AnnualRevenue: r.int(120) * 1e6,
      Email: `lead${i}@example${r.int(1000)}.com`,
      Company: `Prospect ${r.int(100_000)}`,
    };
    if (kind < 0.55 && prefixes.length) {
      const prefix = r.pick(prefixes);
      const canadian = /^[A-Z]/.test(prefix);
      return {
        ...common,
        Country: canadian ? 'Canada' : 'USA',
        PostalCode: canadian
          ? `${prefix} ${r.int(10)}A${r.int(10)}`
          : `${prefix}${String(r.int(100)).padStart(2, '0')}`,
      };
    }
    if (kind < 0.75 && cityRules.length) {
      const rule = r.pick(cityRules);
      return {
        ...common,
        Country: r.pick(['Canada', 'USA']),
        City: rule.city,
        Industry: rule.industry,
        PostalCode: fsa(),
      };
    }
    if (kind < 0.9 && named.length) {
      const account = r.pick(named);
      return r.next() < 0.5
        ? { ...common, Company: account.company.toUpperCase() }
        : { ...common, Email: `x@eu.${account.domain}` };
    }
    return { ...common, Country: 'Mexico', PostalCode: String(r.int(99999)) };
  });
  return {
    config: {
      name: `bench ${territoryCount}`,
      defaultOwner: 'r0',
      reps: REPS,
      categories,
      territories,
    },
    leads,
  };
}

function compileGenerated(config: Record<string, unknown>, matchStrategy: 'index' | 'scan'): CompiledModel {
  const result = validateTerritoryConfig(config);
  if (!result.ok)
    throw new Error(
      result.problems
        .slice(0, 5)
        .map((p) => formatProblem(p))
        .join('\n'),
    );
  return compileModel(result.model, { matchStrategy });
}

interface MatchState {
  model: CompiledModel;
  leads: Lead[];
}

const SIZES = [10, 1000, 10_000] as const;

function matchBenches(size: number): Bench[] {
  const setup = (matchStrategy: 'index' | 'scan') => (): MatchState => {
    const { config, leads } = generate(size, 20_000);
    return { model: compileGenerated(config, matchStrategy), leads };
  };
  const naiveName = `match/naive/${size}-territories`;
  return [
    bench<MatchState>({
      name: `match/indexed/${size}-territories`,
      unit: 'leads/s',
      baseline: naiveName,
      notes:
        'ratio = indexed / naive; goal at 10000 territories: >= 100000 leads/s on one core (the default "auto" strategy scans models of <= 24 territories)',
      setup: setup('index'),
      run: async ({ model, leads }) => {
        let matched = 0;
        const ms = await timeMs(() => {
          for (const lead of leads) if (model.match(lead).territory) matched++;
        });
        if (matched === 0) throw new Error('nothing matched: the generator is broken');
        return (leads.length / ms) * 1000;
      },
    }),
    bench<MatchState>({
      name: naiveName,
      unit: 'leads/s',
      notes: 'the same compiled rules evaluated one by one in priority order, without the indexes',
      setup: setup('scan'),
      run: async ({ model, leads }) => {
        // Fewer leads at the large sizes keep one run near a second.
        const sample = leads.slice(0, Math.max(200, Math.floor(2_000_000 / size)));
        const ms = await timeMs(() => {
          for (const lead of sample) model.match(lead);
        });
        return (sample.length / ms) * 1000;
      },
    }),
  ];
}

interface DistributeState {
  model: CompiledModel;
  leads: Lead[];
}

const METHODS: Record<string, Record<string, unknown>> = {
  even: { distribution: { method: 'even' } },
  weighted: { distribution: { method: 'weighted' }, weights: true },
  'by-product': { distribution: { method: 'by-product' }, products: true },
  'proximity-closest': { distribution: { method: 'proximity', mode: 'closest' }, locations: true },
  'proximity-radius-least': {
    distribution: { method: 'proximity', mode: 'radius', radiusMiles: 100, rule: 'least-gets-it' },
    locations: true,
  },
  'proximity-radius-factored': {
    distribution: { method: 'proximity', mode: 'radius', radiusMiles: 100, rule: 'factored-least-gets-it' },
    locations: true,
  },
  custom: { distribution: { method: 'custom', plugin: 'fewest-leads' } },
};
const OFFICES = ['M5V', 'L5B', 'L8P', 'N2L', 'N6A', 'K1P', 'K7L', 'P3A'];
const PRODUCTS = ['RouteIQ Enterprise', 'RouteIQ Starter', 'Capacity Planner', 'Territory Designer'];

function distributeSetup(method: string): DistributeState {
  const spec = METHODS[method]!;
  const groups = OFFICES.map((office, g) => ({
    id: `g${g}`,
    participants: [REPS[g * 2]!.key, REPS[g * 2 + 1]!.key],
    ...(spec.weights ? { weight: g < 4 ? 15 : 10 } : {}),
    ...(spec.locations ? { location: { postalCode: office }, factor: 1 + (g % 3) } : {}),
    ...(spec.products
      ? {
          products: [
            { product: PRODUCTS[g % 4]!, priority: 1 + (g % 2) },
            { category: g % 2 ? 'Routing' : 'Planning' },
          ],
        }
      : {}),
  }));
  const config = {
    name: `distribute ${method}`,
    defaultOwner: 'r0',
    reps: REPS.map((rep, i) => ({
      ...rep,
      ...(i % 7 === 3 ? { outOfOffice: [{ from: '2026-11-01', to: '2026-11-30' }] } : {}),
    })),
    products: PRODUCTS.map((name, i) => ({ name, category: i < 2 ? 'Routing' : 'Planning' })),
    territories: [{ id: 'T', priority: 1, distribution: spec.distribution, groups }],
  };
  const result = validateTerritoryConfig(config, { postalCentroid, plugins: BUILT_IN_PLUGINS });
  if (!result.ok) throw new Error(result.problems.map((p) => formatProblem(p)).join('\n'));
  const model = compileModel(result.model, { postalCentroid, plugins: BUILT_IN_PLUGINS });
  const r = random(7);
  const leads = Array.from({ length: 5000 }, () => ({
    Country: 'Canada',
    PostalCode: `${r.pick(OFFICES)} ${r.int(10)}A${r.int(10)}`,
    ProductInterest: r.pick(PRODUCTS),
  }));
  return { model, leads };
}

const headroom = new Map(REPS.map((rep, i) => [rep.id, i % 11 === 5 ? 0 : 10]));
const NOW = Date.parse('2026-11-20T15:00:00Z');

function distributeBench(method: string): Bench {
  return bench<DistributeState>({
    name: `distribute/${method}`,
    unit: 'decisions/s',
    setup: () => distributeSetup(method),
    run: async ({ model, leads }) => {
      let snapshot: DistributionSnapshot = EMPTY_SNAPSHOT;
      const matches = leads.map((lead) => model.match(lead));
      const ms = await timeMs(() => {
        leads.forEach((lead, i) => {
          const decision = distribute(model, matches[i]!, lead, snapshot, { now: NOW, headroom });
          if (decision.stateChange) snapshot = applyStateChange(snapshot, decision.stateChange);
        });
      });
      return (leads.length / ms) * 1000;
    },
  });
}

export const benches: Bench[] = [
  ...SIZES.flatMap(matchBenches),
  ...Object.keys(METHODS).map(distributeBench),
];
