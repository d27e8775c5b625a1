import type { Account, Rep } from './model.js';

/**
 * Reference assignments the planner is benchmarked against. Both keep named accounts with
 * their active owner and never exceed a rep's maximum; neither looks at geography.
 */
export interface BaselineSpec {
  accounts: readonly Account[];
  /** Active reps. */
  reps: readonly Rep[];
  maxAccounts: readonly number[];
}

/** Round robin: accounts in input order dealt to reps in turn. Returns rep indices. */
export function roundRobin(spec: BaselineSpec): Int32Array {
  const { owner, count, free } = pinNamed(spec);
  let next = 0;
  for (const i of free) {
    while ((count[next] as number) >= (spec.maxAccounts[next] as number))
      next = (next + 1) % spec.reps.length;
    owner[i] = next;
    count[next] = (count[next] as number) + 1;
    next = (next + 1) % spec.reps.length;
  }
  return owner;
}

/** LPT (longest processing time first): largest revenue potential first, each to the rep with the least so far. */
export function longestProcessingTime(spec: BaselineSpec): Int32Array {
  const { owner, count, free } = pinNamed(spec);
  const revenue = new Float64Array(spec.reps.length);
  spec.accounts.forEach((a, i) => {
    const r = owner[i] as number;
    if (r >= 0) revenue[r] = (revenue[r] as number) + a.revenuePotential;
  });
  const order = [...free].sort(
    (a, b) =>
      (spec.accounts[b] as Account).revenuePotential - (spec.accounts[a] as Account).revenuePotential ||
      a - b,
  );
  for (const i of order) {
    let best = -1;
    for (let r = 0; r < spec.reps.length; r++) {
      if ((count[r] as number) >= (spec.maxAccounts[r] as number)) continue;
      if (best < 0 || (revenue[r] as number) < (revenue[best] as number)) best = r;
    }
    owner[i] = best;
    count[best] = (count[best] as number) + 1;
    revenue[best] = (revenue[best] as number) + (spec.accounts[i] as Account).revenuePotential;
  }
  return owner;
}

function pinNamed(spec: BaselineSpec) {
  const index = new Map(spec.reps.map((rep, r) => [rep.id, r]));
  const owner = new Int32Array(spec.accounts.length).fill(-1);
  const count = new Int32Array(spec.reps.length);
  const free: number[] = [];
  spec.accounts.forEach((account, i) => {
    const r =
      account.named && account.currentOwnerId !== null ? index.get(account.currentOwnerId) : undefined;
    if (r === undefined) {
      free.push(i);
      return;
    }
    owner[i] = r;
    count[r] = (count[r] as number) + 1;
  });
  return { owner, count, free };
}
