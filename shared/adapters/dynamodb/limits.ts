/**
 * DynamoDB's size limits, checked before a write so a write that can never succeed is known as such
 * instead of being discovered (and retried) as an error.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items
 */
export const MAX_ITEM_BYTES = 400 * 1024;
export const MAX_KEY_BYTES = 2048;

/**
 * An item's size as DynamoDB counts it (attribute names plus values; strings in UTF-8, numbers up to
 * 21 bytes, 3 bytes per list or map and 1 per element), rounded up where DynamoDB is vague.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
export function itemBytes(item: Record<string, unknown>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    total += Buffer.byteLength(name, 'utf8') + valueBytes(value);
  }
  return total;
}

function valueBytes(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') return 21;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueBytes(v), 3);
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + 1 + valueBytes(v ?? null), 3);
  if (typeof value === 'object') return 3 + itemBytes(value as Record<string, unknown>) + countEntries(value);
  return 0;
}

function countEntries(value: object): number {
  return Object.values(value).filter((v) => v !== undefined).length;
}

/** `text` cut to at most `max` characters, marked when cut; for text from a message kept beside a key. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
