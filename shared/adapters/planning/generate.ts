import { greatCircleKm } from '../../domain/planning/geo.js';
import type { Account, GeoPoint, Rep } from '../../domain/planning/model.js';
import { type Fsa, ontarioFsas } from './postal.js';

export interface InstanceSpec {
  accounts: number;
  reps: number;
  seed?: number;
  /** Share of accounts with no current owner. */
  unownedShare?: number;
  /** The last this many reps are inactive (they still own accounts today). */
  inactiveReps?: number;
  /** Share of accounts flagged named (biased toward large accounts). */
  namedShare?: number;
  /** Cap on a rep's current book while generating skewed ownership. */
  maxCurrentBook?: number;
}

export interface PlanningInstance {
  accounts: Account[];
  reps: Rep[];
}

const INDUSTRIES: readonly [string, number][] = [
  ['Manufacturing', 0.22],
  ['Financial Services', 0.16],
  ['Healthcare', 0.14],
  ['Technology', 0.14],
  ['Retail', 0.12],
  ['Professional Services', 0.1],
  ['Public Sector', 0.07],
  ['Energy', 0.05],
];
/** Relative account density by postal district: Toronto and the GTA dense, the north sparse. */
const DISTRICT_WEIGHT: Record<string, number> = { M: 3, L: 2, K: 1.2, N: 1.2, P: 0.3 };
const NAME_HEADS = ['Maple', 'Northern', 'Lakeshore', 'Huron', 'Rideau', 'Superior', 'Trillium', 'Algonquin'];
const NAME_TAILS = ['Industries', 'Holdings', 'Systems', 'Group', 'Partners', 'Logistics', 'Labs', 'Foods'];
const FIRST_NAMES = ['Avery', 'Jordan', 'Priya', 'Wei', 'Noah', 'Chloe', 'Omar', 'Sofia', 'Liam', 'Maya'];
const LAST_NAMES = [
  'Tremblay',
  'Singh',
  'Chen',
  'MacDonald',
  'Roy',
  'Patel',
  'Wilson',
  'Nguyen',
  'Lee',
  'Gagnon',
];

/**
 * A deterministic planning instance: accounts spread over Ontario FSAs by district density,
 * lognormal revenue potential, workload and growth correlated with it, a few named accounts
 * (mostly large ones), open deals and ARR, reps living where the accounts are, and skewed
 * current ownership (some reps hold far more than others, mostly nearby accounts).
 */
