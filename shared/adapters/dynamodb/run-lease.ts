import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { LeaseOutcome, RunLease } from '../../ports/run-lease.js';
import { keys } from './keys.js';

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
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.lease(name),
            holder,
            acquiredAt: now.toISOString(),
            leaseUntil: until,
            expiresAt: Math.ceil(until / 1000) + 3600,
          },
          ConditionExpression: 'attribute_not_exists(PK) OR leaseUntil < :now OR holder = :holder',
          ExpressionAttributeValues: { ':now': now.getTime(), ':holder': holder },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { acquired: true, until: new Date(until).toISOString() };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = error.Item ? unmarshall(error.Item) : {};
      return {
        acquired: false,
        holder: String(current.holder ?? 'unknown'),
        until: new Date(Number(current.leaseUntil ?? 0)).toISOString(),
      };
    }
  }

  async renew(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const until = now.getTime() + ttlMs;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.lease(name),
          UpdateExpression: 'SET leaseUntil = :until, expiresAt = :expiresAt',
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: {
            ':until': until,
            ':expiresAt': Math.ceil(until / 1000) + 3600,
            ':holder': holder,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(name: string, holder: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.lease(name),
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      );
    } catch (error) {
      // Our lease expired and another run holds it now: theirs to release.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
