import type { CoverageGap, CoverageReport } from './coverage.js';
import { greatCircleKm, regionOf } from './geo.js';
import type { AlignmentMetrics, TerritoryTotals } from './metrics.js';
import { type Account, DIMENSIONS, type Dimension, type PlanMode, type Rep } from './model.js';
import { balanceRating, CV_TARGET, needsRebalancing } from './rating.js';
import type { TransitionPlan } from './transition.js';

const LABELS: Record<Dimension, string> = {
  revenuePotential: 'revenue potential',
  accountCount: 'account count',
  workload: 'workload',
  growthPotential: 'growth potential',
};

export interface RecommendationInput {
  mode: PlanMode;
  accounts: readonly Account[];
  reps: readonly Rep[];
  proposedOwner: ArrayLike<number>;
  current: AlignmentMetrics;
  proposed: AlignmentMetrics;
  proposedTerritories: readonly TerritoryTotals[];
  travelLowerBoundKm: number;
  limits: readonly { min: number; max: number }[];
  currentCoverage: CoverageReport;
  gaps: readonly CoverageGap[];
  transition: TransitionPlan;
  coverageRadiusKm: number;
  warnings: readonly string[];
}

/** Recommendations derived from the plan's numbers, most important first. */
export function recommendations(input: RecommendationInput): string[] {
  return [
    ...balance(input),
    ...travel(input),
    ...coverage(input),
    ...capacity(input),
    ...transition(input),
    ...input.warnings,
  ];
}

/**
 * The balance verdict comes first and says what the rating says (one set of thresholds, in
 * rating.ts): adopt when the proposed alignment rates Acceptable or better, rebalance otherwise.
 */
function balance({ current, proposed, mode }: RecommendationInput): string[] {
  const before = current.composite.coefficientOfVariation;
  const after = proposed.composite.coefficientOfVariation;
  const rating = balanceRating(proposed.composite);
  const today = after < before ? ` (${before.toFixed(3)} today)` : '';
  const out = needsRebalancing(proposed.composite)
    ? [
        `Rebalance further before adopting: the proposed composite CV ${after.toFixed(3)}${today} rates ${rating}, above the ${CV_TARGET.toFixed(2)} target; ${mode === 'replan' ? 'relax the move caps (--max-moves, --max-book-change) or the per-rep limits' : 'relax the per-rep limits (--min-accounts, --max-accounts) or add reps'} and plan again.`,
      ]
    : [
        `Adopt the plan: balance rates ${rating} with a composite CV of ${after.toFixed(3)}${today}, within the ${CV_TARGET.toFixed(2)} target (balance score ${current.composite.balanceScore.toFixed(0)} → ${proposed.composite.balanceScore.toFixed(0)}).`,
      ];
  // A dimension is worth a line only when its own rating is below Good.
  const worst = DIMENSIONS.map((d) => [d, proposed[d]] as const).sort(
    (a, b) => b[1].coefficientOfVariation - a[1].coefficientOfVariation,
  )[0];
  const worstRating = worst && balanceRating(worst[1]);
  if (worst && (worstRating === 'Acceptable' || worstRating === 'Needs rebalancing')) {
    out.push(
      `${capitalise(LABELS[worst[0]])} is the least balanced dimension (CV ${worst[1].coefficientOfVariation.toFixed(3)}, ${worstRating}); named accounts and very large accounts limit how evenly it can be split.`,
    );
  }
  return out;
}

function travel(input: RecommendationInput): string[] {
  const { proposed, travelLowerBoundKm } = input;
  if (travelLowerBoundKm <= 0) return [];
  const ratio = proposed.meanTravelKm / travelLowerBoundKm;
  if (ratio <= 2) return [];
  const byRegion = new Map<string, { label: string; km: number; accounts: number }>();
  input.accounts.forEach((account, i) => {
    const rep = input.reps[input.proposedOwner[i] ?? -1];
    const region = regionOf(account.postalCode);
    if (!rep || !region) return;
    const entry = byRegion.get(region.key) ?? { label: region.label, km: 0, accounts: 0 };
    entry.km += greatCircleKm(account.location, rep.location);
    entry.accounts++;
    byRegion.set(region.key, entry);
  });
  const farthest = [...byRegion.values()].sort((a, b) => b.km / b.accounts - a.km / a.accounts)[0];
  const where = farthest
    ? ` Accounts in ${farthest.label} are ${Math.round(farthest.km / farthest.accounts)} km from their rep on average: a rep based there would shorten it most.`
    : '';
  return [
    `Mean travel is ${proposed.meanTravelKm.toFixed(1)} km, ${ratio.toFixed(1)}x the nearest-rep bound of ${travelLowerBoundKm.toFixed(1)} km: rep homes do not match where the accounts are.${where}`,
  ];
}

