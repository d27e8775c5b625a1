import { greatCircleKm } from './geo.js';
import { normalizeWeights } from './metrics.js';
import { type Account, DIMENSIONS, type Rep, type Weights } from './model.js';
import { auctionSeed } from './seed.js';

/** Reps cheapest for an account once balancing prices are added: neighbours across shifted borders. */
const PRICED_CANDIDATES = 6;
/** Reps nearest to an account by plain cost, so searches can also pull territories back together. */
const NEAREST_CANDIDATES = 4;

/**
 * The planning instance in flat arrays for the solver: account i's shares of the mean
 * territory per dimension, the reps it may go to (with travel-equivalent cost), pins and
 * per-rep bounds. Indices refer to `accounts` and to the active `reps`.
 */
export interface Problem {
  accounts: readonly Account[];
  reps: readonly Rep[];
  n: number;
  m: number;
  /** share[d * n + i] = value of account i on dimension d / mean territory total on d. */
  share: Float64Array;
  /** Σ_d w_d · share[d, i]: account i's contribution to its rep's composite. */
  compositeShare: Float64Array;
  /** Weight of each dimension's CV² in the objective (0 when the dimension is weighted 0). */
  dimensionWeight: Float64Array;
  /** Rep index an account is pinned to (named with an active owner), or -1. */
  pinned: Int32Array;
  /** Current owner's rep index when active, or -1 (orphaned, unowned). */
  current: Int32Array;
  lo: Int32Array;
  hi: Int32Array;
  /** Candidate reps of account i (for swaps): candRep[candStart[i] .. candStart[i+1]), nearest first. */
  candStart: Int32Array;
  candRep: Int32Array;
  candCost: Float64Array;
  /** Mean distance from each account to its nearest rep: the travel lower bound and cost scale. */
  nearestMeanKm: number;
  specializationKm: number;
  /** Greenfield start: each account with its cheapest rep after balancing prices (pins kept). */
  seed: Int32Array;
  /** costMatrix[i * m + r]: travel-equivalent cost (km plus specialisation penalty) of account i with rep r. */
  costMatrix: Float32Array;
  cost(i: number, r: number): number;
}

export interface ProblemSpec {
  accounts: readonly Account[];
  reps: readonly Rep[];
  weights: Weights;
  pinned: Int32Array;
  current: Int32Array;
  lo: readonly number[];
  hi: readonly number[];
  specializationKm: number;
}

export function buildProblem(spec: ProblemSpec): Problem {
  const { accounts, reps } = spec;
  const n = accounts.length;
  const m = reps.length;
  const weights = normalizeWeights(spec.weights);

  const share = new Float64Array(DIMENSIONS.length * n);
  const compositeShare = new Float64Array(n);
  const dimensionWeight = new Float64Array(DIMENSIONS.length);
  DIMENSIONS.forEach((d, k) => {
    const values = accounts.map((a) => (d === 'accountCount' ? 1 : a[d]));
    const meanTerritory = values.reduce((sum, v) => sum + v, 0) / Math.max(1, m);
    dimensionWeight[k] = weights[d] > 0 && meanTerritory > 0 ? 1 : 0;
    values.forEach((v, i) => {
      const x = meanTerritory > 0 ? v / meanTerritory : 0;
      share[k * n + i] = x;
      compositeShare[i] = (compositeShare[i] ?? 0) + weights[d] * x;
    });
  });

  const specialists = specialistIndex(reps);
  const specializationKm = spec.specializationKm;
  const mismatch = (i: number, r: number): boolean => {
    const industry = industryKey((accounts[i] as Account).industry);
    const covering = specialists.get(industry);
    return covering !== undefined && !covering.has(r);
  };
  const { costMatrix, nearestMeanKm } = buildCostMatrix(spec, mismatch);
  const { price, owner: seed } = auctionSeed({
    costMatrix,
    n,
    m,
    pinned: spec.pinned,
    lo: spec.lo,
    hi: spec.hi,
    scaleKm: nearestMeanKm,
  });
  const { candStart, candRep, candCost } = buildCandidates(
    spec,
    costMatrix,
    (i, r) => (costMatrix[i * m + r] as number) + (price[r] as number),
  );
  const cost = (i: number, r: number): number => costMatrix[i * m + r] as number;
  return {
    accounts,
    reps,
    n,
    m,
    share,
    compositeShare,
    dimensionWeight,
    pinned: spec.pinned,
    current: spec.current,
    lo: Int32Array.from(spec.lo),
    hi: Int32Array.from(spec.hi),
    candStart,
    candRep,
    candCost,
    nearestMeanKm,
    specializationKm,
    seed,
    costMatrix,
    cost,
  };
}

