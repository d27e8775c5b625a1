import { describe, expect, it } from 'vitest';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { distribute } from '../../shared/domain/territory/distribution.js';
import {
  applyStateChange,
  catchUpKey,
  type DistributionSnapshot,
  EMPTY_SNAPSHOT,
  snapshotOf,
  stateOf,
} from '../../shared/domain/territory/distribution-state.js';
import type { AssignmentWrite } from '../../shared/ports/assignment-ledger.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { compiled, config, repId } from '../unit/territory/fixtures.js';

const t = useDynamoDbLocal();

const QUEUE = '00G000000000001AAA';
const leadId = (n: number) => `00Q${String(n).padStart(12, '0')}AAA`;

/** Rep 1 (Toronto calendar) away Dec 1, partial catch-up 3 a day, four reps in an even rotation. */
const model = compiled(
  config({
    timeZone: 'UTC',
    reps: [1, 2, 3, 4].map((n) => ({
      key: `rep0${n}`,
      id: repId(n),
      name: `Rep ${n}`,
      timeZone: 'America/Toronto',
      ...(n === 1 ? { outOfOffice: [{ from: '2026-12-01', to: '2026-12-01', timeZone: 'UTC' }] } : {}),
    })),
    territories: [
      {
        id: 'toronto-core',
        name: 'Toronto Core',
        priority: 1,
        participants: ['rep01', 'rep02', 'rep03', 'rep04'],
        catchUp: { partial: 3 },
      },
    ],
  }),
);

function decide(snapshot: DistributionSnapshot, at: number) {
  const decision = distribute(model, model.match({}), {}, snapshot, { now: at });
  return { decision, next: applyStateChange(snapshot, decision.stateChange!) };
}

function write(n: number, snapshot: DistributionSnapshot, at: number): AssignmentWrite {
  const { decision, next } = decide(snapshot, at);
  return {
    leadId: leadId(n),
    previousOwnerId: QUEUE,
    ownerId: decision.ownerId,
    ownerKind: 'rep',
    territoryId: 'toronto-core',
    reason: decision.reason,
    trace: {},
    source: 'intake',
    distribution: {
      territoryId: 'toronto-core',
      expectedVersion: snapshot.version,
      nextState: stateOf(next),
    },
    replaceableOwnerIds: [QUEUE],
    at: new Date(at).toISOString(),
    changeId: `c-${n}`,
  };
}

describe('partial catch-up state in DynamoDB', () => {
  it('round-trips owed, extras, the day and negative offsets, and decides the same as in memory', async () => {
    const ledger = new DynamoAssignmentLedger(t.doc, await t.newTable());
    const read = async () =>
      snapshotOf((await ledger.distributionSnapshots(['toronto-core'])).get('toronto-core'));
    let memory = EMPTY_SNAPSHOT;
    // A lead an hour for two days: a day away, then back catching up.
    for (let n = 0; n < 48; n++) {
      const at = Date.parse('2026-12-01T00:00:00Z') + n * 3_600_000;
      const stored = await read();
      expect(stored).toEqual(memory);
      expect(await ledger.recordAssignment(write(n, stored, at))).toEqual({ ok: true });
      memory = decide(memory, at).next;
    }
    const stored = await read();
    expect(stored).toEqual(memory);
    const rep1 = repId(1);
    // Rep 1 was forgiven 5 for its day away and is back at 00:00 UTC, 19:00 on Dec 1 in Toronto:
    // 3 extras that Toronto evening, the other 2 from Toronto midnight (05:00 UTC).
    expect(stored.counts[catchUpKey.extras(rep1)]).toBe(5);
    expect(stored.counts[catchUpKey.owed(rep1)]).toBe(0);
    expect(stored.counts[catchUpKey.extrasToday(rep1)]).toBe(2);
    expect(stored.turns[catchUpKey.day(rep1)]).toBe(Date.parse('2026-12-02') / 86_400_000);
    expect(Object.values(stored.counts).some((v) => v < 0)).toBe(true);
  });

  it('refuses a second decision made from the same state, so one extra is never counted twice', async () => {
    const ledger = new DynamoAssignmentLedger(t.doc, await t.newTable());
    let snapshot = EMPTY_SNAPSHOT;
    for (let n = 0; n < 24; n++) {
      const at = Date.parse('2026-12-01T00:00:00Z') + n * 3_600_000;
      expect(await ledger.recordAssignment(write(n, snapshot, at))).toEqual({ ok: true });
      snapshot = decide(snapshot, at).next;
    }
    // Rep 1 is back and owed: two writers decide from the same state; both pick its extra.
    const at = Date.parse('2026-12-02T05:00:00Z');
    const [a, b] = [write(100, snapshot, at), write(101, snapshot, at)];
    expect(a.ownerId).toBe(repId(1));
    expect(a.reason).toContain('Rep 1 catching up, extra 1 of 3 today');
    const results = await Promise.all([ledger.recordAssignment(a), ledger.recordAssignment(b)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, conflict: 'distribution-changed' });
    const stored = snapshotOf((await ledger.distributionSnapshots(['toronto-core'])).get('toronto-core'));
    expect(stored.counts[catchUpKey.extras(repId(1))]).toBe(1);
    expect(stored.counts[catchUpKey.extrasToday(repId(1))]).toBe(1);
  });
});
