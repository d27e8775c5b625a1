import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateInstance } from '../../../shared/adapters/planning/generate.js';
import { guardrailConfigSchema } from '../../../shared/domain/guardrails/index.js';
import { PlanInfeasibleError } from '../../../shared/domain/planning/errors.js';
import type { Account, PlanningInput, PlanOptions, Rep } from '../../../shared/domain/planning/model.js';
import { planTerritories, type TerritoryPlan } from '../../../shared/domain/planning/plan.js';
import { account, accounts, planOptions, rep } from './fixtures.js';

const INDUSTRIES = ['Retail', 'Energy', 'Healthcare', ''];

const repArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    name: fc.constant(`Rep ${id}`),
    postalCode: fc.constant('M5V'),
    location: fc.record({
      latitude: fc.double({ min: 43, max: 46, noNaN: true }),
      longitude: fc.double({ min: -81, max: -75, noNaN: true }),
    }),
    specializations: fc.subarray(INDUSTRIES.slice(0, 3)),
    minAccounts: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined, freq: 2 }),
    maxAccounts: fc.option(fc.integer({ min: 3, max: 40 }), { nil: undefined, freq: 2 }),
    active: fc.constantFrom(true, true, true, false),
  });

const instanceArb = fc
  .integer({ min: 1, max: 6 })
  .chain((repCount) =>
    fc.record({
      reps: fc.tuple(...Array.from({ length: repCount }, (_, r) => repArb(`R${r}`))),
      accounts: fc.array(
        fc.record({
          revenuePotential: fc.integer({ min: 0, max: 1_000_000 }),
          workload: fc.double({ min: 0, max: 50, noNaN: true }),
          growthPotential: fc.integer({ min: 0, max: 200_000 }),
          industry: fc.constantFrom(...INDUSTRIES),
          latitude: fc.double({ min: 43, max: 46, noNaN: true }),
          longitude: fc.double({ min: -81, max: -75, noNaN: true }),
          owner: fc.integer({ min: -1, max: repCount - 1 }),
          named: fc.integer({ min: 0, max: 9 }).map((v) => v === 0),
          openDealAmount: fc.integer({ min: 0, max: 300_000 }),
        }),
        { minLength: 4, maxLength: 70 },
      ),
      mode: fc.constantFrom<'greenfield' | 'replan'>('greenfield', 'replan'),
      defaultMin: fc.integer({ min: 0, max: 3 }),
      defaultMax: fc.integer({ min: 5, max: 40 }),
      maxMoves: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
      maxBookChange: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    }),
  )
  .map(({ reps, accounts: rows, mode, defaultMin, defaultMax, maxMoves, maxBookChange }) => {
    const input: PlanningInput = {
      reps: reps.map((r): Rep => r),
      accounts: rows.map(
        (row, i): Account =>
          account(`A${i}`, {
            revenuePotential: row.revenuePotential,
            workload: row.workload,
            growthPotential: row.growthPotential,
            industry: row.industry,
            location: { latitude: row.latitude, longitude: row.longitude },
            currentOwnerId: row.owner < 0 ? null : `R${row.owner}`,
            named: row.named,
            openDealAmount: row.openDealAmount,
          }),
      ),
    };
    const options = planOptions({
      mode,
      defaultMinAccounts: defaultMin,
      defaultMaxAccounts: defaultMax,
      ...(mode === 'replan' && maxMoves !== undefined ? { maxMoves } : {}),
      ...(mode === 'replan' && maxBookChange !== undefined ? { maxBookChange } : {}),
    });
    return { input, options };
  });

/** Every hard constraint of planning (README "Territory planning") and the replan caps, checked from the outside. */
function expectHardConstraints(input: PlanningInput, options: PlanOptions, plan: TerritoryPlan): void {
  const active = new Map(input.reps.filter((r) => r.active).map((r) => [r.id, r]));
  expect(plan.assignments.map((a) => a.accountId)).toEqual(input.accounts.map((a) => a.id));
  const counts = new Map<string, number>();
  plan.assignments.forEach(({ repId }, i) => {
    expect(active.has(repId)).toBe(true);
    counts.set(repId, (counts.get(repId) ?? 0) + 1);
    const original = input.accounts[i] as Account;
    if (original.named && original.currentOwnerId && active.has(original.currentOwnerId)) {
      expect(repId).toBe(original.currentOwnerId);
    }
  });
  for (const [id, r] of active) {
    const count = counts.get(id) ?? 0;
    expect(count).toBeGreaterThanOrEqual(r.minAccounts ?? options.defaultMinAccounts);
    expect(count).toBeLessThanOrEqual(r.maxAccounts ?? options.defaultMaxAccounts);
  }
  if (options.mode === 'replan') {
    const between = plan.transition.moves.filter((m) => m.fromRepId !== null && active.has(m.fromRepId));
    if (options.maxMoves !== undefined) expect(between.length).toBeLessThanOrEqual(options.maxMoves);
    if (options.maxBookChange !== undefined) {
      for (const id of active.keys()) {
        const book = input.accounts.filter((a) => a.currentOwnerId === id).length;
        const lost = between.filter((m) => m.fromRepId === id).length;
        expect(lost).toBeLessThanOrEqual(Math.floor(options.maxBookChange * book));
      }
    }
  }
}

