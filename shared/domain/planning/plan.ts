import {
  evaluateGuardrails,
  type GuardrailSnapshot,
  type IsoDate,
  isIsoDate,
  type ProposedMove,
  toIsoDate,
} from '../guardrails/index.js';
import { repLabels, type TerritoryCard, territoryCards } from './cards.js';
import { type CoverageGap, type CoverageReport, coverageGaps, measureCoverage } from './coverage.js';
import { PlanInputError } from './errors.js';
import {
  checkFeasibility,
  checkReplanCaps,
  namedCounts,
  type RepLimits,
  resolveLimits,
} from './feasibility.js';
import {
  type AlignmentMetrics,
  measureAlignment,
  normalizeWeights,
  type TerritoryTotals,
} from './metrics.js';
import type {
  Account,
  CoverageThresholds,
  PlanMode,
  PlanningInput,
  PlanOptions,
  Rep,
  Weights,
} from './model.js';
import { buildProblem } from './problem.js';
import { type BalanceRating, balanceRating } from './rating.js';
import { recommendations } from './recommendations.js';
import { solve } from './solve.js';
import { defaultGoLive, implementationTimeline, type Milestone } from './timeline.js';
import { buildTransition, type TransitionPlan } from './transition.js';

export interface TerritoryPlan {
  mode: PlanMode;
  asOf: IsoDate;
  /** Normalised to sum to 1. */
  weights: Weights;
  assignments: { accountId: string; repId: string }[];
  metrics: { current: AlignmentMetrics; proposed: AlignmentMetrics };
  /** The composite's rating; the recommendations' balance verdict follows the same thresholds. */
  rating: { current: BalanceRating; proposed: BalanceRating };
  territories: { current: TerritoryTotals[]; proposed: TerritoryTotals[] };
  /** Mean distance from each account to its nearest active rep: no alignment travels less. */
  travelLowerBoundKm: number;
  /** Coverage gaps of the proposed alignment. */
  gaps: CoverageGap[];
  coverage: { current: CoverageReport; proposed: CoverageReport; thresholds: CoverageThresholds };
  transition: TransitionPlan;
  timeline: Milestone[];
  recommendations: string[];
  cards: TerritoryCard[];
  warnings: string[];
  /** Local-search passes the solver ran. */
  passes: number;
}

/**
 * Plans territories for the active reps (README "Territory planning"): balanced on the weighted composite and
 * every dimension, compact, named accounts fixed, within per-rep limits and, in replan, within
 * the move caps. Throws PlanInfeasibleError (with every clash) or PlanInputError.
 */
