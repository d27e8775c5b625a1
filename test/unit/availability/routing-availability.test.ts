import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { publicHolidays } from '../../../shared/adapters/holidays/public-holidays.js';
import { availabilityAt } from '../../../shared/domain/availability/availability.js';
import { DEFAULT_CAPACITY_RULES } from '../../../shared/domain/capacity/capacity.js';
import { compileModel } from '../../../shared/domain/territory/compile-model.js';
import { distribute } from '../../../shared/domain/territory/distribution.js';
import { applyStateChange, EMPTY_SNAPSHOT } from '../../../shared/domain/territory/distribution-state.js';
import { allocateTopUp } from '../../../shared/domain/topup/allocate.js';
import { config, REVIEW_QUEUE, repId, validModel } from '../territory/fixtures.js';

/**
 * Rep 1 works days in Toronto, rep 2 nights, rep 3 days in Los Angeles; rep 4 is out of office.
 * One territory takes every lead with an even rotation over all four.
 */
function model(territory: Record<string, unknown> = {}) {
  return compileModel(
    validModel(
      config({
        calendars: [
          {
            id: 'days',
            timeZone: 'America/Toronto',
            workingHours: { 'mon-fri': '09:00-17:00' },
            holidays: ['CA-ON'],
          },
        ],
        defaultCalendar: 'days',
        reps: [
          { key: 'rep01', id: repId(1), name: 'Day' },
          { key: 'rep02', id: repId(2), name: 'Night', workingHours: { 'mon-fri': '22:00-06:00' } },
          { key: 'rep03', id: repId(3), name: 'West', timeZone: 'America/Los_Angeles', holidays: ['US-CA'] },
          {
            key: 'rep04',
            id: repId(4),
            name: 'Away',
            outOfOffice: [{ from: '2026-11-01', to: '2026-12-31' }],
          },
        ],
        territories: [
          {
            id: 'T',
            name: 'Test',
            priority: 1,
            participants: ['rep01', 'rep02', 'rep03', 'rep04'],
            ...territory,
          },
        ],
      }),
    ),
    { holidays: publicHolidays },
  );
}

const decide = (m: ReturnType<typeof model>, iso: string, snapshot = EMPTY_SNAPSHOT) =>
  distribute(m, m.match({}), {}, snapshot, { now: Date.parse(iso) });

