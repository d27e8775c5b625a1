import { describe, expect, it } from 'vitest';
import {
  applyModeFor,
  freshness,
  ownerChangeReason,
  planBatches,
  summarize,
} from '../../../shared/domain/reassign/apply-plan.js';
import type { ApplyMove, EvaluatedMove } from '../../../shared/domain/reassign/model.js';

const move = (n: number, extra: Partial<ApplyMove> = {}): ApplyMove => ({
  row: n,
  recordId: `001A${n}`,
  objectType: 'Account',
  fromOwnerId: 'rep-a',
  toOwnerId: 'rep-b',
  reason: 'r',
  effectiveOn: '2027-03-01',
  parentId: null,
  arr: 100,
  ...extra,
});

describe('apply batches', () => {
  it('keep at most the batch size, one object type per batch', () => {
    const moves = [
      ...Array.from({ length: 450 }, (_, i) => move(i)),
      ...Array.from({ length: 3 }, (_, i) => move(1000 + i, { objectType: 'Lead', recordId: `00QA${i}` })),
    ];
    const batches = planBatches(moves, 200);
    expect(batches.map((b) => b.length)).toEqual([200, 200, 50, 3]);
    for (const batch of batches) expect(new Set(batch.map((m) => m.objectType)).size).toBe(1);
  });

  it('put children of one parent account in the same batch', () => {
    const moves = [
      ...Array.from({ length: 150 }, (_, i) => move(i)),
      ...Array.from({ length: 80 }, (_, i) => move(500 + i, { parentId: 'parent-1' })),
    ];
    const batches = planBatches(moves, 200);
    const holding = batches.filter((b) => b.some((m) => m.parentId === 'parent-1'));
    expect(holding).toHaveLength(1);
    expect(holding[0]?.filter((m) => m.parentId === 'parent-1')).toHaveLength(80);
  });

  it('let a parent with more children than fit span consecutive batches', () => {
    const batches = planBatches(
      Array.from({ length: 450 }, (_, i) => move(i, { parentId: 'big' })),
      200,
    );
    expect(batches.map((b) => b.length)).toEqual([200, 200, 50]);
  });

  it('switch to Bulk API 2.0 above the threshold', () => {
    expect(applyModeFor(2000, 2000)).toBe('collections');
    expect(applyModeFor(2001, 2000)).toBe('bulk');
  });
});

describe('the owner at apply time', () => {
  it.each([
    ['unchanged: write it', 'rep-a', 'write'],
    ['already the new owner (a re-run): applied', 'rep-b', { status: 'applied' }],
    ['changed by someone: skipped, never overwritten', 'rep-c', { status: 'skipped' }],
    ['record deleted: skipped', undefined, { status: 'skipped', reason: 'the record no longer exists' }],
  ] as const)('%s', (_name, current, expected) => {
    const verdict = freshness(move(1), current);
    if (expected === 'write') expect(verdict).toBe('write');
    else expect(verdict).toMatchObject(expected);
  });
});

describe('the reason written to Salesforce', () => {
  it('starts with the new owner and the change, then who approved it', () => {
    expect(ownerChangeReason('FY2027 Territory Planning', undefined, ['VP Sales'], 'Priya Sharma')).toBe(
      '→ Priya Sharma, reassigned: FY2027 Territory Planning; approved by VP Sales',
    );
    expect(ownerChangeReason('Label', 'Territory plan: balance', [])).toBe(
      '→ reassigned: Territory plan: balance; within guardrails, no approval needed',
    );
  });
});

describe('the summary', () => {
  const evaluated = (outcome: EvaluatedMove['outcome'], n: number): EvaluatedMove => ({
    row: n,
    recordId: `r${n}`,
    recordName: `Acme ${n}`,
    objectType: 'Account',
    toOwnerId: 'rep-b',
    fromOwnerId: 'rep-a',
    outcome,
    notes: [],
    parentId: null,
    arr: 0,
    openDeals: 0,
    openDealAmount: 0,
  });

  it('accounts for every move and reports one that never got a result as failed, with its last error', () => {
    const summary = summarize(
      [
        evaluated('allowed', 1),
        evaluated('allowed', 2),
        evaluated('allowed', 3),
        evaluated('blocked', 4),
        evaluated('no-op', 5),
      ],
      [
        move(1, { result: { status: 'applied' } }),
        move(2, { result: { status: 'skipped', reason: 'owner changed' } }),
        move(3, { lastError: { errorCode: 'UNABLE_TO_LOCK_ROW', message: 'locked' } }),
      ],
      ['VP Sales'],
      new Map([['rep-b', { id: 'rep-b', name: 'Priya', active: true }]]),
    );
    expect(summary).toMatchObject({ applied: 1, skipped: 1, failed: 1, blocked: 1, noOps: 1, arrMoved: 100 });
    expect(summary.failures).toEqual([
      {
        row: 3,
        recordId: '001A3',
        objectType: 'Account',
        name: 'Acme 3',
        to: 'Priya',
        errorCode: 'UNABLE_TO_LOCK_ROW',
        message: 'locked',
      },
    ]);
    expect(summary.skippedMoves).toEqual([
      { row: 2, recordId: '001A2', name: 'Acme 2', to: 'Priya', reason: 'owner changed' },
    ]);
    expect(summary.reps.find((r) => r.repId === 'rep-b')).toMatchObject({ repName: 'Priya', gains: 1 });
  });
});
