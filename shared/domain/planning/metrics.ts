import { PlanInputError } from './errors.js';
import { greatCircleKm } from './geo.js';
import { type Account, DIMENSIONS, type Dimension, type Rep, type Weights } from './model.js';

export interface DistributionStats {
  mean: number;
  /** Population standard deviation. */
  stdDev: number;
  coefficientOfVariation: number;
  min: number;
  max: number;
  range: number;
  /** max(0, 100 − 400·CV): 100 is perfect balance, 0 is a CV of 0.25 or worse. */
  balanceScore: number;
}

export type AlignmentMetrics = Record<Dimension | 'composite', DistributionStats> & {
  /** Mean great-circle distance from each assigned account to its rep's home. */
  meanTravelKm: number;
};

/** One territory's totals: the numbers the metrics summarise. */
export interface TerritoryTotals {
  repId: string;
  revenuePotential: number;
  accountCount: number;
  workload: number;
  growthPotential: number;
  /** Σ_d w_d · x_{r,d} / mean_r(x_{r,d}); the mean over territories is 1. */
  composite: number;
  meanTravelKm: number;
}

export function balanceScore(coefficientOfVariation: number): number {
  return Math.max(0, 100 - 400 * coefficientOfVariation);
}

export function distributionStats(values: readonly number[]): DistributionStats {
  if (values.length === 0) {
    return { mean: 0, stdDev: 0, coefficientOfVariation: 0, min: 0, max: 0, range: 0, balanceScore: 100 };
  }
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  const stdDev = Math.sqrt(variance);
  const coefficientOfVariation = mean === 0 ? 0 : stdDev / Math.abs(mean);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return {
    mean,
    stdDev,
    coefficientOfVariation,
    min,
    max,
    range: max - min,
    balanceScore: balanceScore(coefficientOfVariation),
  };
}

/** Weights scaled to sum to 1, so the mean composite is 1. */
export function normalizeWeights(weights: Weights): Weights {
  const values = DIMENSIONS.map((d) => weights[d]);
  if (values.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new PlanInputError([`weights must be non-negative numbers, got ${JSON.stringify(weights)}`]);
  }
  const total = values.reduce((sum, w) => sum + w, 0);
  if (total === 0) throw new PlanInputError(['at least one weight must be above zero']);
  return Object.fromEntries(DIMENSIONS.map((d) => [d, weights[d] / total])) as Weights;
}

export function dimensionValue(account: Account, dimension: Dimension): number {
  return dimension === 'accountCount' ? 1 : account[dimension];
}

/**
 * Totals per territory and their distribution. `ownerOf[i]` is the index in `reps` of account
 * i's owner, or -1 when unassigned (unassigned accounts count in no territory).
 */
export function measureAlignment(
  accounts: readonly Account[],
  reps: readonly Rep[],
  ownerOf: ArrayLike<number>,
  weights: Weights,
): { metrics: AlignmentMetrics; territories: TerritoryTotals[] } {
  const w = normalizeWeights(weights);
  const totals = reps.map((rep) => ({
    repId: rep.id,
    revenuePotential: 0,
    accountCount: 0,
    workload: 0,
    growthPotential: 0,
    composite: 0,
    meanTravelKm: 0,
  }));
  let travelSum = 0;
  let assigned = 0;
  accounts.forEach((account, i) => {
    const territory = totals[ownerOf[i] ?? -1];
    const rep = reps[ownerOf[i] ?? -1];
    if (!territory || !rep) return;
    for (const d of DIMENSIONS) territory[d] += dimensionValue(account, d);
    const km = greatCircleKm(account.location, rep.location);
    territory.meanTravelKm += km;
    travelSum += km;
    assigned++;
  });

  const means = Object.fromEntries(
    DIMENSIONS.map((d) => [d, totals.reduce((sum, t) => sum + t[d], 0) / Math.max(1, totals.length)]),
  ) as Record<Dimension, number>;
  for (const t of totals) {
    t.composite = DIMENSIONS.reduce((sum, d) => sum + (means[d] === 0 ? 0 : (w[d] * t[d]) / means[d]), 0);
    t.meanTravelKm = t.accountCount === 0 ? 0 : t.meanTravelKm / t.accountCount;
  }

  const stats = (key: Dimension | 'composite') => distributionStats(totals.map((t) => t[key]));
  return {
    metrics: {
      revenuePotential: stats('revenuePotential'),
      accountCount: stats('accountCount'),
      workload: stats('workload'),
      growthPotential: stats('growthPotential'),
      composite: stats('composite'),
      meanTravelKm: assigned === 0 ? 0 : travelSum / assigned,
    },
    territories: totals,
  };
}
