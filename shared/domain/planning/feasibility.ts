import { PlanInfeasibleError } from './errors.js';
import type { Account, PlanOptions, Rep } from './model.js';

export interface RepLimits {
  min: number;
  max: number;
  /** Named accounts pinned to the rep. */
  named: number;
}

export function resolveLimits(
  reps: readonly Rep[],
  options: Pick<PlanOptions, 'defaultMinAccounts' | 'defaultMaxAccounts'>,
): { min: number; max: number }[] {
  return reps.map((rep) => ({
    min: rep.minAccounts ?? options.defaultMinAccounts,
    max: rep.maxAccounts ?? options.defaultMaxAccounts,
  }));
}

/**
 * Rejects instances no assignment can satisfy, with every clash spelled out. Free accounts can
 * go to any active rep, so with per-rep bounds lo = max(min, named) and max the instance is
 * feasible exactly when named ≤ max for each rep and Σ lo ≤ accounts ≤ Σ max.
 */
export function checkFeasibility(
  accountCount: number,
  reps: readonly Rep[],
  limits: readonly RepLimits[],
): void {
  const reasons: string[] = [];
  if (reps.length === 0) {
    if (accountCount > 0) reasons.push(`There are ${accountCount} accounts but no active reps to own them.`);
    if (reasons.length > 0) throw new PlanInfeasibleError(reasons);
    return;
  }
  reps.forEach((rep, r) => {
    const limit = limits[r] as RepLimits;
    if (limit.min > limit.max) {
      reasons.push(`Rep ${rep.id}: minAccounts ${limit.min} is above maxAccounts ${limit.max}.`);
    }
    if (limit.named > limit.max) {
      reasons.push(
        `Rep ${rep.id} has ${limit.named} named accounts, which stay with them, but maxAccounts is ${limit.max}.`,
      );
    }
  });
  const sumMin = limits.reduce((sum, l) => sum + l.min, 0);
  const sumLow = limits.reduce((sum, l) => sum + Math.max(l.min, l.named), 0);
  const sumMax = limits.reduce((sum, l) => sum + l.max, 0);
  if (sumMin > accountCount) {
    reasons.push(
      `The sum of minAccounts over the ${reps.length} active reps is ${sumMin}, more than the ${accountCount} accounts to assign; lower minAccounts or plan with fewer reps.`,
    );
  } else if (sumLow > accountCount) {
    reasons.push(
      `With named accounts counted, the ${reps.length} active reps need at least ${sumLow} accounts between them, more than the ${accountCount} accounts to assign.`,
    );
  }
  if (sumMax < accountCount) {
    reasons.push(
      `The sum of maxAccounts over the ${reps.length} active reps is ${sumMax}, fewer than the ${accountCount} accounts to assign; raise maxAccounts or add reps.`,
    );
  }
  if (reasons.length > 0) throw new PlanInfeasibleError(reasons);
}

/**
 * Replan: the owner changes the limits force before any balancing, checked against the caps.
 * Every account above a rep's max must leave it; deficits below min are filled by orphaned
 * accounts first, then by moves.
 */
export function checkReplanCaps(
  reps: readonly Rep[],
  limits: readonly RepLimits[],
  books: readonly number[],
  orphans: number,
  caps: { maxMoves?: number; maxBookChange?: number },
): void {
  const reasons: string[] = [];
  let excess = 0;
  let deficit = 0;
  reps.forEach((rep, r) => {
    const limit = limits[r] as RepLimits;
    const book = books[r] ?? 0;
    const over = Math.max(0, book - limit.max);
    excess += over;
    deficit += Math.max(0, Math.max(limit.min, limit.named) - book);
    if (over > 0 && caps.maxBookChange !== undefined) {
      const allowed = Math.floor(caps.maxBookChange * book);
      if (over > allowed) {
        reasons.push(
          `Rep ${rep.id} owns ${book} accounts, ${over} above maxAccounts ${limit.max}, but --max-book-change ${caps.maxBookChange} lets only ${allowed} leave their book.`,
        );
      }
    }
  });
  const needed = Math.max(excess, deficit - orphans);
  if (caps.maxMoves !== undefined && needed > caps.maxMoves) {
    reasons.push(
      `Bringing every rep within minAccounts..maxAccounts needs at least ${needed} moves (${excess} accounts above maxima, ${deficit} below minima, ${orphans} orphaned accounts to place), but --max-moves is ${caps.maxMoves}.`,
    );
  }
  if (reasons.length > 0) throw new PlanInfeasibleError(reasons);
}

export function namedCounts(
  accounts: readonly Account[],
  repIndex: ReadonlyMap<string, number>,
  size: number,
) {
  const counts = new Array<number>(size).fill(0);
  for (const account of accounts) {
    if (!account.named || account.currentOwnerId === null) continue;
    const r = repIndex.get(account.currentOwnerId);
    if (r !== undefined) counts[r] = (counts[r] ?? 0) + 1;
  }
  return counts;
}