export function planTerritories(input: PlanningInput, options: PlanOptions): TerritoryPlan {
  validate(input, options);
  const weights = normalizeWeights(options.weights);
  const asOf = toIsoDate(options.now);
  const activeReps = input.reps.filter((rep) => rep.active);
  const repIndex = new Map(activeReps.map((rep, r) => [rep.id, r]));
  const { accounts } = input;
  const current = Int32Array.from(accounts, (a) =>
    a.currentOwnerId === null ? -1 : (repIndex.get(a.currentOwnerId) ?? -1),
  );
  const pinned = Int32Array.from(accounts, (a, i) => (a.named ? (current[i] as number) : -1));
  const named = namedCounts(accounts, repIndex, activeReps.length);
  const limits: RepLimits[] = resolveLimits(activeReps, options).map((l, r) => ({
    ...l,
    named: named[r] ?? 0,
  }));
  const warnings = ownershipWarnings(input, repIndex);

  checkFeasibility(accounts.length, activeReps, limits);
  if (options.mode === 'replan') {
    const books = activeReps.map((_, r) => current.filter((c) => c === r).length);
    const orphans = current.filter((c) => c < 0).length;
    checkReplanCaps(activeReps, limits, books, orphans, options);
  }

  options.onProgress?.({ phase: 'prepare', done: 0, total: 1 });
  const problem = buildProblem({
    accounts,
    reps: activeReps,
    weights,
    pinned,
    current: options.mode === 'replan' ? current : new Int32Array(accounts.length).fill(-1),
    lo: limits.map((l) => Math.max(l.min, l.named)),
    hi: limits.map((l) => l.max),
    specializationKm: options.specializationKm,
  });
  options.onProgress?.({ phase: 'prepare', done: 1, total: 1 });
  const solution = solve(problem, {
    mode: options.mode,
    ...(options.maxMoves !== undefined ? { maxMoves: options.maxMoves } : {}),
    ...(options.maxBookChange !== undefined ? { maxBookChange: options.maxBookChange } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const proposed = solution.owner;

  options.onProgress?.({ phase: 'report', done: 0, total: 1 });
  const before = measureAlignment(accounts, activeReps, current, weights);
  const after = measureAlignment(accounts, activeReps, proposed, weights);
  const coverage = {
    current: measureCoverage(accounts, activeReps, current, options.coverage),
    proposed: measureCoverage(accounts, activeReps, proposed, options.coverage),
    thresholds: options.coverage,
  };
  const gaps = coverageGaps(coverage.proposed, options.coverage);

  const noticeDays = options.guardrails.effectiveDate.minNoticeDays;
  const goLive = options.effectiveDate ?? defaultGoLive(asOf, noticeDays);
  const moves = buildTransition({
    accounts,
    allReps: input.reps,
    activeReps,
    proposed,
    currentComposite: before.territories.map((t) => t.composite),
    effectiveDate: goLive,
  });
  const guardrails = evaluateGuardrails(
    {
      moves: moves.moves.map(
        (m): ProposedMove => ({
          recordId: m.accountId,
          objectType: 'Account',
          fromOwnerId: m.fromRepId,
          toOwnerId: m.toRepId,
          effectiveDate: goLive,
        }),
      ),
      // Named accounts of inactive owners must move; they need the manager's override.
      namedAccountOverride: moves.moves.filter((m) => m.named).map((m) => m.accountId),
    },
    guardrailSnapshot(input, options),
    options.guardrails,
    options.now,
  );
  const transition: TransitionPlan = { ...moves, guardrails };
  const timeline = implementationTimeline({
    asOf,
    goLive,
    noticeDays,
    approvals: guardrails.requiredApprovals,
    affectedReps: transition.affectedReps,
    movingAccounts: transition.totalMoves,
    openDeals: transition.openDealsMoving,
  });
  warnings.push(...timeline.warnings);

  const plan: TerritoryPlan = {
    mode: options.mode,
    asOf,
    weights,
    assignments: accounts.map((a, i) => ({
      accountId: a.id,
      repId: (activeReps[proposed[i] as number] as Rep).id,
    })),
    metrics: { current: before.metrics, proposed: after.metrics },
    rating: {
      current: balanceRating(before.metrics.composite),
      proposed: balanceRating(after.metrics.composite),
    },
    territories: { current: before.territories, proposed: after.territories },
    travelLowerBoundKm: problem.nearestMeanKm,
    gaps,
    coverage,
    transition,
    timeline: timeline.milestones,
    recommendations: [],
    cards: territoryCards(accounts, activeReps, proposed, after.territories, transition.repChanges),
    warnings,
    passes: solution.passes,
  };
  plan.recommendations = recommendations({
    mode: options.mode,
    accounts,
    reps: activeReps,
    proposedOwner: proposed,
    current: before.metrics,
    proposed: after.metrics,
    proposedTerritories: after.territories,
    travelLowerBoundKm: problem.nearestMeanKm,
    limits,
    currentCoverage: coverage.current,
    gaps,
    transition,
    coverageRadiusKm: options.coverage.radiusKm,
    warnings,
  });
  options.onProgress?.({ phase: 'report', done: 1, total: 1 });
  return plan;
}

/** What the guardrails know from planning input: no opportunity detail, one open-deal total per account. */
function guardrailSnapshot(input: PlanningInput, options: PlanOptions): GuardrailSnapshot {
  const bookSizes: Record<string, number> = {};
  for (const account of input.accounts) {
    if (account.currentOwnerId)
      bookSizes[account.currentOwnerId] = (bookSizes[account.currentOwnerId] ?? 0) + 1;
  }
  return {
    accounts: input.accounts.map((a) => ({ id: a.id, ownerId: a.currentOwnerId, named: a.named })),
    openOpportunities: input.accounts
      .filter(
        (a): a is Account & { currentOwnerId: string } => a.openDealAmount > 0 && a.currentOwnerId !== null,
      )
      .map((a) => ({
        id: `${a.id}:open-deals`,
        accountId: a.id,
        ownerId: a.currentOwnerId,
        amount: a.openDealAmount,
      })),
    bookSizes,
    history: options.history,
    // Guardrail messages name reps (told apart when names repeat) and accounts, as reassign's do.
    names: new Map([
      ...input.accounts.filter((a) => a.name).map((a) => [a.id, a.name] as const),
      ...repLabels(input.reps),
    ]),
  };
}

function validate(input: PlanningInput, options: PlanOptions): void {
  const problems: string[] = [];
  const dupAccounts = duplicates(input.accounts.map((a) => a.id));
  const dupReps = duplicates(input.reps.map((r) => r.id));
  if (dupAccounts.length) problems.push(`duplicate account ids: ${dupAccounts.slice(0, 10).join(', ')}`);
  if (dupReps.length) problems.push(`duplicate rep ids: ${dupReps.slice(0, 10).join(', ')}`);
  for (const a of input.accounts) {
    for (const key of ['revenuePotential', 'workload', 'growthPotential', 'openDealAmount', 'arr'] as const) {
      if (!Number.isFinite(a[key]) || a[key] < 0)
        problems.push(`account ${a.id}: ${key} must be a number ≥ 0`);
    }
  }
  if (options.maxMoves !== undefined && !(Number.isInteger(options.maxMoves) && options.maxMoves >= 0)) {
    problems.push(`maxMoves must be a whole number ≥ 0, got ${options.maxMoves}`);
  }
  if (options.maxBookChange !== undefined && !(options.maxBookChange >= 0 && options.maxBookChange <= 1)) {
    problems.push(`maxBookChange must be between 0 and 1, got ${options.maxBookChange}`);
  }
  if (options.effectiveDate !== undefined && !isIsoDate(options.effectiveDate)) {
    problems.push(`effectiveDate must be a YYYY-MM-DD date, got ${options.effectiveDate}`);
  }
  if (problems.length > 0) throw new PlanInputError(problems.slice(0, 20));
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of ids) (seen.has(id) ? repeated : seen).add(id);
  return [...repeated];
}

function ownershipWarnings(input: PlanningInput, activeIndex: ReadonlyMap<string, number>): string[] {
  const known = new Set(input.reps.map((r) => r.id));
  const unknown = input.accounts.filter((a) => a.currentOwnerId !== null && !known.has(a.currentOwnerId));
  const namedOrphans = input.accounts.filter(
    (a) => a.named && a.currentOwnerId !== null && !activeIndex.has(a.currentOwnerId),
  );
  const warnings: string[] = [];
  if (unknown.length > 0) {
    warnings.push(
      `${unknown.length} accounts are owned by ids missing from the reps list (e.g. ${unknown[0]?.currentOwnerId}); they are treated as unowned.`,
    );
  }
  if (namedOrphans.length > 0) {
    warnings.push(
      `${namedOrphans.length} named accounts belong to inactive or unknown reps (${namedOrphans
        .slice(0, 5)
        .map((a) => a.id)
        .join(
          ', ',
        )}${namedOrphans.length > 5 ? ', …' : ''}); they get new owners and need a manager override.`,
    );
  }
  return warnings;
}