export function generateInstance(spec: InstanceSpec): PlanningInstance {
  const random = mulberry32(spec.seed ?? 7);
  const fsas = ontarioFsas();
  const fsaWeights = fsas.map(
    (f) =>
      (DISTRICT_WEIGHT[f.code.charAt(0)] ?? 1) *
      lognormal(random, 0, 0.5) *
      (f.code.charAt(1) === '0' ? 0.5 : 1),
  );
  const pickFsa = weightedPicker(random, fsaWeights);
  const pickIndustry = weightedPicker(
    random,
    INDUSTRIES.map(([, w]) => w),
  );

  const inactive = spec.inactiveReps ?? 0;
  const reps: Rep[] = Array.from({ length: spec.reps }, (_, r) => {
    const fsa = fsas[pickFsa()] as Fsa;
    const specializations = new Set<string>();
    const wanted = random() < 0.5 ? 1 : 2;
    while (specializations.size < wanted)
      specializations.add((INDUSTRIES[pickIndustry()] as [string, number])[0]);
    return {
      id: salesforceId('005', r + 1),
      name: `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`,
      postalCode: `${fsa.code} ${ldu(random)}`,
      location: jitter(random, fsa, 0.01),
      specializations: [...specializations],
      active: r < spec.reps - inactive,
    };
  });

  const repSkew = reps.map(() => lognormal(random, 0, 0.6));
  const maxBook = spec.maxCurrentBook ?? 150;
  const books = new Array<number>(reps.length).fill(0);
  const namedShare = spec.namedShare ?? 0.02;
  const accounts: Account[] = Array.from({ length: spec.accounts }, (_, i) => {
    const fsa = fsas[pickFsa()] as Fsa;
    const location = jitter(random, fsa, fsa.code.charAt(1) === '0' ? 0.1 : 0.015);
    const revenuePotential = Math.round(lognormal(random, Math.log(60_000), 1));
    const relative = revenuePotential / 60_000;
    const owner =
      random() < (spec.unownedShare ?? 0) ? -1 : skewedOwner(random, location, reps, repSkew, books, maxBook);
    if (owner >= 0) books[owner] = (books[owner] ?? 0) + 1;
    const large = relative > 3;
    return {
      id: salesforceId('001', i + 1),
      name: `${pick(random, NAME_HEADS)} ${pick(random, NAME_TAILS)} ${i + 1}`,
      revenuePotential,
      workload: round1(10 * relative ** 0.4 * lognormal(random, 0, 0.35)),
      growthPotential: Math.round(revenuePotential * (0.05 + 0.55 * random()) * lognormal(random, 0, 0.3)),
      industry: (INDUSTRIES[pickIndustry()] as [string, number])[0],
      postalCode: `${fsa.code} ${ldu(random)}`,
      location,
      currentOwnerId: owner >= 0 ? (reps[owner] as Rep).id : null,
      named: owner >= 0 && random() < namedShare * (large ? 4 : 0.55),
      openDealAmount: random() < 0.3 ? Math.round(lognormal(random, Math.log(40_000), 0.9)) : 0,
      arr: random() < 0.45 ? Math.round(revenuePotential * (0.1 + 0.4 * random())) : 0,
    };
  });
  return { accounts, reps };
}

/** Parses `5000x50` into account and rep counts. */
export function parseInstanceSize(text: string): { accounts: number; reps: number } | undefined {
  const match = /^(\d+)x(\d+)$/i.exec(text.trim());
  if (!match) return undefined;
  return { accounts: Number(match[1]), reps: Number(match[2]) };
}

/** Among the six nearest reps with room, drawn by each rep's skew over distance. */
function skewedOwner(
  random: () => number,
  location: GeoPoint,
  reps: readonly Rep[],
  skew: readonly number[],
  books: readonly number[],
  maxBook: number,
): number {
  const nearby = reps
    .map((rep, r) => ({ r, km: greatCircleKm(location, rep.location) }))
    .filter(({ r }) => (books[r] ?? 0) < maxBook)
    .sort((a, b) => a.km - b.km || a.r - b.r)
    .slice(0, 6);
  if (nearby.length === 0) return -1;
  const weights = nearby.map(({ r, km }) => (skew[r] ?? 1) / (1 + km / 20));
  return (nearby[weightedPicker(random, weights)()] as { r: number }).r;
}

function salesforceId(prefix: string, n: number): string {
  return `${prefix}TR${String(n).padStart(10, '0')}`;
}

function jitter(random: () => number, fsa: Fsa, degrees: number): GeoPoint {
  return {
    latitude: round5(fsa.location.latitude + (random() - 0.5) * 2 * degrees),
    longitude: round5(fsa.location.longitude + (random() - 0.5) * 2 * degrees * 1.4),
  };
}

function ldu(random: () => number): string {
  const letters = 'ABCEGHJKLMNPRSTVWXYZ';
  const digit = () => String(Math.floor(random() * 10));
  return `${digit()}${letters.charAt(Math.floor(random() * letters.length))}${digit()}`;
}

function weightedPicker(random: () => number, weights: readonly number[]): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) {
    total += w;
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function lognormal(random: () => number, mu: number, sigma: number): number {
  const u = 1 - random();
  const v = random();
  return Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

/** Small, fast, seedable PRNG (Mulberry32); the same seed always gives the same instance. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round5(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}
