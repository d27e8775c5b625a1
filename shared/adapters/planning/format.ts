import type { DistributionStats } from '../../domain/planning/metrics.js';
import type { Dimension } from '../../domain/planning/model.js';

export const DIMENSION_LABELS: Record<Dimension | 'composite', string> = {
  revenuePotential: 'Revenue potential',
  accountCount: 'Account count',
  workload: 'Workload',
  growthPotential: 'Growth potential',
  composite: 'Composite',
};

/** `$1.2M`, `$350K`, `$900`. */
export function money(amount: number): string {
  const abs = Math.abs(amount);
  if (abs >= 1e9) return `$${(amount / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `$${(amount / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `$${Math.round(amount / 1e3)}K`;
  return `$${Math.round(amount).toLocaleString('en-US')}`;
}

export function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function percent(share: number, digits = 0): string {
  return `${(share * 100).toFixed(digits)}%`;
}

export function km(value: number): string {
  return `${value.toFixed(1)} km`;
}

/** A dimension's value in its own unit. */
export function dimensionValue(dimension: Dimension | 'composite', value: number): string {
  if (dimension === 'revenuePotential' || dimension === 'growthPotential') return money(value);
  if (dimension === 'composite') return value.toFixed(3);
  if (dimension === 'accountCount') return value.toFixed(1);
  return value.toFixed(1);
}

/** Balance rating by composite CV: the industry target is below 0.20. */
export function rating(stats: DistributionStats): string {
  const cv = stats.coefficientOfVariation;
  if (cv < 0.05) return 'Excellent';
  if (cv < 0.1) return 'Good';
  if (cv < 0.2) return 'Acceptable';
  return 'Needs rebalancing';
}

export const RATING_SCALE =
  'Excellent below 0.05, Good below 0.10, Acceptable below 0.20 (the usual target), otherwise Needs rebalancing';
