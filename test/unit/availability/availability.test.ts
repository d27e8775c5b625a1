import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { publicHolidays } from '../../../shared/adapters/holidays/public-holidays.js';
import {
  addWorkingMinutes,
  availabilityAt,
  type HolidayCalendar,
  MissingHolidayCalendarError,
  nextWorkingInstant,
  workingIntervals,
  workingMinutesBetween,
} from '../../../shared/domain/availability/index.js';
import { compileModel } from '../../../shared/domain/territory/compile-model.js';
import { config, repId, validModel } from '../territory/fixtures.js';

/** One rep (rep01) with the given fields, compiled with the real public-holiday data. */
function rep(
  fields: Record<string, unknown>,
  parts: Record<string, unknown> = {},
  holidays: HolidayCalendar | null = publicHolidays,
) {
  const model = validModel(
    config({ reps: [{ key: 'rep01', id: repId(1), name: 'Rep 1', ...fields }], ...parts }),
  );
  return compileModel(model, holidays ? { holidays } : {}).reps.get(repId(1))!;
}

const OFFICE = {
  timeZone: 'America/Toronto',
  workingHours: { 'mon-fri': '09:00-17:00' },
  holidays: ['CA-ON'],
};
const NIGHTS = {
  timeZone: 'America/Toronto',
  workingHours: { 'mon-fri': '22:00-06:00' },
  holidays: ['CA-ON'],
};
const at = (iso: string) => Date.parse(iso);

