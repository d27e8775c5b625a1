import type { RepSchedule } from './availability.js';
import { addDays, localTimeAt } from './zoned-time.js';

/**
 * Working time of a rep: the instants inside a shift, not on a holiday or day off, not out of
 * office. SLAs count it ("first touch within 60 working minutes") and so does speed-to-lead.
 */
export type Interval = readonly [startMs: number, endMs: number];

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Working intervals within [fromMs, toMs), sorted and disjoint. */
export function workingIntervals(rep: RepSchedule, fromMs: number, toMs: number): Interval[] {
  if (!rep.active || toMs <= fromMs) return [];
  const { calendar } = rep;
  const shifts: [number, number][] = [];
  // Shifts start at most a day before the local date of `fromMs` and cover it past midnight.
  let date = addDays(localTimeAt(fromMs, calendar.timeZone).date, -1);
  const lastDate = localTimeAt(toMs, calendar.timeZone).date;
  for (;;) {
    if (!calendar.dayOff(date)) {
      for (const s of calendar.shiftsOn(date)) {
        const start = Math.max(s.startMs, fromMs);
        const end = Math.min(s.endMs, toMs);
        if (start < end) shifts.push([start, end]);
      }
    }
    if (date >= lastDate) break;
    date = addDays(date, 1);
  }
  shifts.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of shifts) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return subtract(
    merged,
    rep.outOfOffice.map((w) => [w.fromMs, w.toMs] as const),
  );
}

function subtract(intervals: [number, number][], holes: readonly Interval[]): Interval[] {
  let out = intervals;
  for (const [holeStart, holeEnd] of holes) {
    if (holeEnd <= holeStart) continue;
    out = out.flatMap(([start, end]): [number, number][] => {
      if (holeEnd <= start || end <= holeStart) return [[start, end]];
      const pieces: [number, number][] = [];
      if (start < holeStart) pieces.push([start, holeStart]);
      if (holeEnd < end) pieces.push([holeEnd, end]);
      return pieces;
    });
  }
  return out;
}

/** Working minutes between two instants (fractional; 0 when `toMs` is not after `fromMs`). */
export function workingMinutesBetween(rep: RepSchedule, fromMs: number, toMs: number): number {
  let total = 0;
  for (const [start, end] of workingIntervals(rep, fromMs, toMs)) total += end - start;
  return total / MINUTE;
}

/**
 * The instant at which `minutes` working minutes have passed since `fromMs` (`fromMs` itself for
 * 0), or undefined when the rep has not that much working time within `horizonDays`.
 */
export function addWorkingMinutes(
  rep: RepSchedule,
  fromMs: number,
  minutes: number,
  horizonDays = 400,
): number | undefined {
  let remaining = minutes * MINUTE;
  if (remaining <= 0) return fromMs;
  const horizon = fromMs + horizonDays * DAY;
  // A week at a time: one lookup covers most SLAs, a holiday season takes a few.
  for (let cursor = fromMs; cursor < horizon; cursor += 7 * DAY) {
    for (const [start, end] of workingIntervals(rep, cursor, Math.min(cursor + 7 * DAY, horizon))) {
      if (end - start >= remaining) return start + remaining;
      remaining -= end - start;
    }
  }
  return undefined;
}

/** The first working instant at or after `fromMs` within the horizon. */
export function nextWorkingInstant(rep: RepSchedule, fromMs: number, horizonDays = 400): number | undefined {
  const horizon = fromMs + horizonDays * DAY;
  for (let cursor = fromMs; cursor < horizon; cursor += 7 * DAY) {
    const first = workingIntervals(rep, cursor, Math.min(cursor + 7 * DAY, horizon))[0];
    if (first) return first[0];
  }
  return undefined;
}
