import type { GuardrailResult, IsoDate } from '../guardrails/index.js';
import { greatCircleKm } from './geo.js';
import type { Account, Rep } from './model.js';
import { industryKey } from './problem.js';

export interface TransitionMove {
  /** Its data row in moves.csv (1 = the first line after the header), as `reassign` numbers rows. */
  row: number;
  accountId: string;
  accountName: string;
  /** Null when the account had no owner. */
  fromRepId: string | null;
  toRepId: string;
  reason: string;
  named: boolean;
  revenuePotential: number;
  openDealAmount: number;
  arr: number;
}

export interface FromToRow {
  fromRepId: string | null;
  toRepId: string;
  accounts: number;
  revenuePotential: number;
  openDealAmount: number;
  arr: number;
}

export interface RepChange {
  repId: string;
  before: number;
  after: number;
  gained: number;
  lost: number;
}

export interface TransitionPlan {
  effectiveDate: IsoDate;
  totalMoves: number;
  /** Moves from one active rep to another. */
  movesBetweenReps: number;
  /** Accounts without an active owner today that get one. */
  orphanAssignments: number;
  affectedReps: number;
  /** Moving accounts with open deals; the deals stay with their current owners until close. */
  openDealsMoving: { accounts: number; amount: number };
  arrMoving: number;
  revenuePotentialMoving: number;
  moves: TransitionMove[];
  fromTo: FromToRow[];
  repChanges: RepChange[];
  guardrails: GuardrailResult;
}

export interface TransitionInput {
  accounts: readonly Account[];
  /** Every rep in the input, active or not (for names and current books). */
  allReps: readonly Rep[];
  activeReps: readonly Rep[];
  /** Index in activeReps of each account's proposed owner. */
  proposed: ArrayLike<number>;
  /** Composite of each active rep's current book (same order as activeReps). */
  currentComposite: readonly number[];
  effectiveDate: IsoDate;
}

/** The owner changes that take the current alignment to the proposed one, with a reason each. */
export function buildTransition(input: TransitionInput): Omit<TransitionPlan, 'guardrails'> {
  const { accounts, activeReps } = input;
  const repsById = new Map(input.allReps.map((rep) => [rep.id, rep]));
  const activeIndex = new Map(activeReps.map((rep, r) => [rep.id, r]));
  const moves: TransitionMove[] = [];
  accounts.forEach((account, i) => {
    const to = activeReps[input.proposed[i] ?? -1];
    if (!to || to.id === account.currentOwnerId) return;
    moves.push({
      row: moves.length + 1,
      accountId: account.id,
      accountName: account.name,
      fromRepId: account.currentOwnerId,
      toRepId: to.id,
      reason: moveReason(
        account,
        account.currentOwnerId ? repsById.get(account.currentOwnerId) : undefined,
        to,
        input,
      ),
      named: account.named,
      revenuePotential: account.revenuePotential,
      openDealAmount: account.openDealAmount,
      arr: account.arr,
    });
  });

  const betweenReps = moves.filter((m) => m.fromRepId !== null && activeIndex.has(m.fromRepId)).length;
  const withDeals = moves.filter((m) => m.openDealAmount > 0);
  const sum = (items: readonly TransitionMove[], key: 'openDealAmount' | 'arr' | 'revenuePotential') =>
    items.reduce((total, m) => total + m[key], 0);
  const repChanges = changesPerRep(input, moves);
  return {
    effectiveDate: input.effectiveDate,
    totalMoves: moves.length,
    movesBetweenReps: betweenReps,
    orphanAssignments: moves.length - betweenReps,
    affectedReps: repChanges.filter((c) => c.gained + c.lost > 0).length,
    openDealsMoving: { accounts: withDeals.length, amount: sum(withDeals, 'openDealAmount') },
    arrMoving: sum(moves, 'arr'),
    revenuePotentialMoving: sum(moves, 'revenuePotential'),
    moves,
    fromTo: fromToTable(moves),
    repChanges,
  };
}

/** The one-line why of a move, for the moves file and the Salesforce audit field. */
function moveReason(account: Account, from: Rep | undefined, to: Rep, input: TransitionInput): string {
  if (account.currentOwnerId === null) return 'unowned account assigned';
  if (!from) return `owner ${account.currentOwnerId} not in the reps list`;
  if (!from.active) return `owner ${from.name || from.id} inactive`;
  const industry = industryKey(account.industry);
  const specialises = (rep: Rep) => rep.specializations.some((s) => industryKey(s) === industry);
  if (industry && specialises(to) && !specialises(from))
    return `industry specialist (${account.industry.trim()})`;
  const fromKm = greatCircleKm(account.location, from.location);
  const toKm = greatCircleKm(account.location, to.location);
  if (toKm + 1 < fromKm) return `closer rep (${Math.round(toKm)} km vs ${Math.round(fromKm)} km)`;
  const r = input.activeReps.indexOf(from);
  const composite = input.currentComposite[r];
  return composite === undefined
    ? 'rebalance'
    : `rebalance (current book ${composite.toFixed(2)}x the average)`;
}

function fromToTable(moves: readonly TransitionMove[]): FromToRow[] {
  const rows = new Map<string, FromToRow>();
  for (const move of moves) {
    const key = `${move.fromRepId ?? ''}\u0000${move.toRepId}`;
    const row = rows.get(key) ?? {
      fromRepId: move.fromRepId,
      toRepId: move.toRepId,
      accounts: 0,
      revenuePotential: 0,
      openDealAmount: 0,
      arr: 0,
    };
    row.accounts++;
    row.revenuePotential += move.revenuePotential;
    row.openDealAmount += move.openDealAmount;
    row.arr += move.arr;
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) =>
      b.accounts - a.accounts ||
      (a.fromRepId ?? '').localeCompare(b.fromRepId ?? '') ||
      a.toRepId.localeCompare(b.toRepId),
  );
}

function changesPerRep(input: TransitionInput, moves: readonly TransitionMove[]): RepChange[] {
  const changes = new Map<string, RepChange>(
    input.allReps.map((rep) => [rep.id, { repId: rep.id, before: 0, after: 0, gained: 0, lost: 0 }]),
  );
  for (const account of input.accounts) {
    const change = account.currentOwnerId ? changes.get(account.currentOwnerId) : undefined;
    if (change) change.before++;
  }
  for (const move of moves) {
    const to = changes.get(move.toRepId);
    if (to) to.gained++;
    const from = move.fromRepId ? changes.get(move.fromRepId) : undefined;
    if (from) from.lost++;
  }
  for (const change of changes.values()) change.after = change.before + change.gained - change.lost;
  return [...changes.values()];
}

/** A move the guardrails block, by its moves.csv row, with why. */
export interface BlockedTransitionMove {
  row: number;
  accountId: string;
  accountName: string;
  fromRepId: string | null;
  toRepId: string;
  reasons: string[];
}

/** Every blocked move of the plan in moves.csv order, so people find each one by its row. */
export function blockedTransitionMoves(transition: TransitionPlan): BlockedTransitionMove[] {
  const moveOf = new Map(transition.moves.map((m) => [m.accountId, m]));
  return transition.guardrails.blocked
    .flatMap((b) => {
      const m = moveOf.get(b.move.recordId);
      return m
        ? [
            {
              row: m.row,
              accountId: m.accountId,
              accountName: m.accountName,
              fromRepId: m.fromRepId,
              toRepId: m.toRepId,
              reasons: b.reasons,
            },
          ]
        : [];
    })
    .sort((a, b) => a.row - b.row);
}
