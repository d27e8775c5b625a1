/**
 * SLAs on first touch — the public surface.
 *
 *   clockTimes(policy, rep, assignedAtMs)        // when the owner is warned and when the SLA falls due
 *   decideClock(clock, observation, context)     // the sweeper's pure decision for one due clock
 *   speedToLeadReport(rows, names)              // p50/p90 per rep and territory, breach rate
 */
export { clockTimes, nextCheckAt, type SlaClock, type SlaClockStatus } from './clock.js';
export { DEFAULT_SLA_ESCALATION, type SlaEscalation, type SlaPolicy } from './policy.js';
export {
  percentile,
  type SpeedGroup,
  type SpeedRow,
  type SpeedToLeadReport,
  speedToLeadReport,
} from './speed-to-lead.js';
export { type ClockStart, startClock } from './start.js';
export {
  type ClockDecision,
  decideClock,
  type LeadObservation,
  type SweepContext,
} from './sweep.js';
