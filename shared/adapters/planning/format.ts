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

/** Growth potential has no currency: it is a score on the org's own scale (Growth_Potential__c). */
export function points(value: number): string {
  return `${integer(value)} pts`;
}

/** Each dimension's unit, for axis titles and column headers. */
export const DIMENSION_UNITS: Record<Dimension | 'composite', string> = {
  revenuePotential: '$',
  accountCount: 'accounts',
  workload: 'workload units',
  growthPotential: 'growth points',
  composite: '1.0 = average territory',
};

/** A dimension's value in its own unit. */
export function dimensionValue(dimension: Dimension | 'composite', value: number): string {
  if (dimension === 'revenuePotential') return money(value);
  if (dimension === 'growthPotential') return points(value);
  if (dimension === 'composite') return value.toFixed(3);
  return value.toFixed(1);
}
