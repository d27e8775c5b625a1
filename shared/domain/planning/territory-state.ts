import { DIMENSIONS } from './model.js';
import type { Problem } from './problem.js';

const D = DIMENSIONS.length;

/** Relative weights of the objective's terms besides the per-dimension CV². */
export interface ObjectiveWeights {
  /** Weight of each dimension's CV² (see DIMENSIONS); 0 for dimensions weighted 0 in the composite. */
  dimensions: Float64Array;
  /** Weight of the composite's CV². */
  composite: number;
  /** Weight of mean travel-equivalent cost, in units of the nearest-rep mean distance. */
  travel: number;
  /** Cost of one account leaving its current active owner, as a share of all accounts. */
  move: number;
}

/** Replan caps; Infinity where not set. */
export interface MoveCaps {
  maxMoves: number;
  /** Per rep: how many accounts of its current book may leave it. */
  maxLost: Int32Array;
}

/**
 * An assignment with everything the objective needs kept incrementally, so a move or swap is
 * evaluated in O(dimensions):
 *
 *   J = Σ_d ω_d·CV_d² + ω_c·CV_c² + τ·Σ_i cost_i / (n·s) + κ·moved / n
 *
 * where CV² = (1/m)·Σ_r (L_r − 1)² with L_r a territory's total divided by the mean territory.
 */
export class TerritoryState {
  readonly owner: Int32Array;
  readonly ownerCost: Float64Array;
  /** load[r * D + d]: territory r's total on dimension d over the mean territory's. */
  readonly load: Float64Array;
  readonly composite: Float64Array;
  readonly count: Int32Array;
  /** Accounts of rep r's current book now owned by someone else. */
  readonly lost: Int32Array;
  moved = 0;
  private readonly balanceScale: number;
  private readonly travelScale: number;
  private readonly moveScale: number;

  constructor(
    readonly problem: Problem,
    owner: Int32Array,
    readonly caps: MoveCaps,
    readonly weights: ObjectiveWeights,
  ) {
    this.weights = { ...weights, dimensions: Float64Array.from(weights.dimensions) };
    const { n, m } = problem;
    this.owner = new Int32Array(n).fill(-1);
    this.ownerCost = new Float64Array(n);
    this.load = new Float64Array(m * D);
    this.composite = new Float64Array(m);
    this.count = new Int32Array(m);
    this.lost = new Int32Array(m);
    this.balanceScale = 1 / Math.max(1, m);
    this.travelScale = weights.travel / (Math.max(1, n) * Math.max(1, problem.nearestMeanKm));
    this.moveScale = weights.move / Math.max(1, n);
    for (let i = 0; i < n; i++) {
      const r = owner[i] as number;
      if (r >= 0) this.place(i, r, problem.cost(i, r));
    }
  }

  /** Gives an unassigned account to rep r (placing orphans and seeds; not a move). */
  place(i: number, r: number, cost: number): void {
    this.owner[i] = r;
    this.ownerCost[i] = cost;
    this.add(i, r, 1);
    const current = this.problem.current[i] as number;
    if (current >= 0 && current !== r) {
      this.moved++;
      this.lost[current] = (this.lost[current] as number) + 1;
    }
  }

  /** Change in J if account i moves to rep s at travel-equivalent cost `cost`. */
  moveDelta(i: number, s: number, cost: number): number {
    const { share, compositeShare, n } = this.problem;
    const dimensionWeight = this.weights.dimensions;
    const r = this.owner[i] as number;
    let balance = 0;
    for (let d = 0; d < D; d++) {
      const x = share[d * n + i] as number;
      const gap = (this.load[s * D + d] as number) - (this.load[r * D + d] as number);
      balance += (dimensionWeight[d] as number) * 2 * x * (gap + x);
    }
    const c = compositeShare[i] as number;
    balance +=
      this.weights.composite * 2 * c * ((this.composite[s] as number) - (this.composite[r] as number) + c);
    return (
      this.balanceScale * balance +
      this.travelScale * (cost - (this.ownerCost[i] as number)) +
      this.moveScale * this.movedChange(i, s)
    );
  }

  /** Change in J if unassigned account i goes to rep s. */
  placeDelta(i: number, s: number, cost: number): number {
    const { share, compositeShare, n } = this.problem;
    const dimensionWeight = this.weights.dimensions;
    let balance = 0;
    for (let d = 0; d < D; d++) {
      const x = share[d * n + i] as number;
      balance += (dimensionWeight[d] as number) * x * (2 * ((this.load[s * D + d] as number) - 1) + x);
    }
    const c = compositeShare[i] as number;
    balance += this.weights.composite * c * (2 * ((this.composite[s] as number) - 1) + c);
    return this.balanceScale * balance + this.travelScale * cost;
  }

  /** Whether moving account i to rep s keeps pins, bounds and caps. */
  canMove(i: number, s: number): boolean {
    const r = this.owner[i] as number;
    const { pinned, lo, hi } = this.problem;
    if (s === r || (pinned[i] as number) >= 0) return false;
    if ((this.count[r] as number) <= (lo[r] as number) || (this.count[s] as number) >= (hi[s] as number))
      return false;
    return this.withinCaps(i, s);
  }

