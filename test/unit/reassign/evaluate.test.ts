import { describe, expect, it } from 'vitest';
import { DEFAULT_GUARDRAIL_CONFIG } from '../../../shared/domain/guardrails/config.js';
import { DEFAULT_APPROVERS } from '../../../shared/domain/reassign/approvers.js';
import { evaluateReassignment } from '../../../shared/domain/reassign/evaluate.js';
import type { ReassignmentSnapshot, RecordSnapshot } from '../../../shared/domain/reassign/model.js';
import type { MoveRow } from '../../../shared/domain/reassign/moves.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const [U1, U2, U3, INACTIVE] = ['005u1', '005u2', '005u3', '005u9'];
const account = (id: string, ownerId: string, extra: Partial<RecordSnapshot> = {}): RecordSnapshot => ({
  id,
  objectType: 'Account',
  ownerId,
  named: false,
  parentId: null,
  arr: 1000,
  ...extra,
});
const user = (id: string, active = true) => [id, { id, name: `User ${id}`, active }] as const;

function snapshot(extra: Partial<ReassignmentSnapshot> = {}): ReassignmentSnapshot {
  const accounts = Array.from({ length: 30 }, (_, i) => account(`a${i}`, i < 15 ? U1 : U2));
  return {
    records: new Map(accounts.map((a) => [a.id, a])),
    openOpportunities: [],
    // Large books, so the 30% rolling-year cap stays out of these cases.
    bookSizes: { [U1]: 100, [U2]: 100, [U3]: 0 },
    users: new Map([user(U1), user(U2), user(U3), user(INACTIVE, false)]),
    history: [],
    ...extra,
  };
}

let ids = 0;
const evaluate = (moves: MoveRow[], snap = snapshot()) =>
  evaluateReassignment({ moves }, snap, {
    config: DEFAULT_GUARDRAIL_CONFIG,
    approvers: DEFAULT_APPROVERS,
    now: NOW,
    newId: () => `approval-${++ids}`,
  });

const row = (n: number, recordId: string, toOwnerId: string): MoveRow => ({
  row: n,
  recordId,
  objectType: 'Account',
  toOwnerId,
});

describe('evaluating a reassignment against the org', () => {
  it('marks unknown records and inactive or unknown owners invalid, before any guardrail', () => {
    const { moves } = evaluate([
      row(1, 'missing', U3),
      row(2, 'a1', INACTIVE),
      row(3, 'a2', '005unknown'),
      row(4, 'a3', U3),
    ]);
    expect(moves.map((m) => [m.outcome, m.notes[0]])).toEqual([
      ['invalid', 'Account missing was not found in Salesforce'],
      ['invalid', 'new owner User 005u9 (005u9) is inactive'],
      ['invalid', 'new owner 005unknown is not a Salesforce user'],
      ['allowed', undefined],
    ]);
  });

  it('drops moves to the current owner as no-ops', () => {
    const { moves, report } = evaluate([row(1, 'a1', U1)]);
    expect(moves[0]?.outcome).toBe('no-op');
    expect(report.counts).toMatchObject({ noOps: 1, allowed: 0 });
    expect(report.applyOn).toBeNull();
  });

  it('asks each deal owner for their own accounts', () => {
    const snap = snapshot({
      openOpportunities: [
        { id: 'o1', accountId: 'a1', ownerId: U1, amount: 150_000 },
        { id: 'o2', accountId: 'a16', ownerId: U2, amount: 90_000 },
        { id: 'o3', accountId: 'a16', ownerId: U2, amount: 20_000 },
      ],
    });
    const { approvals, report } = evaluate([row(1, 'a1', U3), row(2, 'a16', U3)], snap);
    expect(approvals.map((a) => [a.role, a.approvers.map((p) => p.id), a.recordCount])).toEqual([
      ['deal-owner', [U1], 1],
      ['deal-owner', [U2], 1],
    ]);
    expect(report.openDeals).toEqual({ count: 3, amount: 260_000 });
  });

  it('asks the VP listed in the directory when a rep gains more than 20 accounts', () => {
    const moves = Array.from({ length: 22 }, (_, i) => row(i + 1, `a${i < 11 ? i : i + 4}`, U3));
    const { approvals, report } = evaluate(moves);
    expect(approvals).toEqual([
      expect.objectContaining({ role: 'vp', approvers: DEFAULT_APPROVERS.vp, recordCount: 22 }),
    ]);
    expect(report.reps[0]).toMatchObject({ repId: U3, repName: 'User 005u3', gains: 22, arrGained: 22_000 });
    expect(report.arrMoving).toBe(22_000);
  });

  it('applies on the latest effective date of the allowed moves', () => {
    const { report } = evaluate([
      { ...row(1, 'a1', U3), effectiveDate: '2027-03-01' },
      { ...row(2, 'a2', U3), effectiveDate: '2027-04-15' },
    ]);
    expect(report.applyOn).toBe('2027-04-15');
  });
});