describe('availability at an instant', () => {
  it.each([
    // Working-hours boundaries: the start is on shift, the end is not.
    [
      'Tue 09:00 Toronto (start of shift)',
      OFFICE,
      '2026-11-24T14:00:00Z',
      true,
      'on shift: Tue 09:00 America/Toronto (09:00-17:00)',
    ],
    [
      'Tue 08:59 Toronto',
      OFFICE,
      '2026-11-24T13:59:00Z',
      false,
      'outside working hours: Tue 08:59 America/Toronto',
    ],
    [
      'Tue 17:00 Toronto (end of shift)',
      OFFICE,
      '2026-11-24T22:00:00Z',
      false,
      'outside working hours: Tue 17:00 America/Toronto',
    ],
    // Time-zone boundaries: the UTC date is Saturday, the local date still Friday (and the reverse).
    [
      'Fri 23:30 Toronto is Sat 04:30 UTC',
      OFFICE,
      '2026-11-28T04:30:00Z',
      false,
      'outside working hours: Fri 23:30 America/Toronto',
    ],
    [
      'Mon 22:00 Toronto is Tue 03:00 UTC',
      OFFICE,
      '2026-12-22T03:00:00Z',
      false,
      'outside working hours: Mon 22:00 America/Toronto',
    ],
    [
      'Vancouver 08:30 while Toronto is at work',
      { ...OFFICE, timeZone: 'America/Los_Angeles' },
      '2026-11-24T16:30:00Z',
      false,
      'outside working hours: Tue 08:30 America/Los_Angeles',
    ],
    [
      'Vancouver 09:00',
      { ...OFFICE, timeZone: 'America/Los_Angeles' },
      '2026-11-24T17:00:00Z',
      true,
      'on shift: Tue 09:00 America/Los_Angeles (09:00-17:00)',
    ],
    // Daylight saving: 09:00 is 14:00 UTC in winter and 13:00 UTC in summer.
    [
      'Fri before spring-forward, 08:30 EST',
      OFFICE,
      '2026-03-06T13:30:00Z',
      false,
      'outside working hours: Fri 08:30 America/Toronto',
    ],
    [
      'Mon after spring-forward, 09:30 EDT',
      OFFICE,
      '2026-03-09T13:30:00Z',
      true,
      'on shift: Mon 09:30 America/Toronto (09:00-17:00)',
    ],
    [
      'Mon after fall-back, 08:30 EST',
      OFFICE,
      '2026-11-02T13:30:00Z',
      false,
      'outside working hours: Mon 08:30 America/Toronto',
    ],
    // Public holidays: Family Day is Ontario's, not Quebec's; la Fête nationale is Quebec's.
    ['Family Day in Ontario', OFFICE, '2026-02-16T15:00:00Z', false, 'holiday: Family Day (CA-ON)'],
    [
      'Family Day in Quebec',
      { ...OFFICE, holidays: ['CA-QC'] },
      '2026-02-16T15:00:00Z',
      true,
      'on shift: Mon 10:00 America/Toronto (09:00-17:00)',
    ],
    [
      '24 June in Quebec',
      { ...OFFICE, holidays: ['CA-QC'] },
      '2026-06-24T14:00:00Z',
      false,
      'holiday: National Holiday (CA-QC)',
    ],
    [
      '24 June in Ontario',
      OFFICE,
      '2026-06-24T14:00:00Z',
      true,
      'on shift: Wed 10:00 America/Toronto (09:00-17:00)',
    ],
    [
      'US Thanksgiving in New York',
      { ...OFFICE, timeZone: 'America/New_York', holidays: ['us-ny'] },
      '2026-11-26T15:00:00Z',
      false,
      'holiday: Thanksgiving Day (US-NY)',
    ],
    [
      'US Thanksgiving in Ontario',
      OFFICE,
      '2026-11-26T15:00:00Z',
      true,
      'on shift: Thu 10:00 America/Toronto (09:00-17:00)',
    ],
    ['Christmas Day', OFFICE, '2026-12-25T15:00:00Z', false, 'holiday: Christmas Day (CA-ON)'],
    [
      'a holiday evening, outside hours anyway, says holiday',
      OFFICE,
      '2026-12-26T03:00:00Z',
      false,
      'holiday: Christmas Day (CA-ON)',
    ],
    // Shifts across midnight belong to the day they start.
    [
      'Tue 03:00 on Monday night shift',
      NIGHTS,
      '2026-11-24T08:00:00Z',
      true,
      'on shift: Tue 03:00 America/Toronto (22:00-06:00)',
    ],
    [
      'Sat 05:59 on Friday night shift',
      NIGHTS,
      '2026-11-28T10:59:00Z',
      true,
      'on shift: Sat 05:59 America/Toronto (22:00-06:00)',
    ],
    [
      'Mon 03:00 (no Sunday shift)',
      NIGHTS,
      '2026-11-23T08:00:00Z',
      false,
      'outside working hours: Mon 03:00 America/Toronto',
    ],
    [
      'Fri 25 Dec 03:00: Thursday 24th night shift runs on',
      NIGHTS,
      '2026-12-25T08:00:00Z',
      true,
      'on shift: Fri 03:00 America/Toronto (22:00-06:00)',
    ],
    [
      'Fri 25 Dec 23:00: a shift starting on a holiday is off',
      NIGHTS,
      '2026-12-26T04:00:00Z',
      false,
      'holiday: Christmas Day (CA-ON)',
    ],
    [
      'Sat 26 Dec 03:00: still the Christmas shift',
      NIGHTS,
      '2026-12-26T08:00:00Z',
      false,
      'holiday: Christmas Day (CA-ON)',
    ],
    // Night shift over the spring-forward night: 22:00 EST to 06:00 EDT is 7 hours.
    [
      'Sun 05:30 EDT, Saturday night shift',
      { ...NIGHTS, workingHours: { sat: '22:00-06:00' } },
      '2026-03-08T09:30:00Z',
      true,
      'on shift: Sun 05:30 America/Toronto (22:00-06:00)',
    ],
    [
      'Sun 06:00 EDT, shift over',
      { ...NIGHTS, workingHours: { sat: '22:00-06:00' } },
      '2026-03-08T10:00:00Z',
      false,
      'outside working hours: Sun 06:00 America/Toronto',
    ],
    // Over the fall-back night it is 9 hours: 05:30 EST is 10:30 UTC.
    [
      'Sun 05:30 EST, Saturday night shift',
      { ...NIGHTS, workingHours: { sat: '22:00-06:00' } },
      '2026-11-01T10:30:00Z',
      true,
      'on shift: Sun 05:30 America/Toronto (22:00-06:00)',
    ],
    // Several shifts a day.
    [
      'lunch break',
      { ...OFFICE, workingHours: { 'mon-fri': ['09:00-12:00', '13:00-17:00'] } },
      '2026-11-24T17:30:00Z',
      false,
      'outside working hours: Tue 12:30 America/Toronto',
    ],
    [
      'after lunch',
      { ...OFFICE, workingHours: { 'mon-fri': ['09:00-12:00', '13:00-17:00'] } },
      '2026-11-24T18:00:00Z',
      true,
      'on shift: Tue 13:00 America/Toronto (13:00-17:00)',
    ],
    [
      'Saturday morning shift',
      { ...OFFICE, workingHours: { 'mon-fri': '09:00-17:00', sat: '10:00-14:00' } },
      '2026-11-28T15:00:00Z',
      true,
      'on shift: Sat 10:00 America/Toronto (10:00-14:00)',
    ],
    // Days off and out of office.
    [
      'a day off',
      { ...OFFICE, daysOff: ['2026-11-24'] },
      '2026-11-24T15:00:00Z',
      false,
      'day off: 2026-11-24',
    ],
    [
      'a part-day out of office',
      { ...OFFICE, outOfOffice: [{ from: '2026-11-24T12:00', to: '2026-11-24T14:00' }] },
      '2026-11-24T17:30:00Z',
      false,
      'out of office until 2026-11-24T14:00',
    ],
    [
      'back from a part-day out of office',
      { ...OFFICE, outOfOffice: [{ from: '2026-11-24T12:00', to: '2026-11-24T14:00' }] },
      '2026-11-24T19:00:00Z',
      true,
      'on shift: Tue 14:00 America/Toronto (09:00-17:00)',
    ],
    [
      'out of office over the holidays',
      { ...OFFICE, outOfOffice: [{ from: '2026-12-21', to: '2026-12-30' }] },
      '2026-12-30T20:00:00Z',
      false,
      'out of office until 2026-12-30',
    ],
    [
      'out of office wins over a holiday',
      { ...OFFICE, outOfOffice: [{ from: '2026-12-21', to: '2026-12-30' }] },
      '2026-12-25T15:00:00Z',
      false,
      'out of office until 2026-12-30',
    ],
    ['inactive', { ...OFFICE, active: false }, '2026-11-24T15:00:00Z', false, 'inactive'],
    ['no working hours: any hour', {}, '2026-11-29T08:00:00Z', true, 'available: no working hours set'],
    [
      'no working hours, holidays still count',
      { holidays: ['CA-ON'] },
      '2026-12-25T08:00:00Z',
      false,
      'holiday: Christmas Day (CA-ON)',
    ],
  ])('%s', (_, fields, instant, available, reason) => {
    expect(availabilityAt(rep(fields), at(instant))).toMatchObject({ available, reason });
  });

  it('takes the rep calendar from the model: the default calendar, a named one, and the rep’s overrides', () => {
    const parts = {
      calendars: [
        { id: 'toronto', ...OFFICE, daysOff: ['2026-11-23'] },
        {
          id: 'montreal',
          timeZone: 'America/Toronto',
          workingHours: { 'mon-thu': '08:00-18:00' },
          holidays: ['CA-QC'],
        },
      ],
      defaultCalendar: 'toronto',
    };
    const family = at('2026-02-16T15:00:00Z');
    expect(availabilityAt(rep({}, parts), family).reason).toBe('holiday: Family Day (CA-ON)');
    expect(availabilityAt(rep({ calendar: 'montreal' }, parts), family).available).toBe(true);
    // Own holidays replace the calendar's; own days off add to its days off.
    expect(availabilityAt(rep({ holidays: ['CA-QC'] }, parts), family).available).toBe(true);
    const withOwn = rep({ daysOff: ['2026-11-24'] }, parts);
    expect(availabilityAt(withOwn, at('2026-11-23T15:00:00Z')).reason).toBe('day off: 2026-11-23');
    expect(availabilityAt(withOwn, at('2026-11-24T15:00:00Z')).reason).toBe('day off: 2026-11-24');
    // Out-of-office windows without a zone are in the rep's zone.
    const west = rep(
      {
        timeZone: 'America/Los_Angeles',
        outOfOffice: [{ from: '2026-11-24T09:00', to: '2026-11-24T10:00' }],
      },
      parts,
    );
    expect(availabilityAt(west, at('2026-11-24T17:30:00Z')).reason).toBe(
      'out of office until 2026-11-24T10:00',
    );
    expect(availabilityAt(west, at('2026-11-24T14:30:00Z')).reason).toBe(
      'outside working hours: Tue 06:30 America/Los_Angeles',
    );
  });

  it('refuses to guess when a calendar lists holidays but no holiday data was given', () => {
    const noData = rep(OFFICE, {}, null);
    expect(() => availabilityAt(noData, at('2026-11-24T15:00:00Z'))).toThrow(MissingHolidayCalendarError);
  });
});

