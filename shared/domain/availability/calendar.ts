import { type HolidayIndex, normaliseRegion } from './holidays.js';
import { formatClock, localDateMinuteToEpochMs, WEEKDAYS, type Weekday, weekdayOf } from './zoned-time.js';

/**
 * A rep's working calendar: a time zone, weekly shifts, public holidays of some regions and extra
 * days off. Written in the territory model (a named calendar, a rep's own fields, or both: the
 * rep's fields win, days off add up) and compiled once into shifts in minutes.
 */
export interface CalendarFields {
  readonly timeZone?: string;
  /** Day (`mon`) → shifts (`09:00-17:00`); a day not listed is not worked. */
  readonly workingHours?: WorkingHours;
  /** Region codes whose public holidays are days off (`CA-ON`, `US-NY`). */
  readonly holidays?: readonly string[];
  /** Local dates off (`2026-12-24`). */
  readonly daysOff?: readonly string[];
}

export type WorkingHours = Readonly<Partial<Record<Weekday, readonly string[]>>>;

/** As written in a config file: keys may be ranges (`mon-fri`), values one shift or several. */
export type WorkingHoursInput = Readonly<Record<string, string | readonly string[]>>;

/** Minutes from the local midnight of the day it starts; `end` passes 1440 when it runs past midnight. */
export interface Shift {
  readonly start: number;
  readonly end: number;
}

const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

function clockMinutes(text: string): number | undefined {
  const match = CLOCK.exec(text.trim());
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes > 1440 ? undefined : minutes;
}

/** `09:00-17:00`, or `22:00-06:00` into the next day; `24:00` ends a day. */
export function parseShift(text: string): Shift | string {
  const [from, to, ...rest] = text.split('-');
  const start = from === undefined ? undefined : clockMinutes(from);
  const end = to === undefined ? undefined : clockMinutes(to);
  if (rest.length > 0 || start === undefined || end === undefined || start === 1440) {
    return `"${text}" is not a shift (HH:MM-HH:MM, e.g. 09:00-17:00 or 22:00-06:00)`;
  }
  if (start === end) return `"${text}" starts and ends at the same time`;
  return { start, end: end > start ? end : end + 1440 };
}

/** `mon`, `sat`, or a range `mon-fri` (`fri-mon` wraps over the weekend). */
export function parseDays(key: string): Weekday[] | string {
  const names = key.trim().toLowerCase().split('-');
  const index = names.map((n) => WEEKDAYS.indexOf(n as Weekday));
  if (names.length > 2 || index.some((i) => i < 0)) {
    return `"${key}" is not a day or range of days (${WEEKDAYS.join(', ')}, e.g. mon-fri)`;
  }
  const [first, last = first] = index as [number, number?];
  const days: Weekday[] = [];
  for (let d = first; ; d = (d + 1) % 7) {
    days.push(WEEKDAYS[d]!);
    if (d === last) break;
  }
  return days;
}

export interface WorkingHoursResult {
  readonly hours: WorkingHours;
  readonly problems: readonly { readonly key?: string; readonly index?: number; readonly message: string }[];
}

/** Expand day ranges, check every shift, and refuse a day given twice or shifts that overlap in the week. */
export function normaliseWorkingHours(input: WorkingHoursInput): WorkingHoursResult {
  const problems: { key?: string; index?: number; message: string }[] = [];
  const hours: Partial<Record<Weekday, string[]>> = {};
  const byDay = new Map<Weekday, string>();
  for (const [key, value] of Object.entries(input)) {
    const days = parseDays(key);
    if (typeof days === 'string') {
      problems.push({ key, message: days });
      continue;
    }
    const shifts = (typeof value === 'string' ? [value] : value).map((s) => s.trim());
    shifts.forEach((text, index) => {
      const shift = parseShift(text);
      if (typeof shift === 'string')
        problems.push({ key, ...(typeof value === 'string' ? {} : { index }), message: shift });
    });
    for (const day of days) {
      const earlier = byDay.get(day);
      if (earlier !== undefined) {
        problems.push({ key, message: `${day} is already given by "${earlier}"` });
        continue;
      }
      byDay.set(day, key);
      hours[day] = shifts;
    }
  }
  if (problems.length === 0) {
    const overlap = firstOverlap(hours);
    if (overlap) problems.push({ message: overlap });
  }
  const ordered: Partial<Record<Weekday, string[]>> = {};
  for (const day of WEEKDAYS) if (hours[day]?.length) ordered[day] = hours[day];
  return { hours: ordered, problems };
}

