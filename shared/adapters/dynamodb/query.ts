import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { ItemKey } from './keys.js';

/** Query input for the items of a partition whose sort key starts with a prefix (bounds from keys.ts). */
export function prefixQuery(
  tableName: string,
  bounds: { PK: string; skPrefix: string },
): Pick<QueryCommandInput, 'TableName' | 'KeyConditionExpression' | 'ExpressionAttributeValues'> {
  return {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': bounds.PK, ':prefix': bounds.skPrefix },
  };
}

/**
 * Every item a query matches, page after page. The caller may stop early (`break`): no further
 * page is read, which is how bounded reads (`limit`) stay one or two round trips.
 */
export async function* queryItems(
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) yield item;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** One item by its key (read consistently unless the item never changes), or undefined when there is none. */
export async function getItem(
  doc: DynamoDBDocumentClient,
  tableName: string,
  key: ItemKey,
  options: { immutable?: boolean } = {},
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: !options.immutable }),
  );
  return Item;
}
