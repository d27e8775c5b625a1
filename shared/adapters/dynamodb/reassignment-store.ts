import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplyMode } from '../../domain/reassign/apply-plan.js';
import type {
  ApplyMove,
  EvaluatedMove,
  Reassignment,
  ReassignmentReport,
  ReassignmentStatus,
  ReassignmentSummary,
} from '../../domain/reassign/model.js';
import type { MoveRow } from '../../domain/reassign/moves.js';
import type {
  ApplyPlan,
  BatchClaim,
  BatchCounts,
  BatchStatus,
  ReassignmentStore,
  StoredReassignment,
} from '../../ports/reassignment.js';
import { batchWrite, puts } from './batch.js';
import { conditionalWrite } from './conditions.js';
import {
  reassignmentBatchItem,
  reassignmentBatchPartItem,
  reassignmentItem,
  reassignmentMovesItem,
} from './items.js';
import { keyPrefix, keys } from './keys.js';
import { getItem, prefixQuery, queryItems } from './query.js';

/** Moves per item: evaluated moves carry notes, so a chunk stays far below the 400 KB item limit. */
const MOVES_PER_CHUNK = 200;
const MOVES_PER_PART = 500;
/** Summaries keep this many failures and skips inline; the batch parts keep every one. */
const SUMMARY_LIST_LIMIT = 500;
const PRESETTLED_BATCH = 'presettled';

