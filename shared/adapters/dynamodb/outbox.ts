import { type DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Outbox, OutboxItem, OutboxOutcome } from '../../ports/outbox.js';
import { conditionalWrite } from './conditions.js';
import { outboxItem, repCountersItem } from './items.js';
import { gsi1, keyPrefix } from './keys.js';
import { queryItems } from './query.js';

/** Outbox items live under OUTBOX#{recordId}; pending ones are also listed in GSI1 by next attempt time. */
export class DynamoOutbox implements Outbox {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async due(now: Date, limit: number): Promise<OutboxItem[]> {
    const items: OutboxItem[] = [];
    if (limit <= 0) return items;
    for await (const raw of queryItems(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK <= :now',
      ExpressionAttributeValues: {
        ':pk': gsi1.outboxPending('', '').GSI1PK,
        ':now': `${now.toISOString()}#~`,
      },
      Limit: limit,
    })) {
      items.push(outboxItemFrom(raw));
      if (items.length >= limit) break;
    }
    return items;
  }

  async oldestPendingSince(): Promise<string | undefined> {
    // Pending items sort by next attempt, not enqueue time; the backlog is small, so read it all.
    let oldest: string | undefined;
    const enqueued = outboxItem.picking('enqueuedAt');
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': gsi1.outboxPending('', '').GSI1PK },
      ...enqueued.input,
    })) {
      const at = enqueued.fromItem(item).enqueuedAt;
      if (oldest === undefined || at < oldest) oldest = at;
    }
    return oldest;
  }

  async settle(item: OutboxItem, outcome: OutboxOutcome, at: string): Promise<void> {
    const settleItem = {
      Update: {
        TableName: this.tableName,
        Key: outboxItem.key(item.recordId, item.changeId),
        UpdateExpression:
          'SET #status = :status, detail = :detail, settledAt = :at, errorCode = :code REMOVE GSI1PK, GSI1SK',
        // Settling twice (a redriven batch) must not correct the counters twice. `bulk` items are
        // pending too, held for a top-up's Bulk API job (see AssignmentWrite.heldForBulkUntil).
        ConditionExpression: '#status IN (:pending, :bulk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': outcome.status,
          ':detail': outcome.detail,
          ':at': at,
          ':code': outcome.status === 'failed' ? outcome.errorCode : null,
          ':pending': 'pending',
          ':bulk': 'bulk',
        },
      },
    };
    const transactItems: Array<Record<string, unknown>> = [settleItem];
    if (item.ownerKind === 'rep' && item.objectType === 'Lead') {
      // Written: Salesforce now counts the lead, so it stops being pending. Not written: the rep
      // never got it, so the intake increments are taken back too.
      const taken =
        outcome.status === 'written'
          ? ''
          : ', openLeads = openLeads - :one, newLeads = newLeads - :one, recentlyGiven = if_not_exists(recentlyGiven, :zero) - :one';
      transactItems.push({
        Update: {
          TableName: this.tableName,
          Key: repCountersItem.key(item.ownerId),
          UpdateExpression: `SET pending = pending - :one${taken}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: outcome.status === 'written' ? { ':one': 1 } : { ':one': 1, ':zero': 0 },
        },
      });
    }
    // A refused condition means another attempt settled it first; throttling and the rest reject.
    await conditionalWrite(() =>
      this.doc.send(new TransactWriteCommand({ TransactItems: transactItems as never })),
    );
  }

  async reschedule(item: OutboxItem, nextAttemptAt: Date, lastError: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: outboxItem.key(item.recordId, item.changeId),
        UpdateExpression: 'SET attempts = attempts + :one, lastError = :err, GSI1SK = :sk',
        ConditionExpression: '#status IN (:pending, :bulk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':err': lastError.slice(0, 1000),
          ':sk': gsi1.outboxPending(nextAttemptAt.toISOString(), item.recordId).GSI1SK,
          ':pending': 'pending',
          ':bulk': 'bulk',
        },
      }),
    );
  }
}

/** An outbox item from its stored attributes (a query result or a stream record's new image). */
export function outboxItemFrom(raw: Record<string, unknown>): OutboxItem {
  const stored = outboxItem.fromItem(raw);
  return {
    recordId: stored.recordId,
    // The outbox key's sort key is the change id (see keys.outbox).
    changeId: stored.SK,
    objectType: stored.objectType,
    ownerId: stored.ownerId,
    ownerKind: stored.ownerKind,
    reason: stored.reason,
    source: stored.source,
    replaceableOwnerIds: stored.replaceableOwnerIds,
    attempts: stored.attempts,
    enqueuedAt: stored.enqueuedAt,
    ...(stored.matchedAccountId ? { matchedAccountId: stored.matchedAccountId } : {}),
  };
}

/** The pending outbox items a table-stream batch inserted (other records are not ours to write). */
export function outboxItemsFromStream(records: DynamoDBRecord[]): OutboxItem[] {
  return records
    .filter((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage)
    .map((r) => unmarshall(r.dynamodb!.NewImage as never))
    .filter((item) => String(item.PK).startsWith(keyPrefix.outbox) && item.status === 'pending')
    .map(outboxItemFrom);
}
