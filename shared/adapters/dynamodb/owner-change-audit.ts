import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IsoDate } from '../../domain/guardrails/dates.js';
import type { PastMove } from '../../domain/guardrails/model.js';
import type { OwnerChangeAudit, OwnerChangeRecord } from '../../ports/reassignment.js';
import { batchWrite, puts } from './batch.js';
import { auditItem, repMoveHistoryItem } from './items.js';
import { gsi1 } from './keys.js';
import { queryItems } from './query.js';

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
      items.push(
        auditItem.toItem(
          [c.recordId, c.at, `reassign:${c.requestId}`],
          {
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
          },
          gsi1.auditBySource('reassign', c.at, c.recordId),
        ),
      );
      if (c.objectType === 'Account' && c.before) {
        items.push(
          repMoveHistoryItem.toItem([c.before, c.effectiveOn, c.recordId, c.requestId], {
            repId: c.before,
            recordId: c.recordId,
            objectType: c.objectType,
            fromOwnerId: c.before,
            toOwnerId: c.after,
            effectiveDate: c.effectiveOn,
            requestId: c.requestId,
          }),
        );
      }
    }
    await batchWrite(this.doc, this.tableName, puts(items));
  }

  async movesAwayFrom(repIds: readonly string[], from: IsoDate, to: IsoDate): Promise<PastMove[]> {
    const moves: PastMove[] = [];
    for (const repId of repIds) {
      const { PK } = repMoveHistoryItem.key(repId, from, '', '');
      for await (const item of queryItems(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': PK, ':from': from, ':to': `${to}~` },
      })) {
        const { recordId, objectType, fromOwnerId, toOwnerId, effectiveDate } =
          repMoveHistoryItem.fromItem(item);
        moves.push({ recordId, objectType, fromOwnerId, toOwnerId, effectiveDate });
      }
    }
    return moves;
  }
}
