import { describe, expect, it } from 'vitest';
import { coverageGaps, measureCoverage } from '../../../shared/domain/planning/coverage.js';
import { account, rep } from './fixtures.js';

const thresholds = { industry: 0.8, region: 0.7, radiusKm: 100 };
const home1 = { latitude: 45, longitude: -75 };
const home2 = { latitude: 47, longitude: -75 }; // 222 km north of home1

const reps = [
  rep('R1', { location: home1, specializations: ['Retail'] }),
  rep('R2', { location: home2, specializations: ['energy'] }),
];
const accounts = [
  account('A1', { industry: 'Retail', postalCode: 'K1A 0A1', location: home1 }),
  account('A2', { industry: 'Retail', postalCode: 'K2B 1A1', location: home2 }),
  account('A3', { industry: 'Energy', postalCode: 'P3A 1A1', location: home1 }),
  account('A4', { industry: 'Healthcare', postalCode: 'M5V 3L9', location: home1 }),
];
// A1 → R1, A2 → R2, A3 → R2 (222 km away), A4 unassigned.
const report = measureCoverage(accounts, reps, [0, 1, 1, -1], thresholds);

describe('measureCoverage', () => {
  it("counts an industry's accounts owned by a rep specialised in it (case-insensitive)", () => {
    expect(report.industries).toEqual([
      { industry: 'Retail', accounts: 2, covered: 1, coverage: 0.5, specialists: 1 },
      { industry: 'Energy', accounts: 1, covered: 1, coverage: 1, specialists: 1 },
      { industry: 'Healthcare', accounts: 1, covered: 0, coverage: 0, specialists: 0 },
    ]);
  });

  it("counts a region's accounts whose rep lives within the radius, by postal district", () => {
    expect(report.regions.map((r) => [r.region, r.accounts, r.covered])).toEqual([
      ['K', 2, 2],
      ['M', 1, 0],
      ['P', 1, 0],
    ]);
  });

  it('lists accounts without an active owner', () => {
    expect(report.unassignedAccountIds).toEqual(['A4']);
  });
});

describe('coverageGaps', () => {
  it('reports unassigned accounts, industries below 80% and regions below 70%', () => {
    expect(coverageGaps(report, thresholds).map((g) => g.message)).toEqual([
      '1 account has no active owner.',
      'Retail: 50% of 2 accounts are owned by a specialist (target 80%); 1 active rep specialises in it.',
      'Healthcare: 0% of 1 accounts are owned by a specialist (target 80%); no active rep specialises in it.',
      'M (Toronto): 0% of 1 accounts have their rep within 100 km (target 70%).',
      'P (Northern Ontario): 0% of 1 accounts have their rep within 100 km (target 70%).',
    ]);
  });

  it('reports nothing when every threshold is met', () => {
    expect(coverageGaps(measureCoverage(accounts.slice(0, 1), reps, [0], thresholds), thresholds)).toEqual(
      [],
    );
  });
});
