import { salesforceReason } from '../../domain/audit/reason.js';
import type { ObjectType } from '../../domain/guardrails/model.js';
import {
  applyModeFor,
  applyMovesOf,
  COLLECTIONS_BATCH,
  freshness,
  planBatches,
} from '../../domain/reassign/apply-plan.js';
import type { ApplyMove, MoveResult } from '../../domain/reassign/model.js';
import type { OwnerUpdate, OwnerUpdateResult } from '../../ports/crm.js';
import type { BatchCounts, OwnerChangeRecord, StoredReassignment } from '../../ports/reassignment.js';
import { approverNames } from './approvals.js';
import type { ReassignDeps } from './deps.js';
import {
  ApplyCallError,
  BatchBusyError,
  callError,
  ReassignmentNotFoundError,
  RetryableApplyError,
} from './errors.js';

/** A batch is leased for longer than an apply Lambda can run (15 minutes), so a live writer is never overtaken. */
const BATCH_LEASE_MS = 16 * 60_000;

export interface PreparedApply {
  requestId: string;
  mode: 'collections' | 'bulk';
  batchIds: string[];
}

/**
 * Before writing: re-read the current owners (weeks may have passed since validation), settle
 * moves whose owner someone changed meanwhile (never overwritten) or that already hold, and
 * plan the batches. Runs once; a re-run returns the stored plan.
 */
export async function prepareApply(
  requestId: string,
  deps: Pick<ReassignDeps, 'store' | 'approvals' | 'crm' | 'bulkThreshold' | 'reasonMaxLength' | 'now'>,
): Promise<PreparedApply> {
  const request = await deps.store.get(requestId);
  if (!request) throw new ReassignmentNotFoundError(requestId);
  if (request.plan) return { requestId, mode: request.plan.mode, batchIds: request.plan.batchIds };

  const approvals = await deps.approvals.getMany(request.approvalIds ?? []);
  const approvedBy = approverNames(approvals);
  const ownerNames = new Map((request.report?.reps ?? []).map((r) => [r.repId, r.repName]));
  const evaluated = await deps.store.evaluatedMoves(requestId);
  const moves = applyMovesOf(evaluated, request.label, approvedBy, ownerNames).map((m) => ({
    ...m,
    reason: salesforceReason(m.reason, deps.reasonMaxLength),
  }));

  const owners = new Map<string, string | null>();
  for (const type of ['Account', 'Lead'] as const satisfies readonly ObjectType[]) {
    const ids = moves.filter((m) => m.objectType === type).map((m) => m.recordId);
    if (ids.length === 0) continue;
    for (const [id, owner] of await deps.crm.currentOwners(type, ids)) owners.set(id, owner);
  }
  const toWrite: ApplyMove[] = [];
  const settled: ApplyMove[] = [];
  for (const move of moves) {
    const verdict = freshness(move, owners.has(move.recordId) ? owners.get(move.recordId) : undefined);
    if (verdict === 'write') toWrite.push(move);
    else settled.push({ ...move, result: verdict });
  }
  const mode = applyModeFor(toWrite.length, deps.bulkThreshold);
  const batches = planBatches(toWrite, mode === 'bulk' ? Number.POSITIVE_INFINITY : COLLECTIONS_BATCH);
  const at = deps.now().toISOString();
  const plan = await deps.store.savePlan(requestId, { mode, batches, settled }, at);
  await deps.store.setStatus(requestId, 'applying', at, { approvedBy });
  return { requestId, mode: plan.mode, batchIds: plan.batchIds };
}

export interface BatchOutcome extends BatchCounts {
  requestId: string;
  batchId: string;
  status: 'applied' | 'failed';
}

/**
 * Write one batch: sObject Collections (≤ 200) or one Bulk API 2.0 job. Per-record results are
 * stored as they come and an audit record is written per change. Retryable record failures
 * (row locks) and retryable call failures throw a retryable error after giving the batch back,
 * so the workflow retries it with backoff and only the open records are written again; a batch
 * already applied is never written twice.
 */
