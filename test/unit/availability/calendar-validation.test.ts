import { describe, expect, it } from 'vitest';
import { publicHolidays } from '../../../shared/adapters/holidays/public-holidays.js';
import { diffModels } from '../../../shared/domain/territory/diff.js';
import { validateTerritoryConfig } from '../../../shared/domain/territory/validate.js';
import { config, repId, reps, validModel } from '../territory/fixtures.js';

const rep = (fields: Record<string, unknown>) => ({
  reps: [{ key: 'rep01', id: repId(1), name: 'A', ...fields }],
});

function problems(parts: Record<string, unknown>) {
  const result = validateTerritoryConfig(config(parts), { holidays: publicHolidays });
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('calendar validation', () => {
  it.each([
    [
      'a shift that is not HH:MM-HH:MM',
      rep({ workingHours: { mon: '9-5' } }),
      'reps[0].workingHours.mon: "9-5" is not a shift',
    ],
    [
      'a shift past 24:00',
      rep({ workingHours: { mon: ['09:00-17:00', '18:00-25:00'] } }),
      'reps[0].workingHours.mon[1]: "18:00-25:00" is not a shift',
    ],
    ['an empty shift', rep({ workingHours: { mon: '09:00-09:00' } }), 'starts and ends at the same time'],
    [
      'a day that is not a day',
      rep({ workingHours: { monday: '09:00-17:00' } }),
      'reps[0].workingHours.monday: "monday" is not a day or range of days',
    ],
    [
      'a day given twice',
      rep({ workingHours: { 'mon-fri': '09:00-17:00', wed: '10:00-12:00' } }),
      'wed is already given by "mon-fri"',
    ],
    [
      'overlapping shifts in a day',
      rep({ workingHours: { mon: ['09:00-13:00', '12:00-17:00'] } }),
      'shifts overlap: mon 09:00-13:00 and mon 12:00-17:00',
    ],
    [
      'a night shift running into the next day’s shift',
      rep({ workingHours: { mon: '22:00-06:00', tue: '05:00-09:00' } }),
      'shifts overlap: mon 22:00-06:00 and tue 05:00-09:00',
    ],
    [
      'a Sunday night shift running into Monday',
      rep({ workingHours: { sun: '22:00-06:00', mon: '05:00-09:00' } }),
      'shifts overlap: sun 22:00-06:00 and mon 05:00-09:00',
    ],
    [
      'an unknown holiday region',
      rep({ holidays: ['CA-ZZ'] }),
      'reps[0].holidays[0]: no public holidays are known for "CA-ZZ"',
    ],
    [
      'a holiday code that is not a code',
      rep({ holidays: ['Ontario'] }),
      'reps[0].holidays[0]: "Ontario" is not a country or region code',
    ],
    [
      'a day off that is not a date',
      rep({ daysOff: ['2026-02-30'] }),
      'reps[0].daysOff[0]: "2026-02-30" is not a date',
    ],
    [
      'an unknown calendar time zone',
      { calendars: [{ id: 'c', timeZone: 'Mars/Base' }] },
      'calendars[0].timeZone: unknown time zone "Mars/Base"',
    ],
    [
      'a duplicate calendar id',
      { calendars: [{ id: 'c' }, { id: 'c' }] },
      'calendars[1].id: duplicate calendar id "c"',
    ],
    [
      'an unknown default calendar',
      { defaultCalendar: 'office' },
      'defaultCalendar: unknown calendar "office" (known: none)',
    ],
    [
      'a rep naming an unknown calendar',
      { calendars: [{ id: 'office' }], ...rep({ calendar: 'ofice' }) },
      'reps[0].calendar: unknown calendar "ofice" (known: office)',
    ],
    ['an unknown calendar field', { calendars: [{ id: 'c', hours: {} }] }, 'unknown field "hours"'],
  ])('refuses %s', (_, parts, message) => {
    expect(problems(parts).join('\n')).toContain(message);
  });

  it('normalises working hours to one list per day and region codes to upper case', () => {
    const model = validModel(
      config({
        calendars: [
          {
            id: 'office',
            timeZone: 'America/Toronto',
            workingHours: { 'fri-mon': '10:00-14:00', wed: ['13:00-17:00', '08:00-12:00'] },
            holidays: ['ca-on'],
          },
        ],
        defaultCalendar: 'office',
      }),
    );
    expect(model.calendars).toEqual([
      {
        id: 'office',
        timeZone: 'America/Toronto',
        workingHours: {
          sun: ['10:00-14:00'],
          mon: ['10:00-14:00'],
          wed: ['13:00-17:00', '08:00-12:00'],
          fri: ['10:00-14:00'],
          sat: ['10:00-14:00'],
        },
        holidays: ['CA-ON'],
      },
    ]);
    // The validated model is itself a valid config (stored models are re-validated when loaded).
    expect(validModel(model)).toEqual(model);
  });

  it('leaves models without calendars exactly as they were', () => {
    const model = validModel(config({}));
    expect(model).not.toHaveProperty('calendars');
    expect(model).not.toHaveProperty('defaultCalendar');
  });

  it('shows calendar changes in the model diff', () => {
    const before = validModel(
      config({ calendars: [{ id: 'office', holidays: ['CA-ON'] }], defaultCalendar: 'office' }),
    );
    const after = validModel(
      config({
        calendars: [{ id: 'office', holidays: ['CA-QC'] }],
        defaultCalendar: 'office',
        reps: [
          { key: 'rep01', id: repId(1), name: 'Rep 1', workingHours: { 'mon-fri': '08:00-16:00' } },
          ...reps(6).slice(1),
        ],
      }),
    );
    const diff = diffModels(before, after);
    expect(diff.settings.join('\n')).toContain('calendars:');
    expect(diff.reps.changed[0]?.changes.join('\n')).toContain('working hours: (none) →');
  });
});
