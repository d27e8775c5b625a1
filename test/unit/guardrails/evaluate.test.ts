import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GUARDRAIL_CONFIG,
  evaluateGuardrails,
  type GuardrailConfigInput,
  type GuardrailSnapshot,
  guardrailConfigSchema,
  type MoveRequest,
  type ProposedMove,
} from '../../../shared/domain/guardrails/index.js';

const NOW = new Date('2026-03-01T15:00:00Z');
const LATER = '2026-06-01'; // 92 days out

function accountMove(
  recordId: string,
  fromOwnerId: string | null,
  toOwnerId: string,
  effectiveDate = LATER,
): ProposedMove {
  return { recordId, objectType: 'Account', fromOwnerId, toOwnerId, effectiveDate };
}

/** n account moves from one rep to another, ids prefixed so tables can combine them. */
function moves(n: number, from: string, to: string, prefix = 'A'): ProposedMove[] {
  return Array.from({ length: n }, (_, i) => accountMove(`${prefix}${i + 1}`, from, to));
}

const baseSnapshot: GuardrailSnapshot = {
  accounts: [
    { id: 'NAMED', ownerId: 'R1', named: true },
    { id: 'BIGDEAL', ownerId: 'R1', named: false },
    { id: 'SMALLDEAL', ownerId: 'R1', named: false },
  ],
  openOpportunities: [
    { id: 'O1', accountId: 'BIGDEAL', ownerId: 'U7', amount: 80_000 },
    { id: 'O2', accountId: 'BIGDEAL', ownerId: 'U8', amount: 40_000 },
    { id: 'O3', accountId: 'SMALLDEAL', ownerId: 'R1', amount: 100_000 },
  ],
  bookSizes: { R1: 100, R2: 100, R3: 10 },
  history: [],
};

function evaluate(request: MoveRequest, config: GuardrailConfigInput = {}, snapshot = baseSnapshot) {
  return evaluateGuardrails(request, snapshot, guardrailConfigSchema.parse(config), NOW);
}

describe('guardrail configuration', () => {
  it('parses an empty object to the documented defaults', () => {
    expect(DEFAULT_GUARDRAIL_CONFIG).toMatchObject({
      vpApproval: { maxAccountsGainedOrLost: 20 },
      dealOwnerApproval: { openDealAmountAbove: 100_000 },
      bookChange: { maxShare: 0.3, windowDays: 365, onExceed: 'block' },
      namedAccounts: { overrideApprover: 'manager' },
      effectiveDate: { minNoticeDays: 60, appliesTo: ['Account'], onTooEarly: 'block' },
    });
  });

  it('keeps the other defaults when one threshold is overridden', () => {
    const config = guardrailConfigSchema.parse({ vpApproval: { maxAccountsGainedOrLost: 5 } });
    expect(config.vpApproval).toEqual({ enabled: true, maxAccountsGainedOrLost: 5 });
    expect(config.bookChange.maxShare).toBe(0.3);
  });

  it('rejects a share above 1', () => {
    expect(() => guardrailConfigSchema.parse({ bookChange: { maxShare: 1.5 } })).toThrow();
  });
});

