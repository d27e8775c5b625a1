import { reasonText, reassignVerdict } from '../audit/reason.js';
import type { IsoDate } from '../guardrails/dates.js';
import { repImpacts } from './evaluate.js';
import type { ApplyMove, EvaluatedMove, MoveResult, ReassignmentSummary, UserSnapshot } from './model.js';

/** sObject Collections take at most 200 records per call. */
export const COLLECTIONS_BATCH = 200;

export type ApplyMode = 'collections' | 'bulk';

/**
 * What the owner now is, against what the move expects: unchanged (write it), already the new
 * owner (a re-run, nothing to do), or changed by someone else meanwhile (skip, never overwrite).
 */
export function freshness(move: ApplyMove, currentOwnerId: string | null | undefined): MoveResult | 'write' {
  if (currentOwnerId === undefined) return { status: 'skipped', reason: 'the record no longer exists' };
  if (currentOwnerId === move.toOwnerId) return { status: 'applied' };
  if (currentOwnerId !== move.fromOwnerId) {
    return {
      status: 'skipped',
      reason: `owner changed since the request (now ${currentOwnerId ?? 'none'}, expected ${move.fromOwnerId ?? 'none'})`,
    };
  }
  return 'write';
}

/**
 * Batches for the write: one object type per batch, records sharing a parent account together
 * (Salesforce locks the parent while it writes a child, so siblings in parallel batches contend),
 * at most `size` per batch. A parent with more children than fit spans consecutive batches.
 */
export function planBatches(moves: readonly ApplyMove[], size: number): ApplyMove[][] {
  const batches: ApplyMove[][] = [];
  const byType = groupBy(moves, (m) => m.objectType);
  for (const group of byType.values()) {
    const byParent = groupBy(group, (m) => m.parentId ?? m.recordId);
    let current: ApplyMove[] = [];
    for (const siblings of byParent.values()) {
      if (current.length + siblings.length > size && current.length > 0) {
        batches.push(current);
        current = [];
      }
      for (const move of siblings) {
        current.push(move);
        if (current.length === size) {
          batches.push(current);
          current = [];
        }
      }
    }
    if (current.length > 0) batches.push(current);
  }
  return batches;
}

/** Bulk API 2.0 above the threshold: a handful of calls however many records. */
export function applyModeFor(count: number, bulkThreshold: number): ApplyMode {
  return count > bulkThreshold ? 'bulk' : 'collections';
}

/**
 * The reason written to Salesforce, verdict first: the new owner and the move's own reason (or
 * the request's label), then who approved, e.g.
 * `→ Priya Sharma, reassigned: FY2027 Territory Planning; approved by VP Sales`.
 */
export function ownerChangeReason(
  label: string,
  moveReason: string | undefined,
  approvedBy: readonly string[],
  ownerName?: string,
): string {
  return reasonText({
    verdict: reassignVerdict(ownerName, moveReason ?? label),
    details: [
      approvedBy.length > 0
        ? `approved by ${approvedBy.join(', ')}`
        : 'within guardrails, no approval needed',
    ],
  });
}

/** The moves to apply from a validated request, with their final reason text. */
export function applyMovesOf(
  moves: readonly EvaluatedMove[],
  label: string,
  approvedBy: readonly string[],
  ownerNames: ReadonlyMap<string, string> = new Map(),
): ApplyMove[] {
  return moves
    .filter((m) => m.outcome === 'allowed')
    .map((m) => ({
      row: m.row,
      recordId: m.recordId,
      objectType: m.objectType,
      fromOwnerId: m.fromOwnerId,
      toOwnerId: m.toOwnerId,
      reason: ownerChangeReason(label, m.reason, approvedBy, ownerNames.get(m.toOwnerId)),
      effectiveOn: m.effectiveOn as IsoDate,
      parentId: m.parentId,
      arr: m.arr,
    }));
}

/** The closing account of a request: every allowed move applied, failed or skipped, with why. */
export function summarize(
  evaluated: readonly EvaluatedMove[],
  settled: readonly ApplyMove[],
  approvedBy: readonly string[],
  users: ReadonlyMap<string, UserSnapshot>,
): ReassignmentSummary {
  const applied = settled.filter((m) => m.result?.status === 'applied');
  const nameOfRow = new Map(evaluated.map((m) => [m.row, m.recordName ?? m.recordId]));
  const named = (m: ApplyMove) => ({
    name: nameOfRow.get(m.row) ?? m.recordId,
    to: users.get(m.toOwnerId)?.name ?? m.toOwnerId,
  });
  const failures = settled.flatMap((m) =>
    m.result?.status === 'failed'
      ? [
          {
            row: m.row,
            recordId: m.recordId,
            objectType: m.objectType,
            ...named(m),
            errorCode: m.result.errorCode,
            message: m.result.message,
          },
        ]
      : [],
  );
  const skippedMoves = settled.flatMap((m) =>
    m.result?.status === 'skipped'
      ? [{ row: m.row, recordId: m.recordId, ...named(m), reason: m.result.reason }]
      : [],
  );
  // A move that never got a result is reported as failed, not lost.
  const unsettled = settled.filter((m) => m.result === undefined);
  for (const m of unsettled) {
    failures.push({
      row: m.row,
      recordId: m.recordId,
      objectType: m.objectType,
      ...named(m),
      errorCode: m.lastError?.errorCode ?? 'NOT_APPLIED',
      message: m.lastError?.message ?? 'the batch ended before this record was written',
    });
  }
  const count = (outcome: EvaluatedMove['outcome']) => evaluated.filter((m) => m.outcome === outcome).length;
  return {
    applied: applied.length,
    failed: failures.length,
    skipped: skippedMoves.length,
    blocked: count('blocked'),
    noOps: count('no-op'),
    invalid: count('invalid'),
    reps: repImpacts(applied, { users }),
    arrMoved: applied.reduce((sum, m) => sum + m.arr, 0),
    failures: failures.sort((a, b) => a.row - b.row),
    skippedMoves: skippedMoves.sort((a, b) => a.row - b.row),
    approvedBy: [...approvedBy],
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