/** Requests under REASSIGN#{id}: the request item, move chunks, batches and their parts. */
export class DynamoReassignmentStore implements ReassignmentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(request: Reassignment, moves: readonly MoveRow[]): Promise<void> {
    await batchWrite(
      this.doc,
      this.tableName,
      puts(
        chunk(moves, MOVES_PER_CHUNK).map((part, i) =>
          reassignmentMovesItem.toItem([request.id, i], { moves: part }),
        ),
      ),
    );
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: reassignmentItem.toItem([request.id], { ...request, updatedAt: request.submittedAt }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(requestId: string): Promise<StoredReassignment | undefined> {
    const item = await getItem(this.doc, this.tableName, reassignmentItem.key(requestId));
    if (!item) return undefined;
    const { PK: _pk, SK: _sk, ...stored } = reassignmentItem.fromItem(item);
    return stored;
  }

  async submittedMoves(requestId: string): Promise<MoveRow[]> {
    return (await this.query(requestId, 'MOVES#')).flatMap(
      (item) => reassignmentMovesItem.fromItem(item).moves,
    );
  }

  async evaluatedMoves(requestId: string): Promise<EvaluatedMove[]> {
    return (await this.query(requestId, 'MOVES#')).flatMap(
      (item) => reassignmentMovesItem.fromItem(item).evaluated ?? [],
    );
  }

  async saveEvaluation(
    requestId: string,
    evaluation: { moves: readonly EvaluatedMove[]; report: ReassignmentReport; approvalIds: string[] },
    status: ReassignmentStatus,
    at: string,
  ): Promise<boolean> {
    await batchWrite(
      this.doc,
      this.tableName,
      puts(
        chunk(evaluation.moves, MOVES_PER_CHUNK).map((part, i) =>
          reassignmentMovesItem.toItem([requestId, i], {
            moves: part.map(({ row, recordId, objectType, toOwnerId, reason, effectiveDate }) => ({
              row,
              recordId,
              objectType,
              toOwnerId,
              reason,
              effectiveDate,
            })),
            evaluated: part,
          }),
        ),
      ),
    );
    const saved = await conditionalWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reassignmentItem.key(requestId),
          UpdateExpression:
            'SET #status = :status, report = :report, approvalIds = :approvals, updatedAt = :at',
          ConditionExpression: '#status = :submitted',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':report': evaluation.report,
            ':approvals': evaluation.approvalIds,
            ':at': at,
            ':submitted': 'submitted',
          },
        }),
      ),
    );
    // Refused: evaluated already (a re-run).
    return saved.ok;
  }

  async setStatus(
    requestId: string,
    status: ReassignmentStatus,
    at: string,
    extra: { approvedBy?: string[]; closedBecause?: string } = {},
  ): Promise<void> {
    const sets = ['#status = :status', 'updatedAt = :at'];
    const values: Record<string, unknown> = { ':status': status, ':at': at };
    if (extra.approvedBy) {
      sets.push('approvedBy = :approvedBy');
      values[':approvedBy'] = extra.approvedBy;
    }
    if (extra.closedBecause) {
      sets.push('closedBecause = :because');
      values[':because'] = extra.closedBecause;
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: reassignmentItem.key(requestId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async savePlan(
    requestId: string,
    plan: { mode: ApplyMode; batches: ApplyMove[][]; settled: ApplyMove[] },
    at: string,
  ): Promise<ApplyPlan> {
    const batchIds = plan.batches.map((_, i) => `b${String(i + 1).padStart(5, '0')}`);
    const items: Record<string, unknown>[] = [];
    const addBatch = (batchId: string, moves: readonly ApplyMove[], status: BatchStatus) => {
      const parts = chunk(moves, MOVES_PER_PART);
      items.push(
        reassignmentBatchItem.toItem([requestId, batchId], {
          batchId,
          status,
          attempt: 0,
          leaseUntil: 0,
          parts: parts.length,
          size: moves.length,
          objectType: moves[0]?.objectType ?? null,
        }),
      );
      for (const [p, part] of parts.entries()) {
        items.push(reassignmentBatchPartItem.toItem([requestId, batchId, p], { moves: part }));
      }
    };
    plan.batches.forEach((moves, i) => {
      addBatch(batchIds[i]!, moves, 'pending');
    });
    if (plan.settled.length > 0) addBatch(PRESETTLED_BATCH, plan.settled, 'applied');
    await batchWrite(this.doc, this.tableName, puts(items));

    const stored: ApplyPlan = { mode: plan.mode, batchIds, plannedAt: at };
    const saved = await conditionalWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reassignmentItem.key(requestId),
          UpdateExpression: 'SET #plan = :plan, updatedAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#plan)',
          ExpressionAttributeNames: { '#plan': 'plan' },
          ExpressionAttributeValues: { ':plan': stored, ':at': at },
        }),
      ),
    );
    if (saved.ok) return stored;
    // Refused: a re-run, whose first plan stands.
    const existing = (await this.get(requestId))?.plan;
    if (!existing) throw new Error(`No reassignment request ${requestId} to plan`);
    return existing;
  }

  async claimBatch(requestId: string, batchId: string, now: Date, leaseMs: number): Promise<BatchClaim> {
    const claimed = await conditionalWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reassignmentBatchItem.key(requestId, batchId),
          UpdateExpression: 'SET #status = :applying, attempt = attempt + :one, leaseUntil = :until',
          ConditionExpression:
            'attribute_exists(PK) AND (#status = :pending OR (#status = :applying AND leaseUntil < :now))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':applying': 'applying',
            ':pending': 'pending',
            ':one': 1,
            ':now': now.getTime(),
            ':until': now.getTime() + leaseMs,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (claimed.ok) {
      const { attempt } = reassignmentBatchItem.fromItem(claimed.output.Attributes);
      return { kind: 'claimed', attempt, moves: await this.partsOf(requestId, batchId) };
    }
    const current = claimed.refused.items.get(0);
    if (!current) throw new Error(`No batch ${batchId} in request ${requestId}`);
    const old = reassignmentBatchItem.fromItem(current);
    if (old.status === 'applied' || old.status === 'failed') {
      return { kind: 'done', status: old.status, counts: old.counts ?? zeroCounts() };
    }
    return { kind: 'busy' };
  }

  async readBatch(requestId: string, batchId: string): Promise<{ status: BatchStatus; moves: ApplyMove[] }> {
    const item = await getItem(this.doc, this.tableName, reassignmentBatchItem.key(requestId, batchId));
    if (!item) throw new Error(`No batch ${batchId} in request ${requestId}`);
    const { status } = reassignmentBatchItem.fromItem(item);
    return { status, moves: await this.partsOf(requestId, batchId) };
  }

  async saveBatchMoves(requestId: string, batchId: string, moves: readonly ApplyMove[]): Promise<void> {
    await batchWrite(
      this.doc,
      this.tableName,
      puts(
        chunk(moves, MOVES_PER_PART).map((part, p) =>
          reassignmentBatchPartItem.toItem([requestId, batchId, p], { moves: part }),
        ),
      ),
    );
  }

  async releaseBatch(requestId: string, batchId: string, attempt: number): Promise<void> {
    // Refused: the lease moved on (expired and claimed again) or the batch finished.
    await conditionalWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reassignmentBatchItem.key(requestId, batchId),
          UpdateExpression: 'SET #status = :pending, leaseUntil = :zero',
          ConditionExpression: '#status = :applying AND attempt = :attempt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':applying': 'applying',
            ':attempt': attempt,
            ':zero': 0,
          },
        }),
      ),
    );
  }

  async finishBatch(
    requestId: string,
    batchId: string,
    status: 'applied' | 'failed',
    counts: BatchCounts,
  ): Promise<void> {
    await conditionalWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reassignmentBatchItem.key(requestId, batchId),
          UpdateExpression: 'SET #status = :status, counts = :counts, leaseUntil = :zero',
          // A finished batch stays finished: this is what makes a re-run write nothing.
          ConditionExpression: '#status IN (:pending, :applying)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':counts': counts,
            ':zero': 0,
            ':pending': 'pending',
            ':applying': 'applying',
          },
        }),
      ),
    );
  }

  async applyMoves(requestId: string): Promise<ApplyMove[]> {
    const parts = await this.query(requestId, 'BATCH#');
    return parts
      .filter((item) => String(item.SK).includes(keyPrefix.batchPart))
      .flatMap((item) => reassignmentBatchPartItem.fromItem(item).moves);
  }

  async complete(
    requestId: string,
    status: ReassignmentStatus,
    summary: ReassignmentSummary,
    at: string,
  ): Promise<void> {
    const stored: ReassignmentSummary = {
      ...summary,
      failures: summary.failures.slice(0, SUMMARY_LIST_LIMIT),
      skippedMoves: summary.skippedMoves.slice(0, SUMMARY_LIST_LIMIT),
    };
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: reassignmentItem.key(requestId),
        UpdateExpression: 'SET #status = :status, summary = :summary, updatedAt = :at',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':summary': stored, ':at': at },
      }),
    );
  }

  private async partsOf(requestId: string, batchId: string): Promise<ApplyMove[]> {
    const items = await this.queryPrefix(keys.reassignmentBatchParts(requestId, batchId));
    return items.flatMap((item) => reassignmentBatchPartItem.fromItem(item).moves);
  }

  private query(requestId: string, skPrefix: 'MOVES#' | 'BATCH#') {
    return this.queryPrefix(keys.reassignmentItems(requestId, skPrefix));
  }

  private async queryPrefix(bounds: { PK: string; skPrefix: string }): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const item of queryItems(this.doc, {
      ...prefixQuery(this.tableName, bounds),
      ConsistentRead: true,
    })) {
      items.push(item);
    }
    return items;
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function zeroCounts(): BatchCounts {
  return { applied: 0, failed: 0, skipped: 0 };
}
