import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeaseOutcome, RunLease } from '../../ports/run-lease.js';
import { conditionalWrite } from './conditions.js';
import { leaseItem } from './items.js';

/**
 * A lease item per name. Expiry is checked in the condition itself (`leaseUntil < now`), because
 * DynamoDB deletes expired items by TTL only eventually and DynamoDB Local never does; the TTL
 * attribute just keeps the table tidy.
 */
export class DynamoRunLease implements RunLease {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<LeaseOutcome> {
    const until = now.getTime() + ttlMs;
    const written = await conditionalWrite(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: leaseItem.toItem([name], {
            holder,
            acquiredAt: now.toISOString(),
            leaseUntil: until,
            expiresAt: ttlSeconds(until),
          }),
          ConditionExpression: 'attribute_not_exists(PK) OR leaseUntil < :now OR holder = :holder',
          ExpressionAttributeValues: { ':now': now.getTime(), ':holder': holder },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (written.ok) return { acquired: true, until: new Date(until).toISOString() };
    const current = leaseItem.fromItem(written.refused.items.get(0));
    return { acquired: false, holder: current.holder, until: new Date(current.leaseUntil).toISOString() };
  }

  async renew(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const until = now.getTime() + ttlMs;
    const written = await conditionalWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: leaseItem.key(name),
          UpdateExpression: 'SET leaseUntil = :until, expiresAt = :expiresAt',
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: {
            ':until': until,
            ':expiresAt': ttlSeconds(until),
            ':holder': holder,
          },
        }),
      ),
    );
    return written.ok;
  }

  async release(name: string, holder: string): Promise<void> {
    // Refused: our lease expired and another run holds it now, theirs to release.
    await conditionalWrite(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: leaseItem.key(name),
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      ),
    );
  }
}

/** The TTL attribute (epoch seconds): an hour after the lease ends, so an expired lease lingers briefly for diagnosis. */
function ttlSeconds(leaseUntilMs: number): number {
  return Math.ceil(leaseUntilMs / 1000) + 3600;
}
