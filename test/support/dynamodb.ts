import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import {
  type DynamoDbLocal,
  ensureTable,
  startDynamoDbLocal,
} from '../../shared/local-stack/dynamodb-local.js';

export interface TestTable {
  db: DynamoDbLocal;
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** A fresh table in the same DynamoDB Local, for tests that need isolation from each other. */
  newTable(): Promise<string>;
}

/**
 * Start an in-memory DynamoDB Local for this test file (its own port) with the project table,
 * and stop it afterwards. Use inside a describe block or at file top level.
 */
export function useDynamoDbLocal(): TestTable {
  const ctx = {} as TestTable;
  beforeAll(async () => {
    // A JVM start takes 30-40 s when every core is busy; a tight deadline only makes the suite flaky.
    ctx.db = await startDynamoDbLocal({ startTimeoutMs: 100_000 });
    ctx.doc = DynamoDBDocumentClient.from(ctx.db.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    ctx.newTable = async () => {
      const name = `t-${randomUUID().slice(0, 8)}`;
      await ensureTable(ctx.db.client, name);
      return name;
    };
    ctx.tableName = await ctx.newTable();
  });
  afterAll(async () => {
    await ctx.db?.stop();
  });
  return ctx;
}
