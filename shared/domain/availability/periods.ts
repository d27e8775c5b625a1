import {
  addDays,
  localDateMinuteToEpochMs,
  localTimeAt,
  WEEKDAYS,
  type Weekday,
  weekdayOf,
} from './zoned-time.js';

/**
 * Per-day and per-week lead caps, counted in the rep's own local day and week. A period is named by
 * its first local date (`day:2026-12-02`, `week:2026-11-30`), so the counter of a new day is a new
 * counter: nothing has to be reset at midnight.
 */
export type CapPeriod = 'day' | 'week';

export interface PeriodCapRules {
  /** At most this many leads a local day; absent: no daily cap. */
  readonly maxPerDay?: number | undefined;
  /** At most this many leads a local week; absent: no weekly cap. */
  readonly maxPerWeek?: number | undefined;
  /** The first day of a week (default Monday). */
  readonly weekStartsOn?: Weekday | undefined;
}

export interface PeriodCap {
  readonly period: CapPeriod;
  /** `day:2026-12-02` or `week:2026-11-30` (the week's first day): the counter's name. */
  readonly id: string;
  readonly max: number;
  /** `Wed 2026-12-02 America/Toronto`, `week of Mon 2026-11-30 America/Toronto`. */
  readonly label: string;
  /** The first instant after the period; its counter is useless from then on. */
  readonly endsAtMs: number;
}

export function periodId(period: CapPeriod, firstDate: string): string {
  return `${period}:${firstDate}`;
}

/** The caps a rep's rules set at an instant, in the rep's time zone; empty when the rules set none. */
export function periodCapsAt(rules: PeriodCapRules, timeZone: string, atMs: number): PeriodCap[] {
  if (rules.maxPerDay === undefined && rules.maxPerWeek === undefined) return [];
  const today = localTimeAt(atMs, timeZone).date;
  const caps: PeriodCap[] = [];
  if (rules.maxPerDay !== undefined) {
    caps.push({
      period: 'day',
      id: periodId('day', today),
      max: rules.maxPerDay,
      label: `${dayName(today)} ${today} ${timeZone}`,
      endsAtMs: localDateMinuteToEpochMs(addDays(today, 1), 0, timeZone),
    });
  }
  if (rules.maxPerWeek !== undefined) {
    const first = WEEKDAYS.indexOf(rules.weekStartsOn ?? 'mon');
    const start = addDays(today, -((weekdayOf(today) - first + 7) % 7));
    caps.push({
      period: 'week',
      id: periodId('week', start),
      max: rules.maxPerWeek,
      label: `week of ${dayName(start)} ${start} ${timeZone}`,
      endsAtMs: localDateMinuteToEpochMs(addDays(start, 7), 0, timeZone),
    });
  }
  return caps;
}

/** Leads a rep was given in each period, by period id; a period never counted is absent (0). */
export type PeriodCounts = Readonly<Record<string, number>>;

/** How many more leads the caps allow (Infinity without caps); never negative. */
export function periodRoom(caps: readonly PeriodCap[], given: PeriodCounts | undefined): number {
  let room = Number.POSITIVE_INFINITY;
  for (const cap of caps) room = Math.min(room, Math.max(0, cap.max - (given?.[cap.id] ?? 0)));
  return room;
}

/** `daily cap 20 reached (Wed 2026-12-02 America/Toronto)` for the first cap reached, else undefined. */
export function periodCapReached(
  caps: readonly PeriodCap[],
  given: PeriodCounts | undefined,
): string | undefined {
  const cap = caps.find((c) => (given?.[c.id] ?? 0) >= c.max);
  return cap ? describeCapReached(cap) : undefined;
}

export function describeCapReached(cap: Pick<PeriodCap, 'period' | 'max' | 'label'>): string {
  return `${cap.period === 'day' ? 'daily' : 'weekly'} cap ${cap.max} reached (${cap.label})`;
}

function dayName(date: string): string {
  const name = WEEKDAYS[weekdayOf(date)]!;
  return `${name[0]!.toUpperCase()}${name.slice(1)}`;
}
