import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import {
  type DynamoDbLocal,
  ensureTable,
  startDynamoDbLocal,
} from '../../shared/local-stack/dynamodb-local.js';
import { bench, timeMs } from './harness.js';

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
];