export function industryKey(industry: string): string {
  return industry.trim().toLowerCase();
}

/** Industry → the rep indices specialised in it. */
export function specialistIndex(reps: readonly Rep[]): Map<string, Set<number>> {
  const index = new Map<string, Set<number>>();
  reps.forEach((rep, r) => {
    for (const industry of rep.specializations) {
      const key = industryKey(industry);
      if (!key) continue;
      const set = index.get(key) ?? new Set<number>();
      set.add(r);
      index.set(key, set);
    }
  });
  return index;
}

/** Travel-equivalent cost of every account with every rep: 4·n·m bytes, kept while solving. */
function buildCostMatrix(spec: ProblemSpec, mismatch: (i: number, r: number) => boolean) {
  const { accounts, reps } = spec;
  const n = accounts.length;
  const m = reps.length;
  const costMatrix = new Float32Array(n * m);
  let nearestSum = 0;
  for (let i = 0; i < n; i++) {
    const location = (accounts[i] as Account).location;
    let nearest = Number.POSITIVE_INFINITY;
    for (let r = 0; r < m; r++) {
      const km = greatCircleKm(location, (reps[r] as Rep).location);
      costMatrix[i * m + r] = km + (mismatch(i, r) ? spec.specializationKm : 0);
      if (km < nearest) nearest = km;
    }
    nearestSum += m > 0 ? nearest : 0;
  }
  return { costMatrix, nearestMeanKm: n === 0 ? 0 : nearestSum / n };
}

/**
 * Candidate reps per account for the local search: the reps cheapest once balancing prices are
 * added (neighbours across price-shifted borders), its nearest reps by plain cost, and its
 * pinned and current owner; nearest first.
 */
function buildCandidates(
  spec: ProblemSpec,
  costMatrix: Float32Array,
  pricedCostOf: (i: number, r: number) => number,
) {
  const n = spec.accounts.length;
  const m = spec.reps.length;
  const candStart = new Int32Array(n + 1);
  const candidates: number[] = [];
  const repOrder = Array.from({ length: m }, (_, r) => r);
  const row = new Float64Array(m);
  const adjusted = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      row[r] = costMatrix[i * m + r] as number;
      adjusted[r] = pricedCostOf(i, r);
    }
    const chosen = new Set<number>();
    for (const r of smallest(repOrder, adjusted, PRICED_CANDIDATES)) chosen.add(r);
    for (const r of smallest(repOrder, row, NEAREST_CANDIDATES)) chosen.add(r);
    for (const r of [spec.pinned[i] as number, spec.current[i] as number]) if (r >= 0) chosen.add(r);
    const ordered = [...chosen].sort((a, b) => (row[a] as number) - (row[b] as number) || a - b);
    candidates.push(...ordered);
    candStart[i + 1] = candidates.length;
  }
  const candRep = Int32Array.from(candidates);
  const candCost = new Float64Array(candRep.length);
  for (let i = 0; i < n; i++) {
    for (let k = candStart[i] as number; k < (candStart[i + 1] as number); k++) {
      candCost[k] = costMatrix[i * m + (candRep[k] as number)] as number;
    }
  }
  return { candStart, candRep, candCost };
}

/** The `count` indices with the smallest values (ties by index). */
function smallest(order: readonly number[], values: Float64Array, count: number): number[] {
  return [...order].sort((a, b) => (values[a] as number) - (values[b] as number) || a - b).slice(0, count);
}