function coverage(input: RecommendationInput): string[] {
  const out: string[] = [];
  const orphans = input.currentCoverage.unassignedAccountIds.length;
  if (orphans > 0)
    out.push(`${orphans} accounts have no active owner today; the plan gives each one an owner.`);
  const averageBook = input.accounts.length / Math.max(1, input.reps.length);
  for (const gap of input.gaps) {
    if (gap.kind === 'unassigned') {
      out.push(`${gap.accounts} accounts stay unassigned in the plan: add reps or raise maxAccounts.`);
    } else if (gap.kind === 'industry') {
      const specialists = input.reps.filter((r) =>
        r.specializations.some((s) => s.trim().toLowerCase() === gap.key.toLowerCase()),
      ).length;
      const needed = Math.max(1, Math.ceil((gap.accounts * gap.threshold) / averageBook) - specialists);
      out.push(
        `${gap.label}: ${pct(gap.coverage)} of ${gap.accounts} accounts are with a specialist; train or hire ${needed} more ${gap.label} ${needed === 1 ? 'specialist' : 'specialists'}.`,
      );
    } else {
      out.push(
        `${gap.label}: only ${pct(gap.coverage)} of ${gap.accounts} accounts are within ${input.coverageRadiusKm} km of their rep; ${suggestHome(input, gap.key)}`,
      );
    }
  }
  return out;
}

/** The FSA (or ZIP) holding most of a region's far-from-rep accounts: where a new rep would help. */
function suggestHome(input: RecommendationInput, region: string): string {
  const counts = new Map<string, number>();
  input.accounts.forEach((account, i) => {
    if (regionOf(account.postalCode)?.key !== region) return;
    const rep = input.reps[input.proposedOwner[i] ?? -1];
    if (rep && greatCircleKm(account.location, rep.location) <= input.coverageRadiusKm) return;
    const area = account.postalCode.toUpperCase().replace(/\s/g, '').slice(0, 3);
    counts.set(area, (counts.get(area) ?? 0) + 1);
  });
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return best
    ? `consider a rep based near ${best[0]} (${best[1]} of the uncovered accounts).`
    : 'consider a rep based in the region.';
}

function capacity(input: RecommendationInput): string[] {
  const atMax = input.proposedTerritories.filter(
    (t, r) => t.accountCount >= (input.limits[r]?.max ?? Infinity),
  ).length;
  const atMin = input.proposedTerritories.filter(
    (t, r) => t.accountCount <= (input.limits[r]?.min ?? -Infinity),
  ).length;
  const out: string[] = [];
  if (atMax > 0)
    out.push(`${atMax} reps are at their maxAccounts: capacity is tight; raise the limit or add reps.`);
  if (atMin > 0)
    out.push(
      `${atMin} reps are at their minAccounts: there are more reps than the accounts need; consider fewer or larger territories.`,
    );
  return out;
}

function transition(input: RecommendationInput): string[] {
  const { transition: plan, mode } = input;
  const out: string[] = [];
  const share = plan.totalMoves / Math.max(1, input.accounts.length);
  if (mode === 'greenfield' && share > 0.3) {
    out.push(
      `This greenfield plan moves ${pct(share)} of accounts; to limit disruption, run --mode replan with --max-moves or --max-book-change.`,
    );
  }
  const vp = plan.guardrails.violations.filter((v) => v.rule === 'vp-approval').length;
  if (vp > 0)
    out.push(
      `${vp} reps gain or lose more than the VP threshold: book the VP review before the communication date.`,
    );
  const deals = plan.guardrails.violations.filter((v) => v.rule === 'deal-owner-approval');
  if (deals.length > 0) {
    const amount = deals.reduce((sum, v) => sum + (v.numbers.openDealAmount ?? 0), 0);
    out.push(
      `${deals.length} moving accounts carry large open deals (${money(amount)} in total): the deals stay with their owners; schedule handover calls and the deal owners' approval.`,
    );
  }
  const blocked = plan.guardrails.blocked.length;
  if (blocked > 0) {
    const rules = [...new Set(plan.guardrails.blocked.flatMap((b) => b.rules))].join(', ');
    out.push(
      `${blocked} moves are blocked by guardrails (${rules}): phase them into a later cycle or replan with --max-book-change under the cap.`,
    );
  }
  return out;
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function money(amount: number): string {
  return `$${Math.round(amount).toLocaleString('en-US')}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
