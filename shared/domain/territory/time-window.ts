/**
 * Out-of-office windows are written as local dates or date-times in a time zone
 * (`2026-11-20` / `2026-11-20T09:00`) or as instants with an offset (`2026-11-20T09:00:00-05:00`).
 * A date-only `to` includes the whole day. Converted to epoch milliseconds once, at compile time.
 */
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

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

/** Offset of the zone from UTC at an instant, in milliseconds (e.g. -5 h for Toronto in winter). */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(epochMs))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The instant a local wall-clock time names in a zone (the later one when clocks fall back). */
function zonedToEpochMs(fields: number[], timeZone: string): number {
  const [year, month, day, hour = 0, minute = 0, second = 0] = fields as [
    number,
    number,
    number,
    number?,
    number?,
    number?,
  ];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(first, timeZone);
}

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
  const fields = match
    .slice(1)
    .filter((f): f is string => f !== undefined)
    .map(Number);
  if (!isRealDateTime(fields)) return undefined;
  const dateOnly = match[4] === undefined;
  const ms = zonedToEpochMs(fields, timeZone);
  return dateOnly && endOfDay ? zonedToEpochMs([fields[0]!, fields[1]!, fields[2]! + 1], timeZone) : ms;
}

function isRealDateTime(fields: number[]): boolean {
  const [year, month, day, hour = 0, minute = 0, second = 0] = fields as [
    number,
    number,
    number,
    number?,
    number?,
    number?,
  ];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60
  );
}
