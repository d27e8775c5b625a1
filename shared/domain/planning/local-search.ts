import type { TerritoryState } from './territory-state.js';

/** Smallest objective decrease a step must bring; guards against float noise cycling. */
const MIN_GAIN = 1e-13;

interface Step {
  account: number;
  to: number;
  cost: number;
  delta: number;
}

/**
 * One pass of single-account moves, best first: every free account proposes its best move to
 * any rep (O(m) each, so load can cross gaps no candidate list bridges; the travel term keeps
 * long moves rare); proposals are applied in order of gain, each re-evaluated against the
 * loads as they are then. Best-first matters in replan, where a move cap should buy the
 * largest gains.
 */
export function movePass(state: TerritoryState): number {
  const { problem } = state;
  const proposals: Step[] = [];
  for (let i = 0; i < problem.n; i++) {
    if ((problem.pinned[i] as number) >= 0) continue;
    const step = bestMove(state, i);
    if (step) proposals.push(step);
  }
  proposals.sort((a, b) => a.delta - b.delta || a.account - b.account);
  let applied = 0;
  for (const proposal of proposals) {
    const step = bestMove(state, proposal.account);
    if (!step) continue;
    state.move(step.account, step.to, step.cost);
    applied++;
  }
  return applied;
}

function bestMove(state: TerritoryState, i: number): Step | undefined {
  const { m, costMatrix } = state.problem;
  const r = state.owner[i] as number;
  let best: Step | undefined;
  let bestDelta = -MIN_GAIN;
  for (let s = 0; s < m; s++) {
    if (s === r) continue;
    const cost = costMatrix[i * m + s] as number;
    const delta = state.moveDelta(i, s, cost);
    if (delta < bestDelta && state.canMove(i, s)) {
      bestDelta = delta;
      best = { account: i, to: s, cost, delta };
    }
  }
  return best;
}

/**
 * One pass of pairwise swaps between neighbouring territories: account i (rep r) trades with
 * an account j of a candidate rep s that has r among its own candidates. Swaps keep account
 * counts, so they tune revenue, workload and growth where single moves would break the count.
 */
export function swapPass(state: TerritoryState): number {
  const { problem } = state;
  const { n, m, candStart, candRep, candCost, pinned } = problem;
  // border.get(s * m + r): [j, k, j, k, ...] accounts j of rep s with rep r at candidate slot k.
  const border = new Map<number, number[]>();
  for (let j = 0; j < n; j++) {
    if ((pinned[j] as number) >= 0) continue;
    const s = state.owner[j] as number;
    for (let k = candStart[j] as number; k < (candStart[j + 1] as number); k++) {
      const r = candRep[k] as number;
      if (r === s) continue;
      const key = s * m + r;
      const list = border.get(key);
      if (list) list.push(j, k);
      else border.set(key, [j, k]);
    }
  }

  let applied = 0;
  for (let i = 0; i < n; i++) {
    if ((pinned[i] as number) >= 0) continue;
    const r = state.owner[i] as number;
    let bestDelta = -MIN_GAIN;
    let bestJ = -1;
    let bestCostIS = 0;
    let bestCostJR = 0;
    for (let ki = candStart[i] as number; ki < (candStart[i + 1] as number); ki++) {
      const s = candRep[ki] as number;
      if (s === r) continue;
      const list = border.get(s * m + r);
      if (!list) continue;
      const costIS = candCost[ki] as number;
      for (let p = 0; p < list.length; p += 2) {
        const j = list[p] as number;
        if (state.owner[j] !== s) continue;
        const costJR = candCost[list[p + 1] as number] as number;
        const delta = state.swapDelta(i, j, costIS, costJR);
        if (delta < bestDelta && state.canSwap(i, j)) {
          bestDelta = delta;
          bestJ = j;
          bestCostIS = costIS;
          bestCostJR = costJR;
        }
      }
    }
    if (bestJ >= 0) {
      state.swap(i, bestJ, bestCostIS, bestCostJR);
      applied++;
    }
  }
  return applied;
}