describe('working time', () => {
  const office = rep(OFFICE);
  const minutes = (from: string, to: string) => workingMinutesBetween(office, at(from), at(to));

  it.each([
    ['inside one shift', '2026-11-24T15:00:00Z', '2026-11-24T16:30:00Z', 90],
    ['Friday 16:00 to Monday 10:00', '2026-11-27T21:00:00Z', '2026-11-30T15:00:00Z', 120],
    [
      'over Christmas and Boxing Day (Friday and Saturday)',
      '2026-12-24T21:00:00Z',
      '2026-12-28T15:00:00Z',
      120,
    ],
    ['a whole week', '2026-11-23T05:00:00Z', '2026-11-30T05:00:00Z', 5 * 8 * 60],
    ['backwards is nothing', '2026-11-24T16:00:00Z', '2026-11-24T15:00:00Z', 0],
  ])('%s', (_, from, to, expected) => {
    expect(minutes(from, to)).toBe(expected);
  });

  it('counts a night shift over daylight-saving changes at its real length', () => {
    const nights = rep({ ...NIGHTS, workingHours: { sat: '22:00-06:00' } });
    expect(workingMinutesBetween(nights, at('2026-03-07T00:00:00Z'), at('2026-03-09T00:00:00Z'))).toBe(
      7 * 60,
    );
    expect(workingMinutesBetween(nights, at('2026-10-31T00:00:00Z'), at('2026-11-02T00:00:00Z'))).toBe(
      9 * 60,
    );
  });

  it('finds when N working minutes have passed, skipping nights, weekends, holidays and out of office', () => {
    expect(new Date(addWorkingMinutes(office, at('2026-11-24T15:00:00Z'), 60)!).toISOString()).toBe(
      '2026-11-24T16:00:00.000Z',
    );
    expect(new Date(addWorkingMinutes(office, at('2026-11-27T21:30:00Z'), 60)!).toISOString()).toBe(
      '2026-11-30T14:30:00.000Z',
    );
    expect(new Date(addWorkingMinutes(office, at('2026-12-24T21:30:00Z'), 60)!).toISOString()).toBe(
      '2026-12-28T14:30:00.000Z',
    );
    const away = rep({ ...OFFICE, outOfOffice: [{ from: '2026-11-30', to: '2026-12-04' }] });
    expect(new Date(addWorkingMinutes(away, at('2026-11-27T21:30:00Z'), 60)!).toISOString()).toBe(
      '2026-12-07T14:30:00.000Z',
    );
    expect(addWorkingMinutes(office, at('2026-11-24T15:00:00Z'), 0)).toBe(at('2026-11-24T15:00:00Z'));
    expect(
      addWorkingMinutes(rep({ ...OFFICE, active: false }), at('2026-11-24T15:00:00Z'), 60),
    ).toBeUndefined();
    expect(nextWorkingInstant(office, at('2026-12-24T23:00:00Z'))).toBe(at('2026-12-28T14:00:00Z'));
  });

  it('agrees with availability at every instant, and adds up over any split', () => {
    const reps = [
      office,
      rep(NIGHTS),
      rep({
        ...OFFICE,
        workingHours: { 'mon-fri': ['09:00-12:00', '13:00-17:00'], sun: '20:00-02:00' },
        outOfOffice: [{ from: '2026-03-10T10:00', to: '2026-03-12' }],
      }),
    ];
    const start = at('2026-03-01T00:00:00Z');
    const span = 60 * 86_400_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: reps.length - 1 }),
        fc.integer({ min: 0, max: span }),
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        (r, offset, d1, d2) => {
          const schedule = reps[r]!;
          const t = start + Math.floor(offset / 60_000) * 60_000;
          const inside = workingIntervals(schedule, t, t + 1).length > 0;
          expect(availabilityAt(schedule, t).available).toBe(inside);
          const whole = workingMinutesBetween(schedule, t, t + d1 + d2);
          const parts =
            workingMinutesBetween(schedule, t, t + d1) + workingMinutesBetween(schedule, t + d1, t + d1 + d2);
          expect(whole).toBeCloseTo(parts, 6);
          const due = addWorkingMinutes(schedule, t, 45);
          if (due !== undefined) expect(workingMinutesBetween(schedule, t, due)).toBeCloseTo(45, 6);
        },
      ),
      { numRuns: 300 },
    );
  });
});