  move(i: number, s: number, cost: number): void {
    const r = this.owner[i] as number;
    this.applyMovedChange(i, s);
    this.add(i, r, -1);
    this.owner[i] = s;
    this.ownerCost[i] = cost;
    this.add(i, s, 1);
  }

  /** Change in J if account i (rep r) and account j (rep s) trade owners. */
  swapDelta(i: number, j: number, costIS: number, costJR: number): number {
    const { share, compositeShare, n } = this.problem;
    const dimensionWeight = this.weights.dimensions;
    const r = this.owner[i] as number;
    const s = this.owner[j] as number;
    let balance = 0;
    for (let d = 0; d < D; d++) {
      const t = (share[d * n + i] as number) - (share[d * n + j] as number);
      const gap = (this.load[s * D + d] as number) - (this.load[r * D + d] as number);
      balance += (dimensionWeight[d] as number) * 2 * t * (gap + t);
    }
    const tc = (compositeShare[i] as number) - (compositeShare[j] as number);
    balance +=
      this.weights.composite * 2 * tc * ((this.composite[s] as number) - (this.composite[r] as number) + tc);
    const travel = costIS - (this.ownerCost[i] as number) + costJR - (this.ownerCost[j] as number);
    const moved = this.movedChange(i, s) + this.movedChange(j, r);
    return this.balanceScale * balance + this.travelScale * travel + this.moveScale * moved;
  }

  canSwap(i: number, j: number): boolean {
    const { pinned } = this.problem;
    const r = this.owner[i] as number;
    const s = this.owner[j] as number;
    if (r === s || (pinned[i] as number) >= 0 || (pinned[j] as number) >= 0) return false;
    const moved = this.moved + this.movedChange(i, s) + this.movedChange(j, r);
    if (moved > this.caps.maxMoves) return false;
    return this.lossWithinCap(i, s, j, r);
  }

  swap(i: number, j: number, costIS: number, costJR: number): void {
    const r = this.owner[i] as number;
    const s = this.owner[j] as number;
    this.move(i, s, costIS);
    this.move(j, r, costJR);
  }

  /** The objective J (see the class comment). */
  objective(): number {
    const { m } = this.problem;
    const dimensionWeight = this.weights.dimensions;
    let balance = 0;
    for (let r = 0; r < m; r++) {
      for (let d = 0; d < D; d++)
        balance += (dimensionWeight[d] as number) * ((this.load[r * D + d] as number) - 1) ** 2;
      balance += this.weights.composite * ((this.composite[r] as number) - 1) ** 2;
    }
    let travel = 0;
    for (const cost of this.ownerCost) travel += cost;
    return this.balanceScale * balance + this.travelScale * travel + this.moveScale * this.moved;
  }

  /** Coefficient of variation per dimension and of the composite (every account assigned, so means are 1). */
  coefficientsOfVariation(): { dimensions: number[]; composite: number } {
    const { m } = this.problem;
    const squares = new Array<number>(D).fill(0);
    let composite = 0;
    for (let r = 0; r < m; r++) {
      for (let d = 0; d < D; d++)
        squares[d] = (squares[d] as number) + ((this.load[r * D + d] as number) - 1) ** 2;
      composite += ((this.composite[r] as number) - 1) ** 2;
    }
    const cv = (sum: number) => Math.sqrt(sum / Math.max(1, m));
    return { dimensions: squares.map(cv), composite: cv(composite) };
  }

  private add(i: number, r: number, sign: 1 | -1): void {
    const { share, compositeShare, n } = this.problem;
    for (let d = 0; d < D; d++)
      this.load[r * D + d] = (this.load[r * D + d] as number) + sign * (share[d * n + i] as number);
    this.composite[r] = (this.composite[r] as number) + sign * (compositeShare[i] as number);
    this.count[r] = (this.count[r] as number) + sign;
  }

  /** +1 when account i would newly leave its current owner, −1 when it would return, else 0. */
  private movedChange(i: number, s: number): number {
    const current = this.problem.current[i] as number;
    if (current < 0) return 0;
    return (s !== current ? 1 : 0) - ((this.owner[i] as number) !== current ? 1 : 0);
  }

  private withinCaps(i: number, s: number): boolean {
    const change = this.movedChange(i, s);
    if (change <= 0) return true;
    if (this.moved + change > this.caps.maxMoves) return false;
    const current = this.problem.current[i] as number;
    return (this.lost[current] as number) + 1 <= (this.caps.maxLost[current] as number);
  }

  private lossWithinCap(i: number, s: number, j: number, r: number): boolean {
    const { current } = this.problem;
    const ci = current[i] as number;
    const cj = current[j] as number;
    const di = this.movedChange(i, s);
    const dj = this.movedChange(j, r);
    if (ci >= 0 && ci === cj) return di + dj <= 0 || this.lossFits(ci, di + dj);
    return (ci < 0 || di <= 0 || this.lossFits(ci, di)) && (cj < 0 || dj <= 0 || this.lossFits(cj, dj));
  }

  private lossFits(rep: number, extra: number): boolean {
    return (this.lost[rep] as number) + extra <= (this.caps.maxLost[rep] as number);
  }

  private applyMovedChange(i: number, s: number): void {
    const change = this.movedChange(i, s);
    if (change === 0) return;
    this.moved += change;
    const current = this.problem.current[i] as number;
    this.lost[current] = (this.lost[current] as number) + change;
  }
}
