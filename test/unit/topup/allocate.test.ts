import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CapacityRules,
  DEFAULT_CAPACITY_RULES,
  headroomForRun,
  newLimitByRatio,
  type StoredLeadCounts,
} from '../../../shared/domain/capacity/capacity.js';
import type { CompiledModel } from '../../../shared/domain/territory/compile-model.js';
import {
  type AllocationInput,
  allocateTopUp,
  type PoolLead,
  type TopUpRep,
} from '../../../shared/domain/topup/allocate.js';
import { compiled, config, repId, reps } from '../territory/fixtures.js';

const NOW = new Date('2026-11-20T15:00:00Z');

/**
 * Toronto Core (M5/M4) shared by reps 1–3, Ottawa (K) by reps 4–5, North (P) whose only reps are
 * away: rep 6 inactive… and nothing for leads outside Ontario.
 */
function ontario(overrides: Record<number, Record<string, unknown>> = {}): CompiledModel {
  return compiled(
    config({
      reps: reps(7, {
        1: { name: 'Jane Doe' },
        2: { name: 'Raj Patel' },
        3: { name: 'Maria Garcia' },
        6: { name: 'Emily Wilson', active: false },
        7: { name: 'Priya Singh', outOfOffice: [{ from: '2026-11-16', to: '2026-11-30' }] },
        ...overrides,
      }),
      territories: [
        {
          id: 'toronto-core',
          name: 'Toronto Core',
          priority: 1,
          expression: 'PostalCode STARTS WITH ("M5", "M4")',
          participants: ['rep01', 'rep02', 'rep03'],
        },
        {
          id: 'ottawa',
          name: 'Ottawa',
          priority: 2,
          expression: 'PostalCode STARTS WITH "K"',
          participants: ['rep04', 'rep05'],
        },
        {
          id: 'north',
          name: 'North',
          priority: 3,
          expression: 'PostalCode STARTS WITH "P"',
          participants: ['rep06', 'rep07'],
        },
      ],
    }),
  );
}

/** Counters as reconciliation stores them: new + in progress, with the ratio bound derived. */
function counts(
  fresh: number,
  inProgress: number,
  rules: CapacityRules = DEFAULT_CAPACITY_RULES,
): StoredLeadCounts {
  return {
    open: fresh + inProgress,
    new: fresh,
    inProgress,
    newLimitByRatio: newLimitByRatio(inProgress, rules),
  };
}

function rep(
  n: number,
  performance: number,
  c: StoredLeadCounts = counts(0, 100),
  rules = DEFAULT_CAPACITY_RULES,
): TopUpRep {
  return { id: repId(n), counts: c, rules, performance };
}

function repsMap(...list: TopUpRep[]): Map<string, TopUpRep> {
  return new Map(list.map((r) => [r.id, r]));
}

let serial = 0;
function lead(postalCode: string | null, extra: Partial<PoolLead> = {}): PoolLead {
  serial++;
  const id = `00QTR${String(serial).padStart(10, '0')}`;
  return {
    id,
    ownerId: '00GTR00000000012AA',
    createdAtMs: Date.parse('2026-11-01T00:00:00Z') + serial * 60_000,
    score: null,
    fields: { Id: id, PostalCode: postalCode, Country: 'Canada' },
    ...extra,
  };
}

function input(parts: Partial<AllocationInput> & Pick<AllocationInput, 'reps' | 'pool'>): AllocationInput {
  return { runId: 'R1', model: ontario(), order: 'oldest', now: NOW, ...parts };
}

function given(plan: ReturnType<typeof allocateTopUp>): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const a of plan.allocations) tally[a.repName] = (tally[a.repName] ?? 0) + 1;
  return tally;
}

