import { describe, expect, it } from 'vitest';
import { publicHolidays } from '../../../shared/adapters/holidays/public-holidays.js';
import { workingMinutesBetween } from '../../../shared/domain/availability/index.js';
import {
  clockTimes,
  decideClock,
  type LeadObservation,
  nextCheckAt,
  percentile,
  type SlaClock,
  type SlaPolicy,
  speedToLeadReport,
} from '../../../shared/domain/sla/index.js';
import { compileModel } from '../../../shared/domain/territory/compile-model.js';
import { validateTerritoryConfigText } from '../../../shared/domain/territory/config-file.js';
import { validateTerritoryConfig } from '../../../shared/domain/territory/validate.js';
import { config, repId, validModel } from '../territory/fixtures.js';

const OFFICE = {
  timeZone: 'America/Toronto',
  workingHours: { 'mon-fri': '09:00-17:00' },
  holidays: ['CA-ON'],
};
const NIGHTS = { timeZone: 'America/Toronto', workingHours: { 'sat-sun': '22:00-06:00' } };

function schedule(fields: Record<string, unknown>) {
  const model = validModel(config({ reps: [{ key: 'rep01', id: repId(1), name: 'Rep 1', ...fields }] }));
  return compileModel(model, { holidays: publicHolidays }).reps.get(repId(1))!;
}
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

const POLICY: SlaPolicy = { firstTouchMinutes: 30, warnAt: 0.5, maxReroutes: 2, escalateTo: { to: 'queue' } };

describe('working minutes for SLAs', () => {
  const office = schedule(OFFICE);
  it.each([
    ['inside one shift', '2026-11-24T14:00:00Z', 30, '2026-11-24T14:30:00Z'],
    // Tue 16:50 Toronto + 30 working minutes: 10 today, 20 from Wed 09:00.
    ['across the end of a shift', '2026-11-24T21:50:00Z', 30, '2026-11-25T14:20:00Z'],
    // Fri 16:45 → Mon 09:15 (the weekend is not working time).
    ['over a weekend', '2026-11-27T21:45:00Z', 30, '2026-11-30T14:15:00Z'],
    // Thu 24 Dec 16:40 → 20 minutes that day, then Christmas (Fri, an Ontario holiday) and the weekend.
    ['over Christmas in Ontario', '2026-12-24T21:40:00Z', 30, '2026-12-28T14:10:00Z'],
    // Arrived at night: the clock starts at 09:00.
    ['arriving outside working hours', '2026-11-24T03:00:00Z', 60, '2026-11-24T15:00:00Z'],
  ])('%s', (_name, from, minutes, due) => {
    expect(clockTimes({ ...POLICY, firstTouchMinutes: minutes }, office, at(from))!.dueAtMs).toBe(at(due));
  });

  it('counts the real length of a night shift on the spring-forward night (DST)', () => {
    // Sat 7 Mar 2026 22:00 → Sun 8 Mar 06:00 in Toronto: clocks jump 02:00 → 03:00, so 7 hours, not 8.
    const nights = schedule(NIGHTS);
    expect(workingMinutesBetween(nights, at('2026-03-08T03:00:00Z'), at('2026-03-08T10:00:00Z'))).toBe(420);
    // 400 working minutes from 22:00 EST end at 05:40 EDT, which is 09:40Z (not 10:40Z).
    expect(
      iso(clockTimes({ ...POLICY, firstTouchMinutes: 400 }, nights, at('2026-03-08T03:00:00Z'))!.dueAtMs),
    ).toBe('2026-03-08T09:40:00.000Z');
  });

  it('warns at the configured share of working time, not of wall-clock time', () => {
    const office = schedule(OFFICE);
    const times = clockTimes(
      { ...POLICY, firstTouchMinutes: 60, warnAt: 0.5 },
      office,
      at('2026-11-24T21:45:00Z'),
    )!;
    expect(iso(times.warnAtMs!)).toBe('2026-11-25T14:15:00.000Z');
    expect(iso(times.dueAtMs)).toBe('2026-11-25T14:45:00.000Z');
  });

  it('is never due for a rep with no working time (inactive)', () => {
    expect(
      clockTimes(POLICY, schedule({ ...OFFICE, active: false }), at('2026-11-24T14:00:00Z')),
    ).toBeUndefined();
  });
});

