import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ItemKey } from './keys.js';

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;

/**
 * Sends one batch request, then again with what DynamoDB left unprocessed (throttling), backing
 * off between tries, until nothing is left; gives up loudly rather than drop anything.
 */
export async function untilProcessed<T>(
  requests: readonly T[],
  what: string,
  send: (pending: T[]) => Promise<T[]>,
): Promise<void> {
  let pending = [...requests];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
    if (attempt > 10)
      throw new Error(`Batch request left ${pending.length} ${what} unprocessed after retries`);
    pending = await send(pending);
  }
}

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
    await untilProcessed(unique.slice(i, i + BATCH_GET_LIMIT), 'keys', async (pending) => {
      const out = await doc.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...(out.Responses?.[tableName] ?? []));
      return (out.UnprocessedKeys?.[tableName]?.Keys as ItemKey[] | undefined) ?? [];
    });
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

/** Items of one type by id, each parsed by its codec; an id with no stored item is absent from the map. */
export async function batchGetById<T>(
  doc: DynamoDBDocumentClient,
  tableName: string,
  codec: { key(id: string): ItemKey; fromItem(item: Record<string, unknown>): T },
  ids: readonly string[],
): Promise<Map<string, T>> {
  const itemAt = await batchGetByKey(
    doc,
    tableName,
    ids.map((id) => codec.key(id)),
  );
  const found = new Map<string, T>();
  for (const id of ids) {
    const item = itemAt(codec.key(id));
    if (item) found.set(id, codec.fromItem(item));
  }
  return found;
}

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/**
 * BatchWriteItem over any number of puts and deletes: chunks of 25, unprocessed requests
 * (throttling) retried until none are left, so nothing is silently not written.
 */
export async function batchWrite(
  doc: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_WRITE_LIMIT) {
    await untilProcessed(requests.slice(i, i + BATCH_WRITE_LIMIT), 'writes', async (pending) => {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      return (out.UnprocessedItems?.[tableName] as WriteRequest[] | undefined) ?? [];
    });
  }
}

/** Put requests for batchWrite. */
export function puts(items: ReadonlyArray<Record<string, unknown>>): WriteRequest[] {
  return items.map((Item) => ({ PutRequest: { Item } }));
}

/** Delete requests for batchWrite. */
export function deletes(keys: readonly ItemKey[]): WriteRequest[] {
  return keys.map((Key) => ({ DeleteRequest: { Key: { ...Key } } }));
}