/** The feasibility condition for greenfield: free accounts can go anywhere. */
function greenfieldFeasible(input: PlanningInput, options: PlanOptions): boolean {
  const active = input.reps.filter((r) => r.active);
  if (active.length === 0) return input.accounts.length === 0;
  let low = 0;
  let high = 0;
  for (const r of active) {
    const named = input.accounts.filter((a) => a.named && a.currentOwnerId === r.id).length;
    const min = r.minAccounts ?? options.defaultMinAccounts;
    const max = r.maxAccounts ?? options.defaultMaxAccounts;
    if (named > max || min > max) return false;
    low += Math.max(min, named);
    high += max;
  }
  return low <= input.accounts.length && input.accounts.length <= high;
}

describe('planTerritories hard constraints (property)', () => {
  it('assigns every account once to an active rep within limits, never moving named accounts', () => {
    fc.assert(
      fc.property(instanceArb, ({ input, options }) => {
        let plan: TerritoryPlan;
        try {
          plan = planTerritories(input, options);
        } catch (error) {
          if (!(error instanceof PlanInfeasibleError)) throw error;
          if (options.mode === 'greenfield') expect(greenfieldFeasible(input, options)).toBe(false);
          return;
        }
        if (options.mode === 'greenfield') expect(greenfieldFeasible(input, options)).toBe(true);
        expectHardConstraints(input, options, plan);
      }),
      { numRuns: 150 },
    );
  });
});

describe('planTerritories on a generated instance', () => {
  const instance = generateInstance({
    accounts: 1200,
    reps: 12,
    seed: 3,
    unownedShare: 0.02,
    inactiveReps: 1,
  });
  const options = planOptions({ defaultMinAccounts: 30, defaultMaxAccounts: 150 });

  it('balances the composite and every dimension far below the 0.20 target', () => {
    const plan = planTerritories(instance, options);
    expectHardConstraints(instance, options, plan);
    expect(plan.metrics.proposed.composite.coefficientOfVariation).toBeLessThan(0.03);
    for (const d of ['revenuePotential', 'accountCount', 'workload', 'growthPotential'] as const) {
      expect(plan.metrics.proposed[d].coefficientOfVariation).toBeLessThan(0.08);
    }
    expect(plan.metrics.proposed.meanTravelKm).toBeLessThan(3 * plan.travelLowerBoundKm);
  });

  it('gives the inactive rep nothing and its accounts new owners', () => {
    const plan = planTerritories(instance, options);
    const inactive = instance.reps.find((r) => !r.active)?.id;
    expect(plan.assignments.some((a) => a.repId === inactive)).toBe(false);
    const orphans = instance.accounts.filter(
      (a) => a.currentOwnerId === null || a.currentOwnerId === inactive,
    ).length;
    expect(plan.transition.orphanAssignments).toBe(orphans);
  });

  it('is deterministic', () => {
    const first = planTerritories(instance, options);
    const second = planTerritories(instance, options);
    expect(second.assignments).toEqual(first.assignments);
  });

  it('respects a tight move cap in replan and still improves balance', () => {
    const replan = planOptions({ ...options, mode: 'replan', maxMoves: 25 });
    const plan = planTerritories(instance, replan);
    expectHardConstraints(instance, replan, plan);
    expect(plan.transition.movesBetweenReps).toBeLessThanOrEqual(25);
    expect(plan.metrics.proposed.composite.coefficientOfVariation).toBeLessThan(
      plan.metrics.current.composite.coefficientOfVariation,
    );
  });

  it('moves nothing between reps in replan with a zero cap', () => {
    const plan = planTerritories(instance, planOptions({ ...options, mode: 'replan', maxMoves: 0 }));
    expect(plan.transition.movesBetweenReps).toBe(0);
  });

  it('respects a per-rep book change cap', () => {
    const replan = planOptions({ ...options, mode: 'replan', maxBookChange: 0.05 });
    expectHardConstraints(instance, replan, planTerritories(instance, replan));
  });
});