describe('the sweep decision for one clock', () => {
  const clock: SlaClock = {
    leadId: '00QTR0000000001AAA',
    changeId: 'c1',
    ownerId: 'rep-a',
    territoryId: 't1',
    assignedAt: '2026-11-24T14:00:00.000Z',
    warnAt: '2026-11-24T14:15:00.000Z',
    dueAt: '2026-11-24T14:30:00.000Z',
    warned: false,
    reroutes: 0,
    previousOwners: ['rep-z'],
    policy: POLICY,
    routedLead: {},
    status: 'pending',
  };
  const lead = (fields: Partial<LeadObservation> = {}): LeadObservation => ({
    id: clock.leadId,
    status: 'Open - Not Contacted',
    ownerId: 'rep-a',
    isConverted: false,
    lastModifiedMs: at('2026-11-24T14:00:05Z'),
    ...fields,
  });
  const context = (now: string) => ({
    nowMs: at(now),
    isNewStatus: (s: string) => s === 'Open - Not Contacted',
    isReplaceableOwner: (id: string) => id === 'queue',
    ownerSchedule: schedule(OFFICE),
  });

  it.each([
    ['before the warning', lead(), '2026-11-24T14:10:00Z', { kind: 'not-yet' }],
    ['at the warning share', lead(), '2026-11-24T14:15:00Z', { kind: 'warn', minutesLeft: 15 }],
    ['past due, re-routes left', lead(), '2026-11-24T14:30:00Z', { kind: 'reroute', untouchedMinutes: 30 }],
    ['owner write-back still pending', lead({ ownerId: 'queue' }), '2026-11-24T14:30:00Z', { kind: 'wait' }],
    [
      'the previous owner still shows (re-route pending)',
      lead({ ownerId: 'rep-z' }),
      '2026-11-24T14:30:00Z',
      { kind: 'wait' },
    ],
    [
      'a person gave it to someone else',
      lead({ ownerId: 'rep-q' }),
      '2026-11-24T14:30:00Z',
      { kind: 'released', why: 'the owner was changed in Salesforce' },
    ],
    [
      'deleted',
      undefined,
      '2026-11-24T14:30:00Z',
      { kind: 'released', why: 'the lead is no longer in Salesforce' },
    ],
  ])('%s', (_name, observed, now, expected) => {
    expect(decideClock(clock, observed, context(now))).toEqual(expected);
  });

  it('a status that left "new" stops the clock at LastModifiedDate, in working minutes', () => {
    const d = decideClock(
      clock,
      lead({ status: 'Working - Contacted', lastModifiedMs: at('2026-11-24T14:12:00Z') }),
      context('2026-11-24T14:15:00Z'),
    );
    expect(d).toEqual({
      kind: 'touched',
      touchedAtMs: at('2026-11-24T14:12:00Z'),
      by: 'status',
      speedMinutes: 12,
      late: false,
    });
  });

  it('an activity logged after assignment stops the clock even past due (touched late)', () => {
    const d = decideClock(
      clock,
      lead({ lastActivityMs: at('2026-11-24T14:40:00Z') }),
      context('2026-11-24T14:41:00Z'),
    );
    expect(d).toMatchObject({ kind: 'touched', by: 'activity', speedMinutes: 40, late: true });
  });

  it('an activity logged before this assignment is not a touch', () => {
    const d = decideClock(
      clock,
      lead({ lastActivityMs: at('2026-11-24T13:00:00Z') }),
      context('2026-11-24T14:30:00Z'),
    );
    expect(d.kind).toBe('reroute');
  });

  it('escalates once the re-routes are used up, and warns only once', () => {
    expect(decideClock({ ...clock, reroutes: 2 }, lead(), context('2026-11-24T14:31:00Z'))).toEqual({
      kind: 'escalate',
      untouchedMinutes: 30,
    });
    expect(decideClock({ ...clock, warned: true }, lead(), context('2026-11-24T14:20:00Z'))).toEqual({
      kind: 'not-yet',
    });
    expect(nextCheckAt(clock)).toBe(clock.warnAt);
    expect(nextCheckAt({ ...clock, warned: true })).toBe(clock.dueAt);
  });

  it('a converted lead counts as touched', () => {
    expect(decideClock(clock, lead({ isConverted: true }), context('2026-11-24T14:20:00Z')).kind).toBe(
      'touched',
    );
  });
});

