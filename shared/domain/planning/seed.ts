/** ε-scaling: first ε in units of the nearest-rep mean distance, divided by this each phase. */
const EPSILON_FACTOR = 5;
/** Last ε, in the same unit: the seed's mean travel is within ε of the count-balanced optimum. */
const FINAL_EPSILON = 0.05;
/** Bids allowed per free account over all phases; beyond it the auction finishes greedily. */
const MAX_BIDS_PER_ACCOUNT = 400;

export interface SeedSpec {
  /** costMatrix[i * m + r]: travel-equivalent cost of account i with rep r. */
  costMatrix: Float32Array;
  n: number;
  m: number;
  pinned: Int32Array;
  lo: readonly number[];
  hi: readonly number[];
  scaleKm: number;
}

export interface Seed {
  /** The auction's final price per rep: what an account "pays" to join it, in km. */
  price: Float64Array;
  /** Each account with its seed rep (pins kept). */
  owner: Int32Array;
}

/**
 * Greenfield seed: the count-balanced assignment of least total travel, as a transportation
 * problem (every rep gets its target count, see `countTargets`) solved by Bertsekas' auction
 * algorithm with ε-scaling. Accounts bid for rep slots; a slot's price rises by the bidder's
 * margin over its second-best rep plus ε. Prices make load cascade across a region: a
 * crowded city's reps grow pricey and border accounts flow outward, as far as needed.
 * Territories are contiguous around rep homes (an additively weighted Voronoi partition).
 */
export function auctionSeed(spec: SeedSpec): Seed {
  const { costMatrix, n, m, pinned } = spec;
  const named = new Array<number>(m).fill(0);
  for (const p of pinned) if (p >= 0) named[p] = (named[p] as number) + 1;
  const targets = countTargets(n, spec.lo, spec.hi, named);
  const slotStart = new Int32Array(m + 1);
  for (let r = 0; r < m; r++)
    slotStart[r + 1] = (slotStart[r] as number) + (targets[r] as number) - (named[r] as number);
  const slots = slotStart[m] as number;

  const slotPrice = new Float64Array(slots);
  const holder = new Int32Array(slots).fill(-1);
  const slotOf = new Int32Array(n).fill(-1);
  const repPrice = new Float64Array(m);
  const cheapestSlot = new Int32Array(m);
  const refreshRep = (r: number) => {
    let best = -1;
    for (let s = slotStart[r] as number; s < (slotStart[r + 1] as number); s++) {
      if (best < 0 || (slotPrice[s] as number) < (slotPrice[best] as number)) best = s;
    }
    cheapestSlot[r] = best;
    repPrice[r] = best < 0 ? Number.POSITIVE_INFINITY : (slotPrice[best] as number);
  };
  for (let r = 0; r < m; r++) refreshRep(r);

  const free: number[] = [];
  for (let i = 0; i < n; i++) if ((pinned[i] as number) < 0) free.push(i);
  const queue = new Int32Array(Math.max(1, free.length));
  const scale = Math.max(1, spec.scaleKm);
  const bidBudget = MAX_BIDS_PER_ACCOUNT * free.length;
  let bids = 0;
  for (let epsilon = scale; ; epsilon /= EPSILON_FACTOR) {
    const last = epsilon <= FINAL_EPSILON * scale;
    // Each phase restarts the assignment from the previous phase's prices.
    for (const i of free) {
      const s = slotOf[i] as number;
      if (s >= 0) holder[s] = -1;
      slotOf[i] = -1;
    }
    let head = 0;
    let size = 0;
    for (const i of free) queue[(head + size++) % queue.length] = i;
    while (size > 0) {
      if (bids++ > bidBudget) break;
      const i = queue[head] as number;
      head = (head + 1) % queue.length;
      size--;
      const row = i * m;
      let first = -1;
      let firstValue = Number.NEGATIVE_INFINITY;
      let secondValue = Number.NEGATIVE_INFINITY;
      for (let r = 0; r < m; r++) {
        const value = -(costMatrix[row + r] as number) - (repPrice[r] as number);
        if (value > firstValue) {
          secondValue = firstValue;
          firstValue = value;
          first = r;
        } else if (value > secondValue) {
          secondValue = value;
        }
      }
      const s = cheapestSlot[first] as number;
      const margin = Number.isFinite(secondValue) ? firstValue - secondValue : 0;
      const evicted = holder[s] as number;
      if (evicted >= 0) {
        slotOf[evicted] = -1;
        queue[(head + size++) % queue.length] = evicted;
      }
      holder[s] = i;
      slotOf[i] = s;
      slotPrice[s] = (slotPrice[s] as number) + margin + epsilon;
      refreshRep(first);
    }
    if (size > 0) {
      // Out of budget: give each waiting account its cheapest rep with an open slot.
      for (; size > 0; size--, head = (head + 1) % queue.length) {
        const i = queue[head] as number;
        const r = cheapestOpenRep(costMatrix, holder, slotStart, i, m);
        const s = openSlot(holder, slotStart, r);
        holder[s] = i;
        slotOf[i] = s;
      }
      break;
    }
    if (last) break;
  }

  const slotRep = new Int32Array(slots);
  for (let r = 0; r < m; r++) slotRep.fill(r, slotStart[r] as number, slotStart[r + 1] as number);
  const owner = Int32Array.from(pinned, (p, i) => (p >= 0 ? p : (slotRep[slotOf[i] as number] as number)));
  return { price: repPrice, owner };
}

function cheapestOpenRep(
  costMatrix: Float32Array,
  holder: Int32Array,
  slotStart: Int32Array,
  i: number,
  m: number,
): number {
  let best = -1;
  for (let r = 0; r < m; r++) {
    if (openSlot(holder, slotStart, r) < 0) continue;
    if (best < 0 || (costMatrix[i * m + r] as number) < (costMatrix[i * m + best] as number)) best = r;
  }
  return best;
}

function openSlot(holder: Int32Array, slotStart: Int32Array, r: number): number {
  for (let s = slotStart[r] as number; s < (slotStart[r + 1] as number); s++) if (holder[s] === -1) return s;
  return -1;
}

/**
 * Target account counts: as equal as the bounds allow. Finds the level T with
 * Σ_r clamp(T, max(lo_r, named_r), hi_r) = n, then rounds by largest remainder.
 * Assumes the instance passed the feasibility check.
 */
export function countTargets(
  n: number,
  lo: readonly number[],
  hi: readonly number[],
  named: readonly number[],
): number[] {
  const m = lo.length;
  const floor = lo.map((l, r) => Math.max(l, named[r] ?? 0));
  const at = (level: number) => floor.map((f, r) => Math.min(hi[r] as number, Math.max(f, level)));
  let low = 0;
  let high = Math.max(n, ...hi);
  for (let k = 0; k < 100; k++) {
    const mid = (low + high) / 2;
    if (at(mid).reduce((sum, t) => sum + t, 0) < n) low = mid;
    else high = mid;
  }
  const exact = at(high);
  const targets = exact.map(Math.floor);
  let missing = n - targets.reduce((sum, t) => sum + t, 0);
  const order = Array.from({ length: m }, (_, r) => r).sort(
    (a, b) =>
      (exact[b] as number) - (targets[b] as number) - ((exact[a] as number) - (targets[a] as number)) ||
      a - b,
  );
  for (const r of order) {
    if (missing <= 0) break;
    if ((targets[r] as number) < (hi[r] as number)) {
      targets[r] = (targets[r] as number) + 1;
      missing--;
    }
  }
  return targets;
}
