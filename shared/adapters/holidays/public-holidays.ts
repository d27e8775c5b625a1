import { createRequire } from 'node:module';
import type HolidaysModule from 'date-holidays';
import type { Holiday, HolidayCalendar } from '../../domain/availability/holidays.js';

type HolidaysClass = typeof HolidaysModule;
let Holidays: HolidaysClass | undefined;

/**
 * `date-holidays` carries every country's rules (about 0.8 MB of data, computed offline); loading
 * it on first use keeps it out of the Lambda bundles, which ship it beside them like `zipcodes`.
 */
function load(): HolidaysClass {
  Holidays ??= createRequire(import.meta.url)('date-holidays') as HolidaysClass;
  return Holidays;
}

function split(region: string): [string, string?, string?] {
  const [country = '', state, sub] = region.toUpperCase().split('-');
  return [country, state, sub];
}

const known = new Map<string, boolean>();

/**
 * The one holiday calendar: public holidays (type `public`, English names where the data has
 * them) of a country (`GB`), region (`CA-ON`, `US-NY`) or sub-region (`DE-BY-A`).
 */
export const publicHolidays: HolidayCalendar = {
  knows(region) {
    let answer = known.get(region);
    if (answer === undefined) {
      const [country, state, sub] = split(region);
      const probe = new (load())();
      const countries = probe.getCountries('en') ?? {};
      answer = country in countries;
      if (answer && state !== undefined) answer = state in (probe.getStates(country, 'en') ?? {});
      if (answer && state !== undefined && sub !== undefined)
        answer = sub in (probe.getRegions(country, state, 'en') ?? {});
      known.set(region, answer);
    }
    return answer;
  },
  holidays(region, year) {
    const [country, state, sub] = split(region);
    const calendar = new (load())(country, state ?? '', sub ?? '', {
      languages: ['en'],
      types: ['public'],
    });
    return calendar.getHolidays(year).map((h): Holiday => ({ date: h.date.slice(0, 10), name: h.name }));
  },
};
