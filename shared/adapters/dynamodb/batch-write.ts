import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const BATCH_WRITE_LIMIT = 25;

/**
 * BatchWriteItem puts over any number of items: chunks of 25, unprocessed items (throttling)
 * retried with backoff until none are left, so nothing is silently not written.
 */
export async function batchPut(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH_WRITE_LIMIT) {
    let pending = items.slice(i, i + BATCH_WRITE_LIMIT).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      if (attempt > 10)
        throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after retries`);
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] as typeof pending | undefined) ?? [];
    }
  }
}

/** BatchWriteItem deletes over any number of keys, with the same chunking and retries as `batchPut`. */
export async function batchDelete(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: ReadonlyArray<{ PK: string; SK: string }>,
): Promise<void> {
  for (let i = 0; i < keys.length; i += BATCH_WRITE_LIMIT) {
    let pending = keys.slice(i, i + BATCH_WRITE_LIMIT).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      if (attempt > 10)
        throw new Error(`BatchWriteItem left ${pending.length} deletes unprocessed after retries`);
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] as typeof pending | undefined) ?? [];
    }
  }
}
