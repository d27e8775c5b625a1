import { greatCircleKm, regionOf } from './geo.js';
import type { Account, CoverageThresholds, Rep } from './model.js';
import { industryKey } from './problem.js';

export interface IndustryCoverage {
  industry: string;
  accounts: number;
  /** Accounts owned by an active rep specialised in the industry. */
  covered: number;
  coverage: number;
  /** Active reps specialised in the industry. */
  specialists: number;
}

export interface RegionCoverage {
  region: string;
  label: string;
  accounts: number;
  /** Accounts owned by an active rep whose home is within the coverage radius. */
  covered: number;
  coverage: number;
}

export interface CoverageReport {
  /** Accounts without an active owner. */
  unassignedAccountIds: string[];
  industries: IndustryCoverage[];
  regions: RegionCoverage[];
}

export type CoverageGap =
  | { kind: 'unassigned'; accounts: number; accountIds: string[]; message: string }
  | {
      kind: 'industry' | 'region';
      key: string;
      label: string;
      accounts: number;
      covered: number;
      coverage: number;
      threshold: number;
      message: string;
    };

/**
 * Coverage of an alignment (see README "Coverage"): an industry's coverage is the share of its
 * accounts owned by an active rep specialised in it; a region's is the share of its accounts
 * owned by an active rep whose home is within `radiusKm`. Unassigned accounts count in the
 * denominators and never as covered. Accounts without an industry (or region) are left out.
 */
export function measureCoverage(
  accounts: readonly Account[],
  reps: readonly Rep[],
  ownerOf: ArrayLike<number>,
  thresholds: CoverageThresholds,
): CoverageReport {
  const specialists = new Map<string, number>();
  const specialisedIn = reps.map((rep) => new Set(rep.specializations.map(industryKey)));
  for (const set of specialisedIn)
    for (const key of set) specialists.set(key, (specialists.get(key) ?? 0) + 1);

  const industries = new Map<string, IndustryCoverage>();
  const regions = new Map<string, RegionCoverage>();
  const unassignedAccountIds: string[] = [];
  accounts.forEach((account, i) => {
    const r = ownerOf[i] ?? -1;
    const rep = reps[r];
    if (!rep) unassignedAccountIds.push(account.id);

    const key = industryKey(account.industry);
    if (key) {
      const entry = industries.get(key) ?? {
        industry: account.industry.trim(),
        accounts: 0,
        covered: 0,
        coverage: 0,
        specialists: specialists.get(key) ?? 0,
      };
      entry.accounts++;
      if (rep && specialisedIn[r]?.has(key)) entry.covered++;
      industries.set(key, entry);
    }

    const region = regionOf(account.postalCode);
    if (region) {
      const entry = regions.get(region.key) ?? {
        region: region.key,
        label: region.label,
        accounts: 0,
        covered: 0,
        coverage: 0,
      };
      entry.accounts++;
      if (rep && greatCircleKm(account.location, rep.location) <= thresholds.radiusKm) entry.covered++;
      regions.set(region.key, entry);
    }
  });

  const withShare = <T extends { accounts: number; covered: number; coverage: number }>(entry: T): T => ({
    ...entry,
    coverage: entry.accounts === 0 ? 1 : entry.covered / entry.accounts,
  });
  return {
    unassignedAccountIds,
    industries: [...industries.values()]
      .map(withShare)
      .sort((a, b) => b.accounts - a.accounts || a.industry.localeCompare(b.industry)),
    regions: [...regions.values()].map(withShare).sort((a, b) => a.region.localeCompare(b.region)),
  };
}

export function coverageGaps(report: CoverageReport, thresholds: CoverageThresholds): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  const unassigned = report.unassignedAccountIds.length;
  if (unassigned > 0) {
    gaps.push({
      kind: 'unassigned',
      accounts: unassigned,
      accountIds: report.unassignedAccountIds,
      message: `${unassigned} ${unassigned === 1 ? 'account has' : 'accounts have'} no active owner.`,
    });
  }
  for (const industry of report.industries) {
    if (industry.coverage >= thresholds.industry) continue;
    const who =
      industry.specialists === 0
        ? 'no active rep specialises in it'
        : `${industry.specialists} active ${industry.specialists === 1 ? 'rep specialises' : 'reps specialise'} in it`;
    gaps.push({
      kind: 'industry',
      key: industry.industry,
      label: industry.industry,
      accounts: industry.accounts,
      covered: industry.covered,
      coverage: industry.coverage,
      threshold: thresholds.industry,
      message: `${industry.industry}: ${pct(industry.coverage)} of ${industry.accounts} accounts are owned by a specialist (target ${pct(thresholds.industry)}); ${who}.`,
    });
  }
  for (const region of report.regions) {
    if (region.coverage >= thresholds.region) continue;
    gaps.push({
      kind: 'region',
      key: region.region,
      label: region.label,
      accounts: region.accounts,
      covered: region.covered,
      coverage: region.coverage,
      threshold: thresholds.region,
      message: `${region.label}: ${pct(region.coverage)} of ${region.accounts} accounts have their rep within ${thresholds.radiusKm} km (target ${pct(thresholds.region)}).`,
    });
  }
  return gaps;
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}