describe('allocateTopUp', () => {
  it('spreads leads in proportion to performance instead of filling the best rep first', () => {
    const plan = allocateTopUp(
      input({
        reps: repsMap(rep(1, 0.8), rep(2, 0.4), rep(3, 0.4)),
        pool: Array.from({ length: 40 }, () => lead('M5V 3L9')),
      }),
    );
    expect(given(plan)).toEqual({ 'Jane Doe': 20, 'Raj Patel': 10, 'Maria Garcia': 10 });
    // Interleaved from the start (ties go to the better score): the best rep is not filled first.
    expect(plan.allocations.slice(0, 4).map((a) => a.repName)).toEqual([
      'Jane Doe',
      'Jane Doe',
      'Raj Patel',
      'Maria Garcia',
    ]);
  });

  it('gives every lead of a pool smaller than the headroom, still spread', () => {
    const plan = allocateTopUp(
      input({
        reps: repsMap(rep(1, 0.9), rep(2, 0.9), rep(3, 0.9)),
        pool: Array.from({ length: 7 }, () => lead('M4W 1A1')),
      }),
    );
    expect(plan.allocations).toHaveLength(7);
    expect(plan.leftInPool).toEqual([]);
    expect(Object.values(given(plan)).sort()).toEqual([2, 2, 3]);
  });

  it('never passes a rep’s headroom; a pool larger than the headroom leaves the rest with the reason', () => {
    const plan = allocateTopUp(
      input({
        reps: repsMap(
          rep(1, 0.9, counts(35, 100)),
          rep(2, 0.5, counts(38, 100)),
          rep(3, 0.1, counts(40, 100)),
        ),
        pool: Array.from({ length: 20 }, () => lead('M5V')),
      }),
    );
    expect(given(plan)).toEqual({ 'Jane Doe': 5, 'Raj Patel': 2 });
    expect(plan.leftInPool).toHaveLength(13);
    expect(plan.leftInPool[0]).toMatchObject({
      reason: 'no-headroom',
      detail: 'Every eligible rep of Toronto Core is at capacity for this run',
    });
    expect(plan.reps.find((r) => r.repName === 'Maria Garcia')).toMatchObject({
      given: 0,
      headroom: 0,
      note: 'At the new cap: 40/40 new',
    });
  });

  it('gives inactive and out-of-office reps nothing, and says so', () => {
    const plan = allocateTopUp(
      input({
        reps: repsMap(rep(1, 0.5), rep(6, 1), rep(7, 1)),
        pool: [lead('P3A 1A1'), lead('P3B 2B2'), lead('M5V')],
      }),
    );
    expect(plan.allocations.map((a) => a.repName)).toEqual(['Jane Doe']);
    expect(plan.leftInPool.map((l) => [l.reason, l.detail])).toEqual([
      [
        'no-eligible-rep',
        'No eligible rep in North: Emily Wilson inactive, Priya Singh out of office until 2026-11-30',
      ],
      [
        'no-eligible-rep',
        'No eligible rep in North: Emily Wilson inactive, Priya Singh out of office until 2026-11-30',
      ],
    ]);
    const notes = Object.fromEntries(plan.reps.map((r) => [r.repName, r.note]));
    expect(notes).toMatchObject({
      'Emily Wilson': 'Inactive',
      'Priya Singh': 'Out of office until 2026-11-30',
    });
  });

  it('leaves a lead no territory matches in the pool', () => {
    const plan = allocateTopUp(input({ reps: repsMap(rep(1, 0.5)), pool: [lead('V6B 1A1'), lead(null)] }));
    expect(plan.allocations).toEqual([]);
    expect(plan.leftInPool.map((l) => l.reason)).toEqual(['no-territory', 'no-territory']);
  });

  it('writes the reason verdict first, with the run, new count and headroom but never the performance score', () => {
    const plan = allocateTopUp(
      input({ runId: 'R', reps: repsMap(rep(1, 0.82, counts(12, 100))), pool: [lead('M5V')] }),
    );
    const name = plan.allocations[0]?.repName;
    expect(plan.allocations[0]?.reason).toBe(
      `→ ${name}, Toronto Core, top-up; top-up run R: 12/40 new, headroom 28`,
    );
    expect(plan.allocations[0]?.performance).toBe(0.82);
  });

  it('stops where the ratio rule would refuse the next lead, as the database condition does', () => {
    // 11 in progress, 9 new: exactly 55%; one more lead is allowed, then the rule blocks.
    const plan = allocateTopUp(
      input({ reps: repsMap(rep(1, 0.9, counts(9, 11))), pool: [lead('M5V'), lead('M5V'), lead('M5V')] }),
    );
    expect(plan.allocations).toHaveLength(1);
    expect(plan.reps.find((r) => r.repId === repId(1))).toMatchObject({
      headroom: 1,
      given: 1,
      after: { new: 10 },
    });
  });

  it('respects per-rep rule overrides', () => {
    const tight = { ...DEFAULT_CAPACITY_RULES, maxNew: 3 };
    const plan = allocateTopUp(
      input({
        reps: repsMap(rep(1, 0.9, counts(0, 100, tight), tight), rep(2, 0.1)),
        pool: Array.from({ length: 10 }, () => lead('M5V')),
      }),
    );
    expect(given(plan)).toEqual({ 'Jane Doe': 3, 'Raj Patel': 7 });
  });

  it('takes the oldest leads first, or the best-scored first', () => {
    const old = lead('M5V', { createdAtMs: Date.parse('2026-10-01T00:00:00Z'), score: 10 });
    const hot = lead('M5V', { createdAtMs: Date.parse('2026-11-19T00:00:00Z'), score: 95 });
    const unscored = lead('M5V', { createdAtMs: Date.parse('2026-09-01T00:00:00Z'), score: null });
    const oneSlot = repsMap(rep(1, 0.9, counts(39, 100)));
    expect(allocateTopUp(input({ reps: oneSlot, pool: [hot, old, unscored] })).allocations[0]?.leadId).toBe(
      unscored.id,
    );
    expect(
      allocateTopUp(input({ reps: oneSlot, pool: [unscored, old, hot], order: 'score' })).allocations[0]
        ?.leadId,
    ).toBe(hot.id);
  });

  it('is deterministic: the same pool in any order gives the same plan', () => {
    const pool = Array.from({ length: 60 }, (_, i) => lead(['M5V', 'K1P', 'M4W', 'P3A', 'X0X'][i % 5]!));
    const r = repsMap(rep(1, 0.7, counts(30, 100)), rep(2, 0.7), rep(3, 0.2), rep(4, 0.5), rep(5, 0.6));
    const a = allocateTopUp(input({ reps: r, pool }));
    const b = allocateTopUp(input({ reps: r, pool: [...pool].reverse() }));
    expect(b).toEqual(a);
  });

  it('never gives a lead twice, even when the pool lists it twice', () => {
    const once = lead('M5V');
    const plan = allocateTopUp(input({ reps: repsMap(rep(1, 0.5)), pool: [once, once] }));
    expect(plan.allocations).toHaveLength(1);
    expect(plan.leftInPool).toEqual([
      { leadId: once.id, reason: 'duplicate', detail: 'Listed twice in the pool' },
    ]);
  });
});