describe('evaluateGuardrails', () => {
  const cases: {
    name: string;
    request: MoveRequest;
    config?: GuardrailConfigInput;
    snapshot?: GuardrailSnapshot;
    allowed: number;
    blocked: number;
    rules: string[];
    approvals: string[];
  }[] = [
    {
      name: 'allows a small move with nothing to approve',
      request: { moves: [accountMove('X1', 'R1', 'R2')] },
      allowed: 1,
      blocked: 0,
      rules: [],
      approvals: [],
    },
    {
      name: 'asks the VP when a rep gains more than 20 accounts',
      request: { moves: moves(21, 'R1', 'R2') },
      config: { bookChange: { enabled: false } },
      allowed: 21,
      blocked: 0,
      rules: ['vp-approval', 'vp-approval'],
      approvals: ['vp'],
    },
    {
      name: 'does not ask the VP at exactly 20 accounts',
      request: { moves: moves(20, 'R1', 'R2') },
      allowed: 20,
      blocked: 0,
      rules: [],
      approvals: [],
    },
    {
      name: 'asks the deal owners for an account with more than $100K in open deals',
      request: { moves: [accountMove('BIGDEAL', 'R1', 'R2')] },
      allowed: 1,
      blocked: 0,
      rules: ['deal-owner-approval'],
      approvals: ['deal-owner'],
    },
    {
      name: 'does not ask the deal owner at exactly $100K',
      request: { moves: [accountMove('SMALLDEAL', 'R1', 'R2')] },
      allowed: 1,
      blocked: 0,
      rules: [],
      approvals: [],
    },
    {
      name: 'blocks a named account without a manager override',
      request: { moves: [accountMove('NAMED', 'R1', 'R2')] },
      allowed: 0,
      blocked: 1,
      rules: ['named-account'],
      approvals: [],
    },
    {
      name: 'lets a named account move under a manager override, with manager approval',
      request: { moves: [accountMove('NAMED', 'R1', 'R2')], namedAccountOverride: ['NAMED'] },
      allowed: 1,
      blocked: 0,
      rules: ['named-account'],
      approvals: ['manager'],
    },
    {
      name: 'blocks a territory change less than 60 days out',
      request: { moves: [accountMove('X1', 'R1', 'R2', '2026-03-21')] },
      allowed: 0,
      blocked: 1,
      rules: ['effective-date'],
      approvals: [],
    },
    {
      name: 'reschedules an early change when configured to',
      request: { moves: [accountMove('X1', 'R1', 'R2', '2026-03-21')] },
      config: { effectiveDate: { onTooEarly: 'reschedule' } },
      allowed: 1,
      blocked: 0,
      rules: ['effective-date'],
      approvals: [],
    },
    {
      name: 'lets a lead move tomorrow (the notice period is for territory changes)',
      request: {
        moves: [
          {
            recordId: 'L1',
            objectType: 'Lead',
            fromOwnerId: 'R1',
            toOwnerId: 'R2',
            effectiveDate: '2026-03-02',
          },
        ],
      },
      allowed: 1,
      blocked: 0,
      rules: [],
      approvals: [],
    },
    {
      name: 'blocks moves beyond 30% of a book, keeping the first ones',
      request: { moves: moves(4, 'R3', 'R2') },
      allowed: 3,
      blocked: 1,
      rules: ['book-change'],
      approvals: [],
    },
    {
      name: 'counts the rolling year of history toward the book cap',
      request: { moves: moves(2, 'R3', 'R2') },
      snapshot: {
        ...baseSnapshot,
        history: [
          {
            recordId: 'H1',
            objectType: 'Account',
            fromOwnerId: 'R3',
            toOwnerId: 'R9',
            effectiveDate: '2025-09-01',
          },
          {
            recordId: 'H2',
            objectType: 'Account',
            fromOwnerId: 'R3',
            toOwnerId: 'R9',
            effectiveDate: '2025-01-01',
          },
        ],
      },
      allowed: 2,
      blocked: 0,
      rules: [],
      approvals: [],
    },
    {
      name: 'turns the book cap into a VP approval when configured to',
      request: { moves: moves(4, 'R3', 'R2') },
      config: { bookChange: { onExceed: 'approval' } },
      allowed: 4,
      blocked: 0,
      rules: ['book-change'],
      approvals: ['vp'],
    },
    {
      name: 'blocks a second move of the same record',
      request: { moves: [accountMove('X1', 'R1', 'R2'), accountMove('X1', 'R1', 'R3')] },
      allowed: 1,
      blocked: 1,
      rules: ['duplicate-move'],
      approvals: [],
    },
    {
      name: 'drops a move to the current owner as a no-op',
      request: { moves: [accountMove('X1', 'R1', 'R1')] },
      allowed: 0,
      blocked: 0,
      rules: [],
      approvals: [],
    },
    {
      name: 'skips a rule that is disabled',
      request: { moves: [accountMove('NAMED', 'R1', 'R2')] },
      config: { namedAccounts: { enabled: false } },
      allowed: 1,
      blocked: 0,
      rules: [],
      approvals: [],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const result = evaluate(c.request, c.config, c.snapshot);
      expect(result.allowed).toHaveLength(c.allowed);
      expect(result.blocked).toHaveLength(c.blocked);
      expect(result.violations.map((v) => v.rule)).toEqual(c.rules);
      expect(result.requiredApprovals.map((a) => a.role)).toEqual(c.approvals);
    });
  }

  it('states the numbers of a VP violation in the violation and its sentence', () => {
    const result = evaluate({ moves: [...moves(22, 'R1', 'R2'), ...moves(3, 'R2', 'R1', 'B')] });
    const forR2 = result.violations.find((v) => v.repId === 'R2');
    expect(forR2).toMatchObject({
      rule: 'vp-approval',
      outcome: 'approval-required',
      numbers: { gained: 22, lost: 3, threshold: 20 },
    });
    expect(forR2?.message).toBe(
      'Rep R2 gains 22 and loses 3 accounts; more than 20 either way needs VP approval.',
    );
  });

  it('names the deal owners as the approvers and keeps their opportunities with them', () => {
    const result = evaluate({ moves: [accountMove('BIGDEAL', 'R1', 'R2')] });
    expect(result.requiredApprovals).toEqual([
      expect.objectContaining({ role: 'deal-owner', approverIds: ['U7', 'U8'], recordIds: ['BIGDEAL'] }),
    ]);
    expect(result.violations[0]?.numbers).toMatchObject({ openDealAmount: 120_000, opportunities: 2 });
    expect(result.opportunitiesStaying.map((o) => [o.id, o.ownerId, o.accountMovesTo])).toEqual([
      ['O1', 'U7', 'R2'],
      ['O2', 'U8', 'R2'],
    ]);
  });

  it('reports the book cap with the book, history and proposed numbers', () => {
    const result = evaluate({ moves: moves(5, 'R3', 'R2') });
    expect(result.violations[0]).toMatchObject({
      rule: 'book-change',
      repId: 'R3',
      numbers: { bookSize: 10, movedInWindow: 0, proposed: 5, cap: 3, blocked: 2 },
      recordIds: ['A4', 'A5'],
    });
    expect(result.blocked.map((b) => b.move.recordId)).toEqual(['A4', 'A5']);
  });

  it('gives moves without a date the earliest date the notice allows', () => {
    const result = evaluate({
      moves: [{ recordId: 'X1', objectType: 'Account', fromOwnerId: 'R1', toOwnerId: 'R2' }],
    });
    expect(result.allowed[0]?.effectiveDate).toBe('2026-04-30');
  });

  it('explains an early date with the days out and the earliest allowed date', () => {
    const result = evaluate({ moves: [accountMove('X1', 'R1', 'R2', '2026-03-21')] });
    expect(result.violations[0]?.message).toBe(
      "Account X1 would take effect on 2026-03-21, 20 days out; territory changes need at least 60 days' notice (earliest 2026-04-30), so the move is blocked.",
    );
  });

  it('does not count blocked moves toward the VP threshold', () => {
    const result = evaluate({
      moves: [...moves(20, 'R1', 'R2'), accountMove('NAMED', 'R1', 'R2')],
    });
    expect(result.violations.map((v) => v.rule)).toEqual(['named-account']);
  });

  it('collects every blocking reason of a move', () => {
    const result = evaluate({ moves: [accountMove('NAMED', 'R1', 'R2', '2026-03-10')] });
    expect(result.blocked[0]?.rules).toEqual(['effective-date', 'named-account']);
  });
});