export async function applyBatch(
  requestId: string,
  batchId: string,
  deps: Pick<ReassignDeps, 'store' | 'audit' | 'collections' | 'bulk' | 'now'>,
): Promise<BatchOutcome> {
  const request = await deps.store.get(requestId);
  if (!request?.plan) throw new ReassignmentNotFoundError(requestId);
  const claim = await deps.store.claimBatch(requestId, batchId, deps.now(), BATCH_LEASE_MS);
  if (claim.kind === 'busy') throw new BatchBusyError(`Batch ${batchId} of ${requestId} is being applied`);
  if (claim.kind === 'done') return { requestId, batchId, status: claim.status, ...claim.counts };

  const moves = claim.moves;
  const open = moves.filter((m) => m.result === undefined);
  const updates: OwnerUpdate[] = open.map((m) => ({
    recordId: m.recordId,
    objectType: m.objectType,
    ownerId: m.toOwnerId,
    reason: m.reason,
  }));

  let results: OwnerUpdateResult[];
  try {
    results =
      updates.length === 0
        ? []
        : request.plan.mode === 'bulk'
          ? await deps.bulk.updateOwnersInBulk(updates)
          : await deps.collections.updateOwners(updates);
  } catch (error) {
    const e = callError(error);
    for (const m of open) m.lastError = { errorCode: e.errorCode, message: e.message };
    await deps.store.saveBatchMoves(requestId, batchId, moves);
    await deps.store.releaseBatch(requestId, batchId, claim.attempt);
    if (e.retryable) throw new RetryableApplyError(`${e.errorCode}: ${e.message}`);
    throw new ApplyCallError(`${e.errorCode}: ${e.message}`);
  }

  const byId = new Map(results.map((r) => [r.recordId, r]));
  // The apply's start time, not this attempt's: a retried batch records the same audit keys.
  const at = request.plan.plannedAt;
  const changes: OwnerChangeRecord[] = [];
  let retryLater = 0;
  for (const move of open) {
    const result = byId.get(move.recordId);
    if (result?.ok) {
      move.result = { status: 'applied' };
      changes.push(auditRecord(request, move, at));
    } else if (result?.ok === false && result.retryable) {
      move.lastError = { errorCode: result.errorCode, message: result.message };
      retryLater += 1;
    } else {
      move.result = failed(result);
    }
  }
  // Audit before the results: a crash in between re-writes the same owners and the same audit keys.
  await deps.audit.record(changes);
  await deps.store.saveBatchMoves(requestId, batchId, moves);
  if (retryLater > 0) {
    await deps.store.releaseBatch(requestId, batchId, claim.attempt);
    throw new RetryableApplyError(`${retryLater} records of batch ${batchId} are locked or rate-limited`);
  }
  const counts = countResults(moves);
  await deps.store.finishBatch(requestId, batchId, 'applied', counts);
  return { requestId, batchId, status: 'applied', ...counts };
}

/**
 * The Catch of a batch that ran out of retries or failed outright: every record still open is
 * settled as failed with its last error, so the summary reports it instead of dropping it.
 */
export async function recordBatchFailure(
  requestId: string,
  batchId: string,
  error: { Error?: string; Cause?: string },
  deps: Pick<ReassignDeps, 'store' | 'now'>,
): Promise<BatchOutcome> {
  const batch = await deps.store.readBatch(requestId, batchId);
  if (batch.status === 'applied' || batch.status === 'failed') {
    return { requestId, batchId, status: batch.status, ...countResults(batch.moves) };
  }
  const moves = batch.moves;
  for (const m of moves) {
    if (m.result !== undefined) continue;
    m.result = {
      status: 'failed',
      errorCode: m.lastError?.errorCode ?? error.Error ?? 'UNKNOWN',
      message: m.lastError?.message ?? String(error.Cause ?? 'the batch failed').slice(0, 500),
    };
  }
  await deps.store.saveBatchMoves(requestId, batchId, moves);
  const counts = countResults(moves);
  await deps.store.finishBatch(requestId, batchId, 'failed', counts);
  return { requestId, batchId, status: 'failed', ...counts };
}

function failed(result: OwnerUpdateResult | undefined): MoveResult {
  if (!result)
    return {
      status: 'failed',
      errorCode: 'NO_RESULT',
      message: 'Salesforce returned no result for this record',
    };
  if (result.ok) return { status: 'applied' };
  return { status: 'failed', errorCode: result.errorCode, message: result.message };
}

function countResults(moves: readonly ApplyMove[]): BatchCounts {
  const counts: BatchCounts = { applied: 0, failed: 0, skipped: 0 };
  for (const m of moves) {
    if (m.result?.status === 'applied') counts.applied += 1;
    else if (m.result?.status === 'skipped') counts.skipped += 1;
    else counts.failed += 1;
  }
  return counts;
}

function auditRecord(request: StoredReassignment, move: ApplyMove, at: string): OwnerChangeRecord {
  return {
    recordId: move.recordId,
    objectType: move.objectType,
    before: move.fromOwnerId,
    after: move.toOwnerId,
    reason: move.reason,
    requestId: request.id,
    requestedBy: request.requestedBy,
    approvedBy: request.approvedBy ?? [],
    effectiveOn: move.effectiveOn,
    at,
  };
}