describe('speed-to-lead report', () => {
  it('gives nearest-rank p50/p90 per rep and territory and the breach rate', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([], 50)).toBeUndefined();
    const report = speedToLeadReport(
      [
        { ownerId: 'a', territoryId: 't', speedMinutes: 5, breached: false },
        { ownerId: 'a', territoryId: 't', speedMinutes: 15, breached: false },
        { ownerId: 'b', territoryId: 't', breached: true },
        { ownerId: 'b', territoryId: 't', speedMinutes: 45, breached: true },
      ],
      { rep: (id) => (id === 'a' ? 'Ann' : 'Bob'), territory: () => 'Toronto' },
    );
    expect(report.reps.map((r) => [r.name, r.p50, r.p90, r.breachRate])).toEqual([
      ['Ann', 5, 15, 0],
      ['Bob', 45, 45, 1],
    ]);
    expect(report.territories[0]).toMatchObject({
      name: 'Toronto',
      assignments: 4,
      touched: 3,
      p50: 15,
      breachRate: 0.5,
    });
  });
});

describe('SLA configuration', () => {
  const territory = (sla: unknown) => ({
    territories: [{ id: 't1', priority: 1, participants: ['rep01'], sla }],
  });
  const problems = (sla: unknown) => {
    const result = validateTerritoryConfig(config(territory(sla)));
    return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
  };

  it('accepts a policy and fills the defaults', () => {
    const model = validModel(config(territory({ firstTouchMinutes: 30, warnAt: 0.5 })));
    expect(model.territories[0]!.sla).toEqual({
      firstTouchMinutes: 30,
      warnAt: 0.5,
      maxReroutes: 1,
      escalateTo: { to: 'queue' },
    });
    const toQueue = validModel(
      config(territory({ firstTouchMinutes: 30, escalateTo: { to: 'queue', queue: 'review' } })),
    );
    expect(toQueue.territories[0]!.sla!.escalateTo).toEqual({ to: 'queue', queue: toQueue.queues[0]!.id });
  });

  it.each([
    ['no minutes', {}, 'territories[0].sla.firstTouchMinutes'],
    ['zero minutes', { firstTouchMinutes: 0 }, 'territories[0].sla.firstTouchMinutes'],
    ['a warning share of 1', { firstTouchMinutes: 30, warnAt: 1 }, 'territories[0].sla.warnAt'],
    ['negative re-routes', { firstTouchMinutes: 30, maxReroutes: -1 }, 'territories[0].sla.maxReroutes'],
    [
      'an unknown target',
      { firstTouchMinutes: 30, escalateTo: { to: 'ceo' } },
      'territories[0].sla.escalateTo',
    ],
    ['an unknown field', { firstTouchMinutes: 30, within: 5 }, 'territories[0].sla: unknown field "within"'],
    [
      'an unknown queue',
      { firstTouchMinutes: 30, escalateTo: { to: 'queue', queue: 'nope' } },
      'territories[0].sla.escalateTo.queue: territory "t1": "nope" is not a queue of the model (known: review)',
    ],
  ])('refuses %s', (_name, sla, expected) => {
    expect(problems(sla).join('\n')).toContain(expected);
  });

  it('points at the line and column of the bad value in the file', () => {
    const text = [
      'name: Test',
      'defaultOwner: review',
      `queues: [{ key: review, id: 00GTR0000000002, name: Lead Review }]`,
      `reps: [{ key: rep01, id: ${repId(1)}, name: Rep 1 }]`,
      'territories:',
      '  - id: t1',
      '    priority: 1',
      '    participants: [rep01]',
      '    sla:',
      '      firstTouchMinutes: 30',
      '      warnAt: 1.5',
    ].join('\n');
    const result = validateTerritoryConfigText(text);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems[0]).toMatchObject({ path: 'territories[0].sla.warnAt', line: 11, column: 15 });
  });
});
