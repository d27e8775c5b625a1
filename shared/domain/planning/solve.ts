import { movePass, swapPass } from './local-search.js';
import type { PlanMode, ProgressEvent } from './model.js';
import type { Problem } from './problem.js';
import { placeOrphans, repairBounds } from './repair.js';
import { type ObjectiveWeights, TerritoryState } from './territory-state.js';

const MAX_PASSES = 120;
/** A search round ends when a pass improves the objective by less than this share. */
const CONVERGED = 1e-3;
/** Rounds in which CV weights of dimensions still above target are doubled. */
const MAX_BOOSTS = 6;
/** The composite's CV² counts double: its goal (0.02) is tighter than a dimension's (0.05). */
const COMPOSITE_WEIGHT = 2;
/** Mean travel over the nearest-rep mean: 1% more of it weighs like 0.0005 of CV². */
const TRAVEL_WEIGHT = 0.05;
/** Replan: a move must buy at least this much balance (in the objective's per-account units). */
const REPLAN_MOVE_WEIGHT = 0.02;

/** CVs the search keeps pushing toward by raising their weight, at some cost in travel. */
export interface BalanceTargets {
  composite: number;
  dimension: number;
}

export const DEFAULT_BALANCE_TARGETS: BalanceTargets = { composite: 0.01, dimension: 0.03 };

export interface SolveOptions {
  mode: PlanMode;
  maxMoves?: number;
  maxBookChange?: number;
  targets?: BalanceTargets;
  onProgress?: (event: ProgressEvent) => void;
  /** Overrides of the objective's term weights (tuning and experiments). */
  objective?: Partial<Omit<ObjectiveWeights, 'dimensions'>>;
}

export interface Solution {
  owner: Int32Array;
  passes: number;
}

/**
 * Greenfield: count-balanced least-travel seed (auction) → bounds repair → local search.
 * Replan: current owners → orphans placed → bounds repair → local search within the caps.
 * The local search runs to convergence; then dimensions still above their CV target get
 * twice the weight and it runs again, up to MAX_BOOSTS times.
 */
export function solve(problem: Problem, options: SolveOptions): Solution {
  const replan = options.mode === 'replan';
  const caps = {
    maxMoves: replan ? (options.maxMoves ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY,
    maxLost: Int32Array.from(problem.reps, (_, r) =>
      lossCap(problem, r, replan ? options.maxBookChange : undefined),
    ),
  };
  const weights: ObjectiveWeights = {
    dimensions: problem.dimensionWeight,
    composite: COMPOSITE_WEIGHT,
    travel: TRAVEL_WEIGHT,
    move: replan ? REPLAN_MOVE_WEIGHT : 0,
    ...options.objective,
  };
  const targets = options.targets ?? DEFAULT_BALANCE_TARGETS;

  options.onProgress?.({ phase: 'seed', done: 0, total: 1 });
  const start = replan ? startFromCurrent(problem) : problem.seed;
  const state = new TerritoryState(problem, start, caps, weights);
  if (replan) placeOrphans(state);
  repairBounds(state);
  options.onProgress?.({ phase: 'seed', done: 1, total: 1 });

  let passes = 0;
  for (let boost = 0; passes < MAX_PASSES; boost++) {
    passes += searchToConvergence(state, MAX_PASSES - passes, (done) =>
      options.onProgress?.({ phase: 'search', done: passes + done, total: MAX_PASSES }),
    );
    if (boost >= MAX_BOOSTS || !boostUnmetTargets(state, targets)) break;
  }
  options.onProgress?.({ phase: 'search', done: MAX_PASSES, total: MAX_PASSES });
  assertHardConstraints(problem, state);
  return { owner: state.owner, passes };
}

function searchToConvergence(
  state: TerritoryState,
  maxPasses: number,
  onPass: (done: number) => void,
): number {
  let objective = state.objective();
  let passes = 0;
  while (passes < maxPasses) {
    passes++;
    const changed = movePass(state) + swapPass(state);
    const next = state.objective();
    onPass(passes);
    const converged = changed === 0 || objective - next <= CONVERGED * Math.abs(next);
    objective = next;
    if (converged) break;
  }
  return passes;
}

/** Doubles the CV weight of every dimension (and the composite) above its target; false if none is. */
function boostUnmetTargets(state: TerritoryState, targets: BalanceTargets): boolean {
  const cv = state.coefficientsOfVariation();
  let boosted = false;
  cv.dimensions.forEach((value, d) => {
    const weight = state.weights.dimensions[d] as number;
    if (weight > 0 && value > targets.dimension) {
      state.weights.dimensions[d] = weight * 2;
      boosted = true;
    }
  });
  if (cv.composite > targets.composite) {
    state.weights.composite *= 2;
    boosted = true;
  }
  return boosted;
}

function startFromCurrent(problem: Problem): Int32Array {
  return Int32Array.from(problem.current, (r, i) => {
    const pinned = problem.pinned[i] as number;
    return pinned >= 0 ? pinned : r;
  });
}

function lossCap(problem: Problem, r: number, maxBookChange: number | undefined): number {
  if (maxBookChange === undefined) return 2 ** 31 - 1;
  let book = 0;
  for (const owner of problem.current) if (owner === r) book++;
  return Math.floor(maxBookChange * book);
}

/** The solver's contract; a failure here is a bug, not bad input. */
function assertHardConstraints(problem: Problem, state: TerritoryState): void {
  for (let i = 0; i < problem.n; i++) {
    const owner = state.owner[i] as number;
    if (owner < 0) throw new Error(`planner bug: account ${problem.accounts[i]?.id} unassigned`);
    const pinned = problem.pinned[i] as number;
    if (pinned >= 0 && owner !== pinned)
      throw new Error(`planner bug: named account ${problem.accounts[i]?.id} moved`);
  }
  for (let r = 0; r < problem.m; r++) {
    const count = state.count[r] as number;
    if (count < (problem.lo[r] as number) || count > (problem.hi[r] as number)) {
      throw new Error(`planner bug: rep ${problem.reps[r]?.id} has ${count} accounts`);
    }
  }
}
