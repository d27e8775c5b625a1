import { describe, expect, it } from 'vitest';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';

const t = useDynamoDbLocal();

describe('adding top-up leads to a territory distribution state', () => {
  it('loses no increment when many writers add at once', async () => {
    const ledger = new DynamoAssignmentLedger(t.doc, await t.newTable());
    await ledger.addDistributionCounts('toronto-core', { total: 1, 'rep:A': 1 }, '2026-11-22T15:00:00Z');
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ledger.addDistributionCounts(
          'toronto-core',
          { total: 2, [`rep:${i % 2 ? 'A' : 'B'}`]: 2 },
          '2026-11-22T15:00:01Z',
        ),
      ),
    );
    const snapshot = (await ledger.distributionSnapshots(['toronto-core'])).get('toronto-core');
    expect(snapshot?.version).toBe(13);
    expect(snapshot?.state).toEqual({ turns: {}, counts: { total: 25, 'rep:A': 13, 'rep:B': 12 } });
  });
});
