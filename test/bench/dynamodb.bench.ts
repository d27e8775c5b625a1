import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import {
  type DynamoDbLocal,
  ensureTable,
  startDynamoDbLocal,
} from '../../shared/local-stack/dynamodb-local.js';
import { bench, median, timeMs } from './harness.js';

interface State {
  db: DynamoDbLocal;
  doc: DynamoDBDocumentClient;
  table: string;
}

const OPS = 200;

async function setup(): Promise<State> {
  const db = await startDynamoDbLocal();
  const table = 'bench-table';
  await ensureTable(db.client, table);
  return { db, doc: DynamoDBDocumentClient.from(db.client), table };
}

const teardown = (s: State) => s.db.stop();

/** A disk-backed DynamoDB Local, as the local stack runs it. */
async function diskBacked(): Promise<State & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tr-bench-ddb-'));
  const db = await startDynamoDbLocal({ dataDir: dir });
  const table = 'bench-table';
  await ensureTable(db.client, table);
  return { db, doc: DynamoDBDocumentClient.from(db.client), table, dir };
}

async function stopDiskBacked(s: State & { dir: string }): Promise<void> {
  await s.db.stop();
  rmSync(s.dir, { recursive: true, force: true });
}

export const benches = [
  bench<State>({
    name: 'dynamodb-local/get/200-ops',
    unit: 'ops/s',
    setup,
    teardown,
    run: async (s) => {
      const key = keys.rep('bench');
      await s.doc.send(new PutCommand({ TableName: s.table, Item: { ...key, n: 1 } }));
      const ms = await timeMs(async () => {
        for (let i = 0; i < OPS; i++) await s.doc.send(new GetCommand({ TableName: s.table, Key: key }));
      });
      return (OPS / ms) * 1000;
    },
  }),
  bench<State>({
    name: 'dynamodb-local/conditional-put/200-ops',
    unit: 'ops/s',
    baseline: 'dynamodb-local/get/200-ops',
    setup,
    teardown,
    run: async (s) => {
      const ms = await timeMs(async () => {
        for (let i = 0; i < OPS; i++) {
          await s.doc.send(
            new PutCommand({
              TableName: s.table,
              Item: keys.notification(randomUUID()),
              ConditionExpression: 'attribute_not_exists(PK)',
            }),
          );
        }
      });
      return (OPS / ms) * 1000;
    },
  }),
  bench<State>({
    name: 'dynamodb-local/transaction-3-items/200-ops',
    unit: 'ops/s',
    baseline: 'dynamodb-local/get/200-ops',
    setup,
    teardown,
    run: async (s) => {
      const ms = await timeMs(async () => {
        for (let i = 0; i < OPS; i++) {
          const id = randomUUID();
          await s.doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: s.table,
                    Item: keys.leadAssignment(id),
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
                { Put: { TableName: s.table, Item: keys.notification(id) } },
                { Put: { TableName: s.table, Item: keys.outbox(id, 'c') } },
              ],
            }),
          );
        }
      });
      return (OPS / ms) * 1000;
    },
  }),
  bench<State & { dir: string }>({
    name: 'dynamodb-local/transaction-5-items',
    unit: 'ms',
    runs: 5,
    notes:
      "median latency of one TransactWriteItems shaped like intake's (notification, assignment, rep counters, audit, outbox) on a disk-backed DynamoDB Local, as the local stack runs it; 100 per run",
    setup: diskBacked,
    teardown: stopDiskBacked,
    run: async (s) => {
      const times: number[] = [];
      for (let i = 0; i < 100; i++) {
        const id = randomUUID();
        const at = new Date().toISOString();
        times.push(
          await timeMs(() =>
            s.doc.send(
              new TransactWriteCommand({
                TransactItems: [
                  {
                    Put: {
                      TableName: s.table,
                      Item: keys.notification(id),
                      ConditionExpression: 'attribute_not_exists(PK)',
                    },
                  },
                  {
                    Put: {
                      TableName: s.table,
                      Item: { ...keys.leadAssignment(id), ownerId: 'rep' },
                      ConditionExpression: 'attribute_not_exists(PK)',
                    },
                  },
                  {
                    Update: {
                      TableName: s.table,
                      Key: keys.rep(`bench-${i % 10}`),
                      UpdateExpression: 'SET openLeads = if_not_exists(openLeads, :zero) + :one',
                      ConditionExpression: 'attribute_not_exists(PK) OR openLeads < :max',
                      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': 1_000_000 },
                    },
                  },
                  { Put: { TableName: s.table, Item: { ...keys.audit(id, at, id), reason: 'bench' } } },
                  { Put: { TableName: s.table, Item: { ...keys.outbox(id, id), status: 'pending' } } },
                ],
              }),
            ),
          ),
        );
      }
      return median(times);
    },
  }),
  bench<State & { dir: string }>({
    name: 'dynamodb-local/transaction-100-items',
    unit: 'ms',
    runs: 5,
    notes:
      'median latency of one TransactWriteItems of 100 conditional puts of ~400-byte items on a disk-backed DynamoDB Local (the local stack): what 100 items cost at the least, 20 per run',
    setup: diskBacked,
    teardown: stopDiskBacked,
    run: async (s) => {
      const times: number[] = [];
      const body = 'x'.repeat(400);
      for (let i = 0; i < 20; i++) {
        const items = Array.from({ length: 100 }, () => ({
          Put: {
            TableName: s.table,
            Item: { ...keys.notification(randomUUID()), body },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        }));
        times.push(await timeMs(() => s.doc.send(new TransactWriteCommand({ TransactItems: items }))));
      }
      return median(times);
    },
  }),
];