describe('infeasible input', () => {
  const cases: { name: string; input: PlanningInput; options?: Partial<PlanOptions>; message: RegExp }[] = [
    {
      name: 'the sum of minAccounts is above the account count',
      input: { reps: [rep('R1'), rep('R2'), rep('R3')], accounts: accounts(50, 'A') },
      options: { defaultMinAccounts: 30 },
      message: /sum of minAccounts over the 3 active reps is 90, more than the 50 accounts to assign/,
    },
    {
      name: 'the sum of maxAccounts is below the account count',
      input: { reps: [rep('R1'), rep('R2')], accounts: accounts(50, 'A') },
      options: { defaultMaxAccounts: 10 },
      message: /sum of maxAccounts over the 2 active reps is 20, fewer than the 50 accounts to assign/,
    },
    {
      name: "a rep's named accounts exceed its maximum",
      input: {
        reps: [rep('R1', { maxAccounts: 2 }), rep('R2')],
        accounts: accounts(3, 'N', { named: true, currentOwnerId: 'R1' }),
      },
      message: /Rep R1 has 3 named accounts, which stay with them, but maxAccounts is 2/,
    },
    {
      name: 'no rep is active',
      input: { reps: [rep('R1', { active: false })], accounts: accounts(4, 'A') },
      message: /There are 4 accounts but no active reps/,
    },
    {
      name: "a rep's minimum is above its maximum",
      input: {
        reps: [rep('R1', { minAccounts: 9, maxAccounts: 5 }), rep('R2')],
        accounts: accounts(10, 'A'),
      },
      message: /Rep R1: minAccounts 9 is above maxAccounts 5/,
    },
    {
      name: 'the replan move cap is below the moves the limits force',
      input: { reps: [rep('R1'), rep('R2')], accounts: accounts(12, 'A', { currentOwnerId: 'R1' }) },
      options: { mode: 'replan', defaultMaxAccounts: 8, maxMoves: 2 },
      message: /needs at least 4 moves .* but --max-moves is 2/,
    },
  ];

  for (const c of cases) {
    it(`fails with a clear message when ${c.name}`, () => {
      expect(() => planTerritories(c.input, planOptions(c.options))).toThrow(PlanInfeasibleError);
      expect(() => planTerritories(c.input, planOptions(c.options))).toThrow(c.message);
    });
  }

  it('reports every clash at once', () => {
    const input = {
      reps: [rep('R1', { maxAccounts: 1 }), rep('R2', { maxAccounts: 1 })],
      accounts: accounts(3, 'N', { named: true, currentOwnerId: 'R1' }),
    };
    try {
      planTerritories(input, planOptions());
      expect.unreachable();
    } catch (error) {
      expect((error as PlanInfeasibleError).reasons).toHaveLength(2);
    }
  });
});

describe('transition and timeline', () => {
  const north = { latitude: 46, longitude: -79 };
  const south = { latitude: 43.7, longitude: -79.4 };
  const input: PlanningInput = {
    reps: [
      rep('R1', { location: south, specializations: ['Retail'] }),
      rep('R2', { location: north }),
      rep('GONE', { active: false }),
    ],
    accounts: [
      account('A1', { currentOwnerId: 'R1', location: north, arr: 500, openDealAmount: 150_000 }),
      account('A2', { currentOwnerId: 'GONE', location: south, arr: 100, named: true }),
      account('A3', { currentOwnerId: 'R1', location: south }),
      account('A4', { currentOwnerId: null, location: north }),
    ],
  };
  // Books of two accounts would otherwise trip the 30% rolling-year cap on any move.
  const guardrails = guardrailConfigSchema.parse({ bookChange: { onExceed: 'approval' } });
  const plan = planTerritories(input, planOptions({ mode: 'replan', guardrails }));

  it('moves the far account to the closer rep and gives orphans owners, with reasons', () => {
    expect(plan.transition.moves.map((m) => [m.accountId, m.fromRepId, m.toRepId, m.reason])).toEqual([
      ['A1', 'R1', 'R2', expect.stringMatching(/^closer rep \(0 km vs \d+ km\)$/)],
      ['A2', 'GONE', 'R1', 'owner Rep GONE inactive'],
      ['A4', null, 'R2', 'unowned account assigned'],
    ]);
    expect(plan.transition).toMatchObject({
      totalMoves: 3,
      movesBetweenReps: 1,
      orphanAssignments: 2,
      arrMoving: 600,
      openDealsMoving: { accounts: 1, amount: 150_000 },
    });
  });

  it('runs the moves through the guardrails: deal owner approval and the named override', () => {
    const result = plan.transition.guardrails;
    expect(result.requiredApprovals.map((a) => a.role)).toEqual(['manager', 'deal-owner', 'vp']);
    expect(result.opportunitiesStaying).toEqual([
      expect.objectContaining({ accountId: 'A1', ownerId: 'R1', accountMovesTo: 'R2' }),
    ]);
  });

  it('schedules approval, communication, transition, handover and go-live around the 60-day notice', () => {
    expect(plan.timeline.map((m) => [m.name, m.date])).toEqual([
      ['Approval', '2026-03-08'],
      ['Communication', '2026-03-08'],
      ['Transition start', '2026-04-07'],
      ['Deal handover', '2026-04-23'],
      ['Go-live', '2026-05-07'],
    ]);
    expect(plan.transition.effectiveDate).toBe('2026-05-07');
  });

  it('warns when the go-live date leaves less than the notice period', () => {
    const early = planTerritories(
      input,
      planOptions({ mode: 'replan', guardrails, effectiveDate: '2026-04-01' }),
    );
    expect(early.warnings.join('\n')).toMatch(/Go-live 2026-04-01 is 24 days after communication/);
    expect(early.transition.guardrails.blocked.length).toBeGreaterThan(0);
  });

  it('warns about named accounts whose owner is inactive', () => {
    expect(plan.warnings.join('\n')).toMatch(/1 named accounts belong to inactive or unknown reps \(A2\)/);
  });
});
