import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { conditionalWrite } from '../../../shared/adapters/dynamodb/conditions.js';
import { DynamoOutbox } from '../../../shared/adapters/dynamodb/outbox.js';
import type { OutboxItem } from '../../../shared/ports/outbox.js';
import { ConcurrentWriteError } from '../../../shared/ports/write-conflict.js';

const $metadata = {};
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata,
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const failing = (error: unknown) => async () => {
  throw error;
};

describe('conditionalWrite', () => {
  it('resolves with the output when the write succeeds', async () => {
    expect(await conditionalWrite(async () => 'written')).toEqual({ ok: true, output: 'written' });
  });

  it('turns a single write refused by its condition into a refusal carrying the stored item', async () => {
    const error = new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata,
      Item: marshall({ PK: 'LEASE#top-up', SK: 'LEASE', holder: 'run-1' }),
    });
    const result = await conditionalWrite(failing(error));
    expect(result).toEqual({
      ok: false,
      refused: { failed: [0], items: new Map([[0, { PK: 'LEASE#top-up', SK: 'LEASE', holder: 'run-1' }]]) },
    });
  });

  it('names which transaction items were refused', async () => {
    const result = await conditionalWrite(failing(cancelled('None', 'ConditionalCheckFailed', 'None')));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.refused.failed).toEqual([1]);
  });

  it('rethrows a transaction cancelled by throttling', async () => {
    const error = cancelled('None', 'ThrottlingError');
    await expect(conditionalWrite(failing(error))).rejects.toBe(error);
  });

  it('rethrows a throttled single write', async () => {
    const error = new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata });
    await expect(conditionalWrite(failing(error))).rejects.toBe(error);
  });

  it('rethrows any other error as it is', async () => {
    const error = new Error('socket hang up');
    await expect(conditionalWrite(failing(error))).rejects.toBe(error);
  });

  it('reports a transaction lost to a concurrent writer as ConcurrentWriteError', async () => {
    const error = cancelled('TransactionConflict', 'None');
    const rejection = await conditionalWrite(failing(error)).catch((e: unknown) => e);
    expect(rejection).toBeInstanceOf(ConcurrentWriteError);
    expect((rejection as ConcurrentWriteError).cause).toBe(error);
  });
});

describe('settling an outbox item', () => {
  const item: OutboxItem = {
    recordId: '00QTR00000000012AA',
    changeId: 'change-1',
    objectType: 'Lead',
    ownerId: '005TR0000000001YAA',
    ownerKind: 'rep',
    reason: 'Even rotation',
    source: 'intake',
    replaceableOwnerIds: [],
    attempts: 0,
    enqueuedAt: '2026-11-22T15:00:00.000Z',
  };
  const outboxFailingWith = (error: unknown) =>
    new DynamoOutbox({ send: failing(error) } as unknown as DynamoDBDocumentClient, 'table');

  it('is a no-op when another attempt settled it first (condition refused)', async () => {
    const outbox = outboxFailingWith(cancelled('ConditionalCheckFailed', 'None'));
    await expect(outbox.settle(item, { status: 'written', detail: 'ok' }, 'now')).resolves.toBeUndefined();
  });

  it('propagates throttling so the batch is retried instead of silently dropped', async () => {
    const error = cancelled('ThrottlingError', 'None');
    const outbox = outboxFailingWith(error);
    await expect(outbox.settle(item, { status: 'written', detail: 'ok' }, 'now')).rejects.toBe(error);
  });
});