describe('allocateTopUp properties', () => {
  const model = ontario();
  const repArb = (n: number) =>
    fc
      .record({
        fresh: fc.integer({ min: 0, max: 45 }),
        inProgress: fc.integer({ min: 0, max: 240 }),
        performance: fc.double({ min: 0, max: 1, noNaN: true }),
        maxOpen: fc.integer({ min: 0, max: 260 }),
        maxNew: fc.integer({ min: 0, max: 45 }),
        ratio: fc.constantFrom(0, 0.3, 0.55, 0.8),
      })
      .map(({ fresh, inProgress, performance, maxOpen, maxNew, ratio }): TopUpRep => {
        const rules = { maxOpen, maxNew, minInProgressRatio: ratio };
        return { id: repId(n), counts: counts(fresh, inProgress, rules), rules, performance };
      });
  const poolArb = fc.array(
    fc.record({
      postal: fc.constantFrom('M5V 3L9', 'M4W', 'K1P 1J1', 'K7L', 'P3A', 'V6B', null),
      age: fc.integer({ min: 0, max: 1_000_000 }),
      score: fc.option(fc.integer({ min: 0, max: 100 })),
      id: fc.integer({ min: 1, max: 400 }),
    }),
    { maxLength: 300 },
  );

  it('no rep passes any cap, no lead is given twice, and every lead is accounted for', () => {
    fc.assert(
      fc.property(
        fc.tuple(...[1, 2, 3, 4, 5, 6, 7].map(repArb)),
        poolArb,
        fc.constantFrom('oldest' as const, 'score' as const),
        (repList, raw, order) => {
          const pool: PoolLead[] = raw.map((r) => {
            const id = `00QPB${String(r.id).padStart(10, '0')}`;
            return {
              id,
              ownerId: '00GTR00000000012AA',
              createdAtMs: r.age,
              score: r.score,
              fields: { Id: id, PostalCode: r.postal, Country: 'Canada' },
            };
          });
          const reps = repsMap(...repList);
          const plan = allocateTopUp({ runId: 'P', model, reps, pool, order, now: NOW });

          const leads = plan.allocations.map((a) => a.leadId);
          expect(new Set(leads).size).toBe(leads.length);
          const accounted = [
            ...leads,
            ...plan.leftInPool.filter((l) => l.reason !== 'duplicate').map((l) => l.leadId),
          ];
          expect(accounted.sort()).toEqual([...new Set(pool.map((p) => p.id))].sort());

          for (const outcome of plan.reps) {
            const r = reps.get(outcome.repId)!;
            expect(outcome.given).toBeLessThanOrEqual(headroomForRun(r.counts, r.rules));
            if (outcome.given > 0) {
              expect(outcome.after.open).toBeLessThanOrEqual(r.rules.maxOpen);
              expect(outcome.after.new).toBeLessThanOrEqual(r.rules.maxNew);
            }
            if (r.id === repId(6) || r.id === repId(7)) expect(outcome.given).toBe(0);
          }
          // Each lead went to a rep while the database's condition held for it.
          for (const a of plan.allocations) {
            const r = reps.get(a.repId)!;
            expect(a.newBefore).toBeLessThan(r.rules.maxNew);
            expect(a.newBefore).toBeLessThanOrEqual(r.counts.newLimitByRatio);
            expect(r.counts.open + (a.newBefore - r.counts.new)).toBeLessThan(r.rules.maxOpen);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