describe('routing uses availability', () => {
  it('skips reps off shift with the reason and gives the lead to one on shift', () => {
    // Tue 10:00 Toronto = 07:00 Los Angeles: only Day is on shift.
    const decision = decide(model(), '2026-11-24T15:00:00Z');
    expect(decision.ownerName).toBe('Day');
    expect(decision.trace.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          repName: 'Night',
          reason: 'off-shift',
          detail: 'outside working hours: Tue 10:00 America/Toronto',
        }),
        expect.objectContaining({
          repName: 'West',
          reason: 'off-shift',
          detail: 'outside working hours: Tue 07:00 America/Los_Angeles',
        }),
        expect.objectContaining({
          repName: 'Away',
          reason: 'out-of-office',
          detail: 'out of office until 2026-12-31',
        }),
      ]),
    );
    expect(decision.candidates.map((c) => c.repName)).toEqual(['Day']);
  });

  it('rotates among the reps on shift only', () => {
    const m = model();
    let snapshot = EMPTY_SNAPSHOT;
    const owners: string[] = [];
    for (let i = 0; i < 4; i++) {
      // Tue 13:00 Toronto = 10:00 Los Angeles: Day and West are on shift.
      const d = decide(m, '2026-11-24T18:00:00Z', snapshot);
      owners.push(d.ownerName);
      snapshot = applyStateChange(snapshot, d.stateChange!);
    }
    expect(owners.sort()).toEqual(['Day', 'Day', 'West', 'West']);
  });

  it('assigns anyway, by default, when everyone is off shift — to the next rep in rotation, never an away one', () => {
    // Christmas Day 10:00 Toronto: a holiday for Day and West, outside hours for Night.
    const decision = decide(model(), '2026-12-25T15:00:00Z');
    expect(decision.kind).toBe('rep');
    expect(['Day', 'Night', 'West']).toContain(decision.ownerName);
    expect(decision.trace.assignedAnyway).toBe(true);
    expect(decision.reason).toContain(
      'nobody on shift (holiday: Christmas Day (CA-ON); holiday: Christmas Day (US-CA)), assigned anyway',
    );
    expect(decision.candidates.map((c) => c.repName)).not.toContain('Away');
  });

  it('parks the lead with a queue when the territory says so', () => {
    const queued = decide(
      model({ whenNobodyAvailable: { policy: 'queue', queue: 'review' } }),
      '2026-12-25T15:00:00Z',
    );
    expect(queued).toMatchObject({
      kind: 'default',
      ownerId: REVIEW_QUEUE,
      ownerName: 'Lead Review',
      territoryId: 'T',
    });
    expect(queued.trace.fallback).toBe('nobody-on-shift');
    expect(queued.reason).toContain('Lead Review queue: nobody on shift in Test');
    expect(queued.reason).toContain('nobody on shift (holiday: Christmas Day (CA-ON)');
    // Someone on shift: the policy does not apply.
    expect(
      decide(model({ whenNobodyAvailable: { policy: 'queue' } }), '2026-11-24T15:00:00Z').ownerName,
    ).toBe('Day');
  });

  it('holds the lead when the territory says so, naming why, and routes normally when someone is on shift', () => {
    const held = decide(model({ whenNobodyAvailable: { policy: 'hold' } }), '2026-12-25T15:00:00Z');
    expect(held).toMatchObject({ kind: 'default', hold: true, territoryId: 'T', candidates: [] });
    expect(held.trace).toMatchObject({ fallback: 'nobody-on-shift', held: true });
    expect(held.reason).toMatch(/^⏸ held in Test: nobody on shift; /);
    expect(held.reason).toContain('nobody on shift (holiday: Christmas Day (CA-ON)');
    const onShift = decide(model({ whenNobodyAvailable: { policy: 'hold' } }), '2026-11-24T15:00:00Z');
    expect(onShift.hold).toBeUndefined();
    expect(onShift.ownerName).toBe('Day');
  });

  it('does not hold, queue or assign anyway when a rep on shift is only full: that is the default owner', () => {
    const m = model({ whenNobodyAvailable: { policy: 'hold' } });
    // Tue 10:00 Toronto: only Day is on shift, and Day has no headroom.
    const decision = distribute(m, m.match({}), {}, EMPTY_SNAPSHOT, {
      now: Date.parse('2026-11-24T15:00:00Z'),
      headroom: (id) => (id === repId(1) ? 0 : 10),
    });
    expect(decision.hold).toBeUndefined();
    expect(decision).toMatchObject({ kind: 'default', ownerId: REVIEW_QUEUE });
    expect(decision.trace.fallback).toBe('no-eligible-rep');
  });

  it('refuses a queue policy naming something that is not a queue', () => {
    expect(() => model({ whenNobodyAvailable: { policy: 'queue', queue: 'rep01' } })).toThrow(
      'territory "T": "rep01" is not a queue of the model',
    );
    expect(() => model({ whenNobodyAvailable: { policy: 'hold-on' } })).toThrow();
  });

  it('never gives a lead to an unavailable rep unless the whole territory is off shift (property)', () => {
    const assignAnyway = model();
    const queue = model({ whenNobodyAvailable: { policy: 'queue' } });
    const start = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 24 * 60 }), fc.boolean(), (minute, queued) => {
        const m = queued ? queue : assignAnyway;
        const at = start + minute * 60_000;
        const decision = distribute(m, m.match({}), {}, EMPTY_SNAPSHOT, { now: at });
        const anyone = [...m.reps.values()].some((r) => availabilityAt(r, at).available);
        if (decision.kind === 'rep') {
          const owner = availabilityAt(m.reps.get(decision.ownerId)!, at);
          if (anyone) expect(owner.available).toBe(true);
          else {
            expect(queued).toBe(false);
            expect(owner.status).not.toMatch(/inactive|out-of-office/);
          }
        } else expect(queued && !anyone).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

describe('top-up uses availability', () => {
  const rep = (n: number) => ({
    id: repId(n),
    counts: { open: 0, new: 0, inProgress: 0, newLimitByRatio: 40 },
    rules: { ...DEFAULT_CAPACITY_RULES, minInProgressRatio: 0 },
    performance: 0.5,
  });
  const pool = Array.from({ length: 6 }, (_, i) => ({
    id: `00Q${i}`,
    ownerId: REVIEW_QUEUE,
    createdAtMs: i,
    score: null,
    fields: {},
  }));
  const allocate = (m: ReturnType<typeof model>, iso: string) =>
    allocateTopUp({
      model: m,
      reps: new Map([1, 2, 3, 4].map((n) => [repId(n), rep(n)])),
      pool,
      order: 'oldest',
      now: Date.parse(iso),
      runId: 'r',
    });

  it('fills only reps on shift, and says why the others got nothing', () => {
    const plan = allocate(model(), '2026-11-24T15:00:00Z');
    expect(plan.allocations.map((a) => a.repId)).toEqual(Array(6).fill(repId(1)));
    const night = plan.reps.find((r) => r.repId === repId(2));
    expect(night?.note).toBe('Outside working hours: Tue 10:00 America/Toronto');
  });

  it('assigns anyway when the whole territory is off shift, or leaves the pool alone with a queue policy', () => {
    expect(allocate(model(), '2026-12-25T15:00:00Z').allocations.length).toBe(6);
    const held = allocate(model({ whenNobodyAvailable: { policy: 'queue' } }), '2026-12-25T15:00:00Z');
    expect(held.allocations).toEqual([]);
    expect(held.leftInPool[0]?.detail).toContain('Day holiday: christmas day (ca-on)');
  });
});
