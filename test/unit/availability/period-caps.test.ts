import { describe, expect, it } from 'vitest';
import { territoryRouter } from '../../../shared/application/routing/territory-router.js';
import { formatCounters } from '../../../shared/domain/audit/decision-trace.js';
import { periodCapReached, periodCapsAt, periodRoom } from '../../../shared/domain/availability/periods.js';
import { capacityConfigSchema, rulesFor } from '../../../shared/domain/capacity/capacity.js';
import { allocateTopUp } from '../../../shared/domain/topup/allocate.js';
import type { RepCounters } from '../../../shared/ports/assignment-ledger.js';
import { compiled, config, REVIEW_QUEUE, repId } from '../territory/fixtures.js';

describe('period caps count the rep’s local day and week', () => {
  it.each([
    // [instant, zone, week starts, day id, day label, week id]
    [
      '2026-12-02T15:00:00Z',
      'America/Toronto',
      undefined,
      'day:2026-12-02',
      'Wed 2026-12-02 America/Toronto',
      'week:2026-11-30',
    ],
    // 23:30 Tuesday in Toronto is already Wednesday in UTC: the rep's day decides.
    [
      '2026-12-02T04:30:00Z',
      'America/Toronto',
      undefined,
      'day:2026-12-01',
      'Tue 2026-12-01 America/Toronto',
      'week:2026-11-30',
    ],
    // Sunday night belongs to the week that began the Monday before…
    [
      '2026-12-07T03:00:00Z',
      'America/Toronto',
      undefined,
      'day:2026-12-06',
      'Sun 2026-12-06 America/Toronto',
      'week:2026-11-30',
    ],
    // …unless weeks start on Sunday.
    [
      '2026-12-07T03:00:00Z',
      'America/Toronto',
      'sun',
      'day:2026-12-06',
      'Sun 2026-12-06 America/Toronto',
      'week:2026-12-06',
    ],
    // The same instant is Thursday in Tokyo.
    [
      '2026-12-02T15:30:00Z',
      'Asia/Tokyo',
      undefined,
      'day:2026-12-03',
      'Thu 2026-12-03 Asia/Tokyo',
      'week:2026-11-30',
    ],
    // The day clocks fall back in Toronto is one day of 25 hours.
    [
      '2026-11-02T04:30:00Z',
      'America/Toronto',
      undefined,
      'day:2026-11-01',
      'Sun 2026-11-01 America/Toronto',
      'week:2026-10-26',
    ],
  ] as const)('%s in %s (weeks from %s) is %s', (iso, zone, weekStartsOn, day, label, week) => {
    const caps = periodCapsAt(
      { maxPerDay: 20, maxPerWeek: 80, ...(weekStartsOn ? { weekStartsOn } : {}) },
      zone,
      Date.parse(iso),
    );
    expect(caps.map((c) => c.id)).toEqual([day, week]);
    expect(caps[0]!.label).toBe(label);
    expect(caps[1]!.label).toMatch(/^week of /);
  });

  it('ends a day at the next local midnight, 25 hours later on the fall-back day', () => {
    const [day] = periodCapsAt({ maxPerDay: 1 }, 'America/Toronto', Date.parse('2026-11-01T12:00:00Z'));
    expect(new Date(day!.endsAtMs).toISOString()).toBe('2026-11-02T05:00:00.000Z');
    const [spring] = periodCapsAt({ maxPerDay: 1 }, 'America/Toronto', Date.parse('2026-03-08T12:00:00Z'));
    expect(new Date(spring!.endsAtMs).toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('sets no caps without rules, and room is the tightest cap left', () => {
    expect(periodCapsAt({}, 'UTC', 0)).toEqual([]);
    const caps = periodCapsAt({ maxPerDay: 5, maxPerWeek: 12 }, 'UTC', Date.parse('2026-12-02T10:00:00Z'));
    expect(periodRoom([], undefined)).toBe(Number.POSITIVE_INFINITY);
    expect(periodRoom(caps, {})).toBe(5);
    expect(periodRoom(caps, { 'day:2026-12-02': 2, 'week:2026-11-30': 10 })).toBe(2);
    expect(periodRoom(caps, { 'day:2026-12-02': 7 })).toBe(0);
    expect(periodCapReached(caps, { 'day:2026-12-02': 4 })).toBeUndefined();
    expect(periodCapReached(caps, { 'week:2026-11-30': 12 })).toBe(
      'weekly cap 12 reached (week of Mon 2026-11-30 UTC)',
    );
  });

  it('reads caps globally and per rep, an override keeping the global values it does not name', () => {
    const capacity = capacityConfigSchema.parse({
      defaults: { maxPerDay: 20, maxNew: 30 },
      overrides: { A: { maxPerDay: 5, weekStartsOn: 'sun' } },
    });
    expect(rulesFor(capacity, 'A')).toMatchObject({ maxPerDay: 5, maxNew: 30, weekStartsOn: 'sun' });
    expect(rulesFor(capacity, 'B')).toMatchObject({ maxPerDay: 20, maxNew: 30 });
    expect(rulesFor(capacity, 'B').maxPerWeek).toBeUndefined();
    expect(() => capacityConfigSchema.parse({ defaults: { maxPerDay: -1 } })).toThrow();
    expect(() => capacityConfigSchema.parse({ defaults: { weekStartsOn: 'monday' } })).toThrow();
  });
});

describe('routing skips a rep at a period cap', () => {
  // Rep 1 in Toronto, rep 2 in Vancouver; both in one even rotation, no calendars (always on).
  const model = compiled(
    config({
      reps: [
        { key: 'rep01', id: repId(1), name: 'Toronto', timeZone: 'America/Toronto' },
        { key: 'rep02', id: repId(2), name: 'Vancouver', timeZone: 'America/Vancouver' },
      ],
      territories: [{ id: 'T', name: 'Test', priority: 1, participants: ['rep01', 'rep02'] }],
    }),
  );
  const capacity = capacityConfigSchema.parse({
    defaults: { maxPerDay: 3 },
    overrides: { [repId(2)]: { maxPerDay: 10, maxPerWeek: 10 } },
  });
  const router = territoryRouter(model, capacity);
  // Wed 01:30 in Toronto, still Tue 22:30 in Vancouver.
  const now = new Date('2026-12-02T06:30:00Z');
  const counters = (given: Record<string, Record<string, number>>) =>
    new Map<string, RepCounters>(
      Object.entries(given).map(([id, periodGiven]) => [
        id,
        { repId: id, openLeads: 0, newLeads: 0, inProgressLeads: 0, newLimitByRatio: 100, periodGiven },
      ]),
    );

  it('names the periods each rep’s counters are read for, in the rep’s own zone', () => {
    expect(router.counterPeriods?.([repId(1), repId(2)], now)).toEqual(
      new Map([
        [repId(1), ['day:2026-12-02']],
        [repId(2), ['day:2026-12-01', 'week:2026-11-30']],
      ]),
    );
  });

  it('skips the rep with the reason, shows counters against the cap, and puts the caps in the condition', () => {
    const decision = router.decide(
      { Id: '00Q000000000001AAA' },
      {
        snapshot: undefined,
        counters: counters({ [repId(1)]: { 'day:2026-12-02': 3 }, [repId(2)]: { 'day:2026-12-01': 9 } }),
        now,
      },
    );
    expect(decision.candidates.map((c) => c.repName)).toEqual(['Vancouver']);
    expect(decision.trace.skipped).toEqual([
      expect.objectContaining({
        repName: 'Toronto',
        reason: 'period-cap',
        detail: 'daily cap 3 reached (Wed 2026-12-02 America/Toronto)',
      }),
    ]);
    expect(decision.candidates[0]!.reason).toContain(
      'skipped Toronto: daily cap 3 reached (Wed 2026-12-02 America/Toronto)',
    );
    expect(decision.candidates[0]!.limits.periods?.map((p) => [p.id, p.max])).toEqual([
      ['day:2026-12-01', 10],
      ['week:2026-11-30', 10],
    ]);
    const vancouver = decision.counters?.find((c) => c.repId === repId(2));
    expect(vancouver?.headroom).toBe(1);
    expect(formatCounters(vancouver!)).toContain(
      '9/10 today (Tue 2026-12-01 America/Vancouver), 0/10 this week (week of Mon 2026-11-30 America/Vancouver), headroom 1',
    );
  });

  it('counts yesterday’s leads for nothing: a new local day starts a new counter', () => {
    const decision = router.decide(
      { Id: '00Q000000000001AAA' },
      { snapshot: undefined, counters: counters({ [repId(1)]: { 'day:2026-12-01': 3 } }), now },
    );
    expect(decision.candidates[0]!.repName).toBe('Toronto');
  });

  it('sends the lead to the default owner when every rep is at a cap, saying so', () => {
    const decision = router.decide(
      { Id: '00Q000000000001AAA' },
      {
        snapshot: undefined,
        counters: counters({ [repId(1)]: { 'day:2026-12-02': 3 }, [repId(2)]: { 'week:2026-11-30': 10 } }),
        now,
      },
    );
    expect(decision.candidates).toEqual([]);
    expect(decision.fallback.ownerId).toBe(REVIEW_QUEUE);
    expect(decision.fallback.reason).toContain('no rep with capacity in Test');
    expect(decision.fallback.reason).toContain(
      'skipped Vancouver: weekly cap 10 reached (week of Mon 2026-11-30 America/Vancouver)',
    );
  });
});

describe('top-up stays within period caps', () => {
  const model = compiled(
    config({
      reps: [{ key: 'rep01', id: repId(1), name: 'Toronto', timeZone: 'America/Toronto' }],
      territories: [{ id: 'T', name: 'Test', priority: 1, participants: ['rep01'] }],
    }),
  );
  const now = Date.parse('2026-12-02T15:00:00Z');
  const rules = { maxOpen: 250, maxNew: 40, minInProgressRatio: 0, maxPerDay: 4 };
  const pool = Array.from({ length: 6 }, (_, i) => ({
    id: `00Q${i}`,
    ownerId: REVIEW_QUEUE,
    createdAtMs: i,
    score: null,
    fields: {},
  }));
  const plan = (given: number) =>
    allocateTopUp({
      runId: 'r',
      model,
      reps: new Map([
        [
          repId(1),
          {
            id: repId(1),
            counts: { open: 0, new: 0, inProgress: 0, newLimitByRatio: 100 },
            rules,
            performance: 0.5,
            periods: {
              caps: periodCapsAt(rules, 'America/Toronto', now),
              given: { 'day:2026-12-02': given },
            },
          },
        ],
      ]),
      pool,
      order: 'oldest',
      now,
    });

  it('gives a rep only what is left of the day, and carries the caps to the write', () => {
    const some = plan(1);
    expect(some.allocations).toHaveLength(3);
    expect(some.allocations[0]!.periodCaps?.map((c) => c.id)).toEqual(['day:2026-12-02']);
    expect(some.allocations[2]!.counters.periods).toEqual([
      { period: 'day', label: 'Wed 2026-12-02 America/Toronto', given: 3, max: 4 },
    ]);
    const none = plan(4);
    expect(none.allocations).toEqual([]);
    expect(none.reps[0]!.note).toBe('Daily cap 4 reached (Wed 2026-12-02 America/Toronto)');
  });
});
