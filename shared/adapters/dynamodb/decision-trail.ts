import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  DecisionRecord,
  DecisionTrail,
  QuarantineRecord,
  WriteBackRecord,
} from '../../application/explain/explain.js';
import { keys } from './keys.js';
import { queryItems } from './query.js';

/** The decision trail of one record: its audit items (AUDIT#id), outbox items (OUTBOX#id) and quarantines. */
export class DynamoDecisionTrail implements DecisionTrail {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async all(pk: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }))
      items.push(item);
    return items;
  }

  async decisions(recordId: string): Promise<DecisionRecord[]> {
    const items = await this.all(keys.audit(recordId, '', '').PK);
    return items
      .map((i) => ({
        at: String(i.at),
        source: String(i.source),
        before: (i.before as string | null) ?? null,
        after: String(i.after),
        reason: String(i.reason ?? ''),
        ...(i.runId ? { runId: String(i.runId) } : {}),
        ...(i.requestId ? { requestId: String(i.requestId) } : {}),
        ...(i.requestedBy ? { requestedBy: String(i.requestedBy) } : {}),
        ...(Array.isArray(i.approvedBy) ? { approvedBy: i.approvedBy.map(String) } : {}),
        ...(i.effectiveOn ? { effectiveOn: String(i.effectiveOn) } : {}),
        ...(i.trace && typeof i.trace === 'object' ? { trace: i.trace as Record<string, unknown> } : {}),
      }))
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  async writeBacks(recordId: string): Promise<WriteBackRecord[]> {
    const items = await this.all(keys.outbox(recordId, '').PK);
    return items.map((i) => ({
      at: String(i.settledAt ?? i.enqueuedAt ?? i.at ?? ''),
      ownerId: String(i.ownerId),
      status: String(i.status),
      ...(i.errorCode ? { errorCode: String(i.errorCode) } : {}),
      ...(i.detail ? { detail: String(i.detail) } : {}),
    }));
  }

  async quarantined(recordId: string): Promise<QuarantineRecord[]> {
    const out: QuarantineRecord[] = [];
    for await (const i of queryItems(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :q',
      FilterExpression: 'leadId = :id',
      ExpressionAttributeValues: { ':q': 'QUARANTINE', ':id': recordId },
    }))
      out.push({
        at: String(i.at),
        // The id as sent (cut when long); its key may hold only a hash of it.
        notificationId: String(i.notificationId ?? String(i.PK).replace(/^NOTIFICATION#/, '')),
        reason: String(i.reason),
      });
    return out;
  }
}
