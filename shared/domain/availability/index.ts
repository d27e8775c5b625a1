/**
 * Rep availability — the public surface.
 *
 *   const rep = compiledModel.reps.get(id);          // calendars compile with the territory model
 *   availabilityAt(rep, at)                          // { available, status, reason }
 *   addWorkingMinutes(rep, assignedAt, 60)            // when a 60-working-minute SLA falls due
 */
export {
  type Availability,
  type AvailabilityStatus,
  availabilityAt,
  type OutOfOfficeSpan,
  outOfOfficeAt,
  type RepSchedule,
  shiftAt,
} from './availability.js';
export {
  type CalendarFields,
  type CompiledCalendar,
  compileCalendar,
  type DayOff,
  normaliseWorkingHours,
  parseDays,
  parseShift,
  type ResolvedCalendar,
  type Shift,
  type ShiftInstance,
  type WorkingHours,
  type WorkingHoursInput,
} from './calendar.js';
export {
  type Holiday,
  type HolidayCalendar,
  type HolidayIndex,
  holidayIndex,
  MissingHolidayCalendarError,
  normaliseRegion,
  REGION_CODE,
} from './holidays.js';
export {
  type CapPeriod,
  describeCapReached,
  type PeriodCap,
  type PeriodCapRules,
  type PeriodCounts,
  periodCapReached,
  periodCapsAt,
  periodId,
  periodRoom,
} from './periods.js';
export {
  addWorkingMinutes,
  type Interval,
  nextWorkingInstant,
  workingIntervals,
  workingMinutesBetween,
} from './working-time.js';
export { isLocalDate, isTimeZone, localTimeAt } from './zoned-time.js';
