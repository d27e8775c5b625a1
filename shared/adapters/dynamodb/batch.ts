import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ItemKey } from './keys.js';

const BATCH_GET_LIMIT = 100;

/**
 * BatchGetItem over any number of keys: chunks of 100, and unprocessed keys (throttling) retried
 * with backoff until none are left, so a caller never mistakes "not returned" for "not there".
 */
export async function batchGet(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: ItemKey[],
): Promise<Record<string, unknown>[]> {
  const unique = [...new Map(keys.map((k) => [`${k.PK}\u0000${k.SK}`, k])).values()];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
    let pending: ItemKey[] = unique.slice(i, i + BATCH_GET_LIMIT);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      if (attempt > 10) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after retries`);
      const out = await doc.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...(out.Responses?.[tableName] ?? []));
      pending = (out.UnprocessedKeys?.[tableName]?.Keys as ItemKey[] | undefined) ?? [];
    }
  }
  return items;
}

/** A batch read whose items are found by the key each was asked for (key formats stay in keys.ts). */
export async function batchGetByKey(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: ItemKey[],
): Promise<(key: ItemKey) => Record<string, unknown> | undefined> {
  const items = await batchGet(doc, tableName, keys);
  const found = new Map(items.map((item) => [`${String(item.PK)}\u0000${String(item.SK)}`, item]));
  return (key) => found.get(`${key.PK}\u0000${key.SK}`);
}
