import type { CompiledCalendar, ShiftInstance } from './calendar.js';
import { addDays, formatLocal, localTimeAt } from './zoned-time.js';

/**
 * Whether a rep can take a lead at an instant, and why in words. Pure: the moment is an argument.
 * Order of reasons: inactive, out of office, then the calendar — a shift belongs to the day it
 * starts, so a night shift that began the evening before a holiday runs to its end.
 */
export interface OutOfOfficeSpan {
  readonly fromMs: number;
  readonly toMs: number;
  /** The window's `to` as written, for the reason (`out of office until 2026-12-30`). */
  readonly until: string;
}

export interface RepSchedule {
  readonly active: boolean;
  readonly outOfOffice: readonly OutOfOfficeSpan[];
  readonly calendar: CompiledCalendar;
}

export type AvailabilityStatus =
  | 'available'
  | 'inactive'
  | 'out-of-office'
  | 'holiday'
  | 'day-off'
  | 'outside-hours';

export interface Availability {
  readonly available: boolean;
  readonly status: AvailabilityStatus;
  /** e.g. `holiday: Christmas Day (CA-ON)`, `outside working hours: Mon 22:00 America/Toronto`. */
  readonly reason: string;
}

export function outOfOfficeAt(rep: RepSchedule, atMs: number): OutOfOfficeSpan | undefined {
  return rep.outOfOffice.find((w) => w.fromMs <= atMs && atMs < w.toMs);
}

/** The shift (of the local date or the one before, for shifts past midnight) that holds the instant. */
export function shiftAt(calendar: CompiledCalendar, atMs: number): ShiftInstance | undefined {
  const today = localTimeAt(atMs, calendar.timeZone).date;
  for (const date of [today, addDays(today, -1)]) {
    for (const shift of calendar.shiftsOn(date))
      if (shift.startMs <= atMs && atMs < shift.endMs) return shift;
  }
  return undefined;
}

const ALWAYS: Availability = {
  available: true,
  status: 'available',
  reason: 'available: no working hours set',
};

export function availabilityAt(rep: RepSchedule, atMs: number): Availability {
  if (!rep.active) return { available: false, status: 'inactive', reason: 'inactive' };
  const away = outOfOfficeAt(rep, atMs);
  if (away) return { available: false, status: 'out-of-office', reason: `out of office until ${away.until}` };
  const { calendar } = rep;
  // Most models have no calendars: skip the zone arithmetic for reps who work every hour.
  if (!calendar.week && calendar.holidayRegions.length === 0 && calendar.daysOff.size === 0) {
    return ALWAYS;
  }
  const local = localTimeAt(atMs, calendar.timeZone);
  const shift = shiftAt(calendar, atMs);
  const off = calendar.dayOff(shift?.date ?? local.date);
  if (off) return { available: false, status: off.kind, reason: off.reason };
  if (!shift) {
    return {
      available: false,
      status: 'outside-hours',
      reason: `outside working hours: ${formatLocal(local)} ${calendar.timeZone}`,
    };
  }
  return {
    available: true,
    status: 'available',
    reason: calendar.week
      ? `on shift: ${formatLocal(local)} ${calendar.timeZone} (${shift.label})`
      : 'available: no working hours set',
  };
}
