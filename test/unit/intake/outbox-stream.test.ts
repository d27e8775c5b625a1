import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { outboxItemsFromStream } from '../../../shared/adapters/dynamodb/outbox.js';

const record = (eventName: 'INSERT' | 'MODIFY', item: Record<string, unknown>): DynamoDBRecord => ({
  eventName,
  dynamodb: { NewImage: marshall(item) as never },
});

const outboxItem = (status: string) => ({
  PK: 'OUTBOX#00QTR00000000012AA',
  SK: 'change-1',
  recordId: '00QTR00000000012AA',
  objectType: 'Lead',
  ownerId: '005TR0000000001YAA',
  ownerKind: 'rep',
  reason: 'Territory "Toronto Core" → Joe Tremblay',
  source: 'intake',
  replaceableOwnerIds: ['00GTR00000000012AA'],
  status,
  attempts: 0,
  enqueuedAt: '2026-11-22T15:00:00.000Z',
});

describe('outboxItemsFromStream', () => {
  it('takes newly inserted pending outbox items and nothing else', () => {
    const items = outboxItemsFromStream([
      record('INSERT', outboxItem('pending')),
      record('INSERT', outboxItem('bulk')),
      record('MODIFY', outboxItem('pending')),
      record('INSERT', { PK: 'LEAD#00QTR00000000012AA', SK: 'ASSIGNMENT', status: 'pending' }),
    ]);
    expect(items).toEqual([
      expect.objectContaining({
        recordId: '00QTR00000000012AA',
        changeId: 'change-1',
        ownerKind: 'rep',
        attempts: 0,
      }),
    ]);
  });
});
