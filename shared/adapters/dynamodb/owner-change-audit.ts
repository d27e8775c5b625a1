import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { IsoDate } from '../../domain/guardrails/dates.js';
import type { PastMove } from '../../domain/guardrails/model.js';
import type { OwnerChangeAudit, OwnerChangeRecord } from '../../ports/reassignment.js';
import { batchPut } from './batch-write.js';
import { gsi1, keys } from './keys.js';

/**
 * Reassignment audit records beside intake's (AUDIT#{recordId}, listed by source in GSI1), plus
 * a history item per account a rep lost, keyed by rep and effective date, which is what the
 * rolling-year book-change guardrail reads. Keys are deterministic, so recording twice is once.
 */
export class DynamoOwnerChangeAudit implements OwnerChangeAudit {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(changes: readonly OwnerChangeRecord[]): Promise<void> {
    const items: Record<string, unknown>[] = [];
    for (const c of changes) {
      items.push({
        ...keys.audit(c.recordId, c.at, `reassign:${c.requestId}`),
        ...gsi1.auditBySource('reassign', c.at, c.recordId),
        recordId: c.recordId,
        objectType: c.objectType,
        before: c.before,
        after: c.after,
        reason: c.reason,
        source: 'reassign',
        requestId: c.requestId,
        requestedBy: c.requestedBy,
        approvedBy: c.approvedBy,
        effectiveOn: c.effectiveOn,
        at: c.at,
      });
      if (c.objectType === 'Account' && c.before) {
        items.push({
          ...keys.repMoveHistory(c.before, c.effectiveOn, c.recordId, c.requestId),
          repId: c.before,
          recordId: c.recordId,
          objectType: c.objectType,
          fromOwnerId: c.before,
          toOwnerId: c.after,
          effectiveDate: c.effectiveOn,
          requestId: c.requestId,
        });
      }
    }
    await batchPut(this.doc, this.tableName, items);
  }

  async movesAwayFrom(repIds: readonly string[], from: IsoDate, to: IsoDate): Promise<PastMove[]> {
    const moves: PastMove[] = [];
    for (const repId of repIds) {
      const { PK } = keys.repMoveHistory(repId, from, '', '');
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': PK, ':from': from, ':to': `${to}~` },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of out.Items ?? []) {
          moves.push({
            recordId: String(item.recordId),
            objectType: item.objectType as PastMove['objectType'],
            fromOwnerId: String(item.fromOwnerId),
            toOwnerId: String(item.toOwnerId),
            effectiveDate: String(item.effectiveDate),
          });
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
    }
    return moves;
  }
}
