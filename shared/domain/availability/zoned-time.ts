/**
 * Wall-clock arithmetic in IANA time zones with the platform's Intl data: the one place that turns
 * an instant into a local date and time and back. Local dates are `YYYY-MM-DD` strings.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

export interface LocalTime {
  /** `YYYY-MM-DD` in the zone. */
  readonly date: string;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** Minutes since local midnight (0–1439). */
  readonly minute: number;
}

interface WallFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallFields(epochMs: number, timeZone: string): WallFields {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Offset of the zone from UTC at an instant, in milliseconds (e.g. -5 h for Toronto in winter). */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const f = wallFields(epochMs, timeZone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant a local wall-clock time names in a zone (the later one when clocks fall back; a time
 * skipped when clocks spring forward lands an hour early). Fields past their range roll over, as
 * in `Date.UTC` (minute 1500 is 01:00 the next day).
 */
export function zonedToEpochMs(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(first, timeZone);
}

export function localTimeAt(epochMs: number, timeZone: string): LocalTime {
  const f = wallFields(epochMs, timeZone);
  const date = `${f.year}-${pad(f.month)}-${pad(f.day)}`;
  return {
    date,
    weekday: new Date(Date.UTC(f.year, f.month - 1, f.day)).getUTCDay(),
    minute: f.hour * 60 + f.minute,
  };
}

/** The instant of a minute of a local date (minutes past 1439 run into the next days). */
export function localDateMinuteToEpochMs(date: string, minute: number, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return zonedToEpochMs(timeZone, year, month, day, 0, minute);
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** `2026-12-25` is a real calendar date. */
export function isLocalDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `Mon 22:00`. */
export function formatLocal(local: LocalTime): string {
  const name = WEEKDAYS[local.weekday]!;
  return `${name[0]!.toUpperCase()}${name.slice(1)} ${formatClock(local.minute)}`;
}

/** Minutes since midnight as `HH:MM` (1440 is `24:00`). */
export function formatClock(minute: number): string {
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
