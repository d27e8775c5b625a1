import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcurrentWriteError } from '../../ports/write-conflict.js';

/** A write DynamoDB refused because a condition did not hold. */
export interface FailedCondition {
  /** Positions of the refused writes: the transaction's items, or [0] for a single write. */
  readonly failed: readonly number[];
  /** The stored item at each refused position, when the write asked for it (`ALL_OLD`). */
  readonly items: ReadonlyMap<number, Record<string, unknown>>;
}

export type ConditionalWrite<T> = { ok: true; output: T } | { ok: false; refused: FailedCondition };

/**
 * The one place a failed condition is recognised. Resolves `ok: false` when DynamoDB refused the
 * write because a condition did not hold (a single write's ConditionalCheckFailedException, or a
 * transaction cancelled by one of its conditions), for the adapter to map to its domain outcome.
 * A transaction lost only to a concurrent writer rejects with ConcurrentWriteError; throttling and
 * every other error reject as they are, so callers retry or fail loudly, never mistake them for "refused".
 */
export async function conditionalWrite<T>(write: () => Promise<T>): Promise<ConditionalWrite<T>> {
  try {
    return { ok: true, output: await write() };
  } catch (error) {
    return { ok: false, refused: failedCondition(error) };
  }
}

function failedCondition(error: unknown): FailedCondition {
  if (error instanceof ConditionalCheckFailedException) {
    return { failed: [0], items: new Map(error.Item ? [[0, unmarshall(error.Item)]] : []) };
  }
  if (error instanceof TransactionCanceledException) {
    const reasons = error.CancellationReasons ?? [];
    const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
    if (failed.length > 0) {
      const items = new Map<number, Record<string, unknown>>();
      for (const i of failed) {
        const item = reasons[i]?.Item;
        if (item) items.set(i, unmarshall(item));
      }
      return { failed, items };
    }
    if (
      reasons.some((r) => r.Code === 'TransactionConflict') &&
      reasons.every((r) => r.Code === 'TransactionConflict' || r.Code === 'None')
    ) {
      throw new ConcurrentWriteError('Another transaction wrote the same items; nothing was written', {
        cause: error,
      });
    }
  }
  throw error;
}