const WEEK = 7 * 1440;

function firstOverlap(hours: Partial<Record<Weekday, string[]>>): string | undefined {
  const spans: { from: number; to: number; label: string }[] = [];
  WEEKDAYS.forEach((day, d) => {
    for (const text of hours[day] ?? []) {
      const shift = parseShift(text) as Shift;
      const from = d * 1440 + shift.start;
      spans.push({ from, to: from + shift.end - shift.start, label: `${day} ${text}` });
    }
  });
  spans.sort((a, b) => a.from - b.from);
  for (let i = 0; i < spans.length; i++) {
    const next = spans[(i + 1) % spans.length]!;
    const nextFrom = i + 1 < spans.length ? next.from : next.from + WEEK;
    if (spans.length > 1 && spans[i]!.to > nextFrom)
      return `shifts overlap: ${spans[i]!.label} and ${next.label}`;
  }
  return undefined;
}

/** The local day off (holiday or personal) a date is, if any. */
export interface DayOff {
  readonly kind: 'holiday' | 'day-off';
  /** `holiday: Christmas Day (CA-ON)`, `day off: 2026-12-24`. */
  readonly reason: string;
}

/** One shift on one local date, as instants. */
export interface ShiftInstance {
  readonly date: string;
  readonly startMs: number;
  readonly endMs: number;
  /** `09:00-17:00`; empty for a calendar without working hours. */
  readonly label: string;
}

export interface CompiledCalendar {
  readonly timeZone: string;
  /** Shifts per weekday (0 = Sunday); undefined when no working hours are set (every hour counts). */
  readonly week?: readonly (readonly Shift[])[];
  readonly holidayRegions: readonly string[];
  readonly daysOff: ReadonlySet<string>;
  dayOff(date: string): DayOff | undefined;
  /** The shifts that start on a local date (the whole day when no working hours are set). */
  shiftsOn(date: string): readonly ShiftInstance[];
}

export interface ResolvedCalendar {
  readonly timeZone: string;
  readonly workingHours?: WorkingHours;
  readonly holidays: readonly string[];
  readonly daysOff: readonly string[];
}

/** Dates memoised per calendar; a sweep or a report asks about the same few weeks again and again. */
const MEMO_LIMIT = 2048;

export function compileCalendar(resolved: ResolvedCalendar, holidays: HolidayIndex): CompiledCalendar {
  const { timeZone } = resolved;
  const week = resolved.workingHours
    ? WEEKDAYS.map((day) =>
        (resolved.workingHours?.[day] ?? [])
          .map((text) => parseShift(text))
          .filter((s): s is Shift => typeof s !== 'string')
          .sort((a, b) => a.start - b.start),
      )
    : undefined;
  const holidayRegions = [...new Set(resolved.holidays.map(normaliseRegion))];
  const daysOff = new Set(resolved.daysOff);
  const dayOff = (date: string): DayOff | undefined => {
    for (const region of holidayRegions) {
      const name = holidays(region, date);
      if (name !== undefined) return { kind: 'holiday', reason: `holiday: ${name} (${region})` };
    }
    return daysOff.has(date) ? { kind: 'day-off', reason: `day off: ${date}` } : undefined;
  };
  const memo = new Map<string, readonly ShiftInstance[]>();
  const shiftsOn = (date: string): readonly ShiftInstance[] => {
    const known = memo.get(date);
    if (known) return known;
    const shifts = week ? week[weekdayOf(date)]! : [{ start: 0, end: 1440 }];
    const instances = shifts.map((s) => ({
      date,
      startMs: localDateMinuteToEpochMs(date, s.start, timeZone),
      endMs: localDateMinuteToEpochMs(date, s.end, timeZone),
      label: week ? `${formatClock(s.start)}-${formatClock(s.end > 1440 ? s.end - 1440 : s.end)}` : '',
    }));
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(date, instances);
    return instances;
  };
  return {
    timeZone,
    ...(week ? { week } : {}),
    holidayRegions,
    daysOff,
    dayOff,
    shiftsOn,
  };
}
