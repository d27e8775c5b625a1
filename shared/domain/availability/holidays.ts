/**
 * Public holidays by region code (`CA-ON`, `US-NY`, `GB`): the adapter answers from the
 * `date-holidays` data set; the domain only asks through this interface and caches per year.
 */
export interface Holiday {
  /** Local date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly name: string;
}

export interface HolidayCalendar {
  /** Whether the code names a known country, or region of one (`CA-ON`). */
  knows(region: string): boolean;
  /** The region's public holidays in a year. */
  holidays(region: string, year: number): readonly Holiday[];
}

export class MissingHolidayCalendarError extends Error {
  override name = 'MissingHolidayCalendarError';
  constructor(region: string) {
    super(`a calendar lists holidays of ${region}, but no holiday calendar was given to compile the model`);
  }
}

/** Country, optionally with a region and sub-region: `CA`, `CA-ON`, `DE-BY-A`. */
export const REGION_CODE = /^[A-Z]{2}(?:-[A-Z0-9]{1,4}){0,2}$/;

export function normaliseRegion(code: string): string {
  return code.trim().toUpperCase();
}

/** The name of a region's holiday on a local date, if any. */
export type HolidayIndex = (region: string, date: string) => string | undefined;

/** One index per compiled model: every calendar sharing a region reads its year once. */
export function holidayIndex(calendar: HolidayCalendar | undefined): HolidayIndex {
  const years = new Map<string, Map<string, string>>();
  return (region, date) => {
    const year = Number(date.slice(0, 4));
    const key = `${region}|${year}`;
    let dates = years.get(key);
    if (!dates) {
      if (!calendar) throw new MissingHolidayCalendarError(region);
      dates = new Map();
      for (const h of calendar.holidays(region, year)) if (!dates.has(h.date)) dates.set(h.date, h.name);
      years.set(key, dates);
    }
    return dates.get(date);
  };
}
