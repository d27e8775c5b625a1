import type { DistributionStats } from './metrics.js';

/** The industry standard a territory plan should beat (README "Territory planning"). */
export const CV_TARGET = 0.2;

export type BalanceRating = 'Excellent' | 'Good' | 'Acceptable' | 'Needs rebalancing';

/** Upper CV bound of each rating; above the last one a plan needs rebalancing. */
const BANDS: ReadonlyArray<{ rating: BalanceRating; below: number }> = [
  { rating: 'Excellent', below: 0.05 },
  { rating: 'Good', below: 0.1 },
  { rating: 'Acceptable', below: CV_TARGET },
];

/** The rating of a distribution by its CV; reports and recommendations both read it from here. */
export function balanceRating(stats: Pick<DistributionStats, 'coefficientOfVariation'>): BalanceRating {
  return BANDS.find((b) => stats.coefficientOfVariation < b.below)?.rating ?? 'Needs rebalancing';
}

export function needsRebalancing(stats: Pick<DistributionStats, 'coefficientOfVariation'>): boolean {
  return balanceRating(stats) === 'Needs rebalancing';
}

export const RATING_SCALE = `${BANDS.map((b) => `${b.rating} below ${b.below.toFixed(2)}`).join(', ')} (the usual target), otherwise Needs rebalancing`;
