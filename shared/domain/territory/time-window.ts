import { zonedToEpochMs } from '../availability/zoned-time.js';

export { isTimeZone } from '../availability/zoned-time.js';

/**
 * Out-of-office windows are written as local dates or date-times in a time zone
 * (`2026-11-20` / `2026-11-20T09:00`) or as instants with an offset (`2026-11-20T09:00:00-05:00`).
 * A date-only `to` includes the whole day. Converted to epoch milliseconds once, at compile time.
 */
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function isDateTimeText(text: string): boolean {
  return LOCAL.test(text) || INSTANT.test(text);
}

/**
 * Epoch milliseconds of a window bound. `endOfDay` makes a date-only bound mean the following
 * midnight (so `to: 2026-11-30` covers the 30th). Undefined when the text is not a date.
 */
export function boundToEpochMs(text: string, timeZone: string, endOfDay: boolean): number | undefined {
  if (INSTANT.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const match = LOCAL.exec(text);
  if (!match) return undefined;
  const parts = dateTimeParts(match);
  if (!parts) return undefined;
  const { year, month, day, hour, minute, second } = parts;
  const dateOnly = match[4] === undefined;
  return dateOnly && endOfDay
    ? zonedToEpochMs(timeZone, year, month, day + 1)
    : zonedToEpochMs(timeZone, year, month, day, hour, minute, second);
}

/** The matched date and time fields (missing time fields are 0), or undefined when no such moment exists (31 April, 24:00). */
function dateTimeParts(match: RegExpExecArray) {
  const [year, month, day, hour = 0, minute = 0, second = 0] = match
    .slice(1)
    .filter((f): f is string => f !== undefined)
    .map(Number) as [number, number, number, number?, number?, number?];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return real ? { year, month, day, hour, minute, second } : undefined;
}
