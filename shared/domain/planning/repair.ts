import { PlanInfeasibleError } from './errors.js';
import type { Problem } from './problem.js';
import type { TerritoryState } from './territory-state.js';

/** Filling a rep below its minimum (or placing an orphan there) beats any balance or travel difference. */
const BELOW_MINIMUM_BONUS = 1;

interface Shift {
  account: number;
  to: number;
  cost: number;
  delta: number;
}

/**
 * Brings every rep within [lo, hi] with the cheapest moves: first shed accounts from reps above
 * their maximum (preferring reps below their minimum as destinations), then fill reps still
 * below their minimum from reps above theirs. With Σ lo ≤ n ≤ Σ hi (checked beforehand) both
 * always find a move unless replan caps forbid it, which is reported as infeasible.
 */
export function repairBounds(state: TerritoryState): void {
  const { problem } = state;
  for (let r = 0; r < problem.m; r++) {
    if ((state.count[r] as number) > (problem.hi[r] as number)) shed(state, r);
  }
  for (let r = 0; r < problem.m; r++) {
    if ((state.count[r] as number) < (problem.lo[r] as number)) fill(state, r);
  }
}

function shed(state: TerritoryState, r: number): void {
  const { problem } = state;
  const bestShift = (i: number): Shift | undefined => {
    let best: Shift | undefined;
    for (let s = 0; s < problem.m; s++) {
      if (!state.canMove(i, s)) continue;
      const cost = problem.cost(i, s);
      const bonus = (state.count[s] as number) < (problem.lo[s] as number) ? BELOW_MINIMUM_BONUS : 0;
      const delta = state.moveDelta(i, s, cost) - bonus;
      if (!best || delta < best.delta) best = { account: i, to: s, cost, delta };
    }
    return best;
  };
  const shifts = accountsOf(state, r)
    .map(bestShift)
    .filter((shift): shift is Shift => shift !== undefined)
    .sort(byDelta);
  for (const planned of shifts) {
    if ((state.count[r] as number) <= (problem.hi[r] as number)) return;
    const shift = state.canMove(planned.account, planned.to) ? planned : bestShift(planned.account);
    if (shift) state.move(shift.account, shift.to, shift.cost);
  }
  if ((state.count[r] as number) > (problem.hi[r] as number)) {
    throw new PlanInfeasibleError([
      `Rep ${problem.reps[r]?.id} has ${state.count[r]} accounts, above maxAccounts ${problem.hi[r]}, and the move caps leave no way to shed them.`,
    ]);
  }
}

function fill(state: TerritoryState, r: number): void {
  const { problem } = state;
  const shifts: Shift[] = [];
  for (let i = 0; i < problem.n; i++) {
    if (!state.canMove(i, r)) continue;
    const cost = problem.cost(i, r);
    shifts.push({ account: i, to: r, cost, delta: state.moveDelta(i, r, cost) });
  }
  shifts.sort(byDelta);
  for (const shift of shifts) {
    if ((state.count[r] as number) >= (problem.lo[r] as number)) return;
    if (state.canMove(shift.account, r)) state.move(shift.account, r, shift.cost);
  }
  if ((state.count[r] as number) < (problem.lo[r] as number)) {
    throw new PlanInfeasibleError([
      `Rep ${problem.reps[r]?.id} has ${state.count[r]} accounts, below minAccounts ${problem.lo[r]}, and the move caps leave no way to fill the book.`,
    ]);
  }
}

function accountsOf(state: TerritoryState, r: number): number[] {
  const accounts: number[] = [];
  for (let i = 0; i < state.problem.n; i++) if (state.owner[i] === r) accounts.push(i);
  return accounts;
}

function byDelta(a: Shift, b: Shift): number {
  return a.delta - b.delta || a.account - b.account;
}

/**
 * Replan: accounts without an active owner go, largest first, to the rep where they improve
 * the objective most, filling reps below their minimum first. Not counted as moves.
 */
export function placeOrphans(state: TerritoryState): void {
  const { problem } = state;
  const orphans = [];
  for (let i = 0; i < problem.n; i++) if ((state.owner[i] as number) < 0) orphans.push(i);
  orphans.sort(
    (a, b) => (problem.compositeShare[b] as number) - (problem.compositeShare[a] as number) || a - b,
  );

  for (const i of orphans) {
    const pinned = problem.pinned[i] as number;
    if (pinned >= 0) {
      state.place(i, pinned, problem.cost(i, pinned));
      continue;
    }
    const best =
      bestPlacement(state, i, candidateReps(problem, i)) ?? bestPlacement(state, i, allReps(problem));
    if (!best) {
      throw new PlanInfeasibleError([
        `Account ${problem.accounts[i]?.id} has no active owner and every rep is at maxAccounts.`,
      ]);
    }
    state.place(i, best.rep, best.cost);
  }
}

function bestPlacement(state: TerritoryState, i: number, reps: Iterable<[number, number | undefined]>) {
  const { problem } = state;
  let best: { rep: number; cost: number; delta: number } | undefined;
  for (const [r, knownCost] of reps) {
    if ((state.count[r] as number) >= (problem.hi[r] as number)) continue;
    const cost = knownCost ?? problem.cost(i, r);
    const bonus = (state.count[r] as number) < (problem.lo[r] as number) ? BELOW_MINIMUM_BONUS : 0;
    const delta = state.placeDelta(i, r, cost) - bonus;
    if (!best || delta < best.delta) best = { rep: r, cost, delta };
  }
  return best;
}

function* candidateReps(problem: Problem, i: number): Generator<[number, number]> {
  for (let k = problem.candStart[i] as number; k < (problem.candStart[i + 1] as number); k++) {
    yield [problem.candRep[k] as number, problem.candCost[k] as number];
  }
}

function* allReps(problem: Problem): Generator<[number, undefined]> {
  for (let r = 0; r < problem.m; r++) yield [r, undefined];
}
