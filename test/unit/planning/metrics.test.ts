import { describe, expect, it } from 'vitest';
import { greatCircleKm, normalizePostalCode, regionOf } from '../../../shared/domain/planning/geo.js';
import {
  balanceScore,
  distributionStats,
  measureAlignment,
  normalizeWeights,
} from '../../../shared/domain/planning/metrics.js';
import { DEFAULT_WEIGHTS } from '../../../shared/domain/planning/model.js';
import { account, rep } from './fixtures.js';

const KM_PER_DEGREE = (6371.0088 * Math.PI) / 180;

describe('distributionStats', () => {
  it('computes the population standard deviation and CV of a textbook set', () => {
    expect(distributionStats([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({
      mean: 5,
      stdDev: 2,
      coefficientOfVariation: 0.4,
      min: 2,
      max: 9,
      range: 7,
      balanceScore: 0,
    });
  });

  it('scores two territories 10% apart at 60', () => {
    const stats = distributionStats([9, 11]);
    expect(stats.coefficientOfVariation).toBeCloseTo(0.1, 12);
    expect(stats.balanceScore).toBeCloseTo(60, 9);
  });

  it('scores identical territories 100 and an empty list as balanced', () => {
    expect(distributionStats([7, 7, 7]).balanceScore).toBe(100);
    expect(distributionStats([])).toMatchObject({ mean: 0, coefficientOfVariation: 0, balanceScore: 100 });
  });

  it('treats an all-zero dimension as balanced rather than dividing by zero', () => {
    expect(distributionStats([0, 0]).coefficientOfVariation).toBe(0);
  });

  it('floors the balance score at 0', () => {
    expect(balanceScore(0.05)).toBe(80);
    expect(balanceScore(0.25)).toBe(0);
    expect(balanceScore(0.3)).toBe(0);
  });
});

describe('measureAlignment', () => {
  // Two reps; R1 owns A1 (at home) and A2 (one degree north), R2 owns A3 (at home); A4 is unassigned.
  const reps = [
    rep('R1', { location: { latitude: 45, longitude: -75 } }),
    rep('R2', { location: { latitude: 45, longitude: -76 } }),
  ];
  const accounts = [
    account('A1', {
      revenuePotential: 100,
      workload: 10,
      growthPotential: 50,
      location: { latitude: 45, longitude: -75 },
    }),
    account('A2', {
      revenuePotential: 300,
      workload: 30,
      growthPotential: 50,
      location: { latitude: 46, longitude: -75 },
    }),
    account('A3', {
      revenuePotential: 200,
      workload: 20,
      growthPotential: 100,
      location: { latitude: 45, longitude: -76 },
    }),
    account('A4', { revenuePotential: 999, workload: 99, growthPotential: 999 }),
  ];
  const { metrics, territories } = measureAlignment(accounts, reps, [0, 0, 1, -1], DEFAULT_WEIGHTS);

  it('totals each territory per dimension, leaving unassigned accounts out', () => {
    expect(
      territories.map((t) => [t.revenuePotential, t.accountCount, t.workload, t.growthPotential]),
    ).toEqual([
      [400, 2, 40, 100],
      [200, 1, 20, 100],
    ]);
  });

  it('computes the composite as Σ w·x / mean, so it averages 1', () => {
    // R1: 0.35·4/3 + 0.20·4/3 + 0.25·4/3 + 0.20·1 = 19/15; R2: 0.8·2/3 + 0.2 = 11/15.
    expect(territories[0]?.composite).toBeCloseTo(19 / 15, 12);
    expect(territories[1]?.composite).toBeCloseTo(11 / 15, 12);
    expect(metrics.composite.mean).toBeCloseTo(1, 12);
    expect(metrics.composite.stdDev).toBeCloseTo(4 / 15, 12);
    expect(metrics.composite.coefficientOfVariation).toBeCloseTo(4 / 15, 12);
  });

  it('summarises each dimension over territories', () => {
    expect(metrics.revenuePotential).toMatchObject({
      mean: 300,
      stdDev: 100,
      min: 200,
      max: 400,
      range: 200,
    });
    expect(metrics.revenuePotential.coefficientOfVariation).toBeCloseTo(1 / 3, 12);
    expect(metrics.accountCount).toMatchObject({ mean: 1.5, stdDev: 0.5, range: 1 });
  });

  it('averages great-circle travel over assigned accounts', () => {
    expect(metrics.meanTravelKm).toBeCloseTo(KM_PER_DEGREE / 3, 6);
    expect(territories[0]?.meanTravelKm).toBeCloseTo(KM_PER_DEGREE / 2, 6);
  });

  it('gives the same composite for weights with the same proportions', () => {
    const scaled = measureAlignment(accounts, reps, [0, 0, 1, -1], {
      revenuePotential: 7,
      accountCount: 4,
      workload: 5,
      growthPotential: 4,
    });
    expect(scaled.territories[0]?.composite).toBeCloseTo(19 / 15, 12);
  });
});

describe('normalizeWeights', () => {
  it('scales the weights to sum to 1', () => {
    expect(normalizeWeights(DEFAULT_WEIGHTS)).toEqual({
      revenuePotential: 0.35,
      accountCount: 0.2,
      workload: 0.25,
      growthPotential: 0.2,
    });
  });

  it('rejects all-zero and negative weights', () => {
    expect(() =>
      normalizeWeights({ revenuePotential: 0, accountCount: 0, workload: 0, growthPotential: 0 }),
    ).toThrow(/at least one weight/);
    expect(() => normalizeWeights({ ...DEFAULT_WEIGHTS, workload: -1 })).toThrow(/non-negative/);
  });
});

describe('geography', () => {
  it('measures one degree of latitude as 111.2 km', () => {
    expect(greatCircleKm({ latitude: 45, longitude: -75 }, { latitude: 46, longitude: -75 })).toBeCloseTo(
      KM_PER_DEGREE,
      6,
    );
  });

  it('measures Toronto to Ottawa at about 352 km', () => {
    const km = greatCircleKm(
      { latitude: 43.6532, longitude: -79.3832 },
      { latitude: 45.4215, longitude: -75.6972 },
    );
    expect(km).toBeGreaterThan(348);
    expect(km).toBeLessThan(356);
  });

  it.each([
    ['m5v 3l9', 'M', 'M (Toronto)'],
    ['P3A2B1', 'P', 'P (Northern Ontario)'],
    ['90210', '902', 'ZIP 902xx'],
    ['90210-1234', '902', 'ZIP 902xx'],
  ])('puts %s in region %s', (postalCode, key, label) => {
    expect(regionOf(postalCode)).toEqual({ key, label });
  });

  it('has no region for codes it cannot read', () => {
    expect(regionOf('')).toBeUndefined();
    expect(regionOf('D1A 1A1')).toBeUndefined();
    expect(regionOf('hello')).toBeUndefined();
  });

  it('normalises postal codes for comparison', () => {
    expect(normalizePostalCode(' m5v 3l9 ')).toBe('M5V3L9');
    expect(normalizePostalCode('902101234')).toBe('90210');
  });
});
