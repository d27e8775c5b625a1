import { type PeriodCap, type PeriodCounts, periodRoom } from '../availability/periods.js';
import { type CapacityRules, headroomForRun, type StoredLeadCounts } from '../capacity/capacity.js';

/**
 * A rep's counters against their caps at the moment of a routing decision. The decision trace
 * keeps them for `explain`; the reason written to Salesforce never does (reps read that field).
 */
export interface CountersAgainstCaps {
  readonly repId: string;
  readonly repName: string;
  readonly open: number;
  readonly maxOpen: number;
  readonly new: number;
  readonly maxNew: number;
  readonly inProgress: number;
  /** Largest new count the in-progress ratio rule allows with this many in progress. */
  readonly newLimitByRatio: number;
  /** How many more leads the store's capacity condition would accept one after another. */
  readonly headroom: number;
  /** Per-day / per-week caps of the rep's current local periods, with what was given in each. */
  readonly periods?: readonly PeriodAgainstCap[];
}

export interface PeriodAgainstCap {
  readonly period: PeriodCap['period'];
  readonly label: string;
  readonly given: number;
  readonly max: number;
}

export function countersAgainstCaps(
  rep: { id: string; name: string },
  counts: StoredLeadCounts,
  rules: CapacityRules,
  periods: { caps: readonly PeriodCap[]; given: PeriodCounts | undefined } = { caps: [], given: undefined },
): CountersAgainstCaps {
  const { caps, given } = periods;
  return {
    repId: rep.id,
    repName: rep.name,
    open: counts.open,
    maxOpen: rules.maxOpen,
    new: counts.new,
    maxNew: rules.maxNew,
    inProgress: counts.inProgress,
    newLimitByRatio: counts.newLimitByRatio,
    headroom: Math.min(headroomForRun(counts, rules), periodRoom(caps, given)),
    ...(caps.length
      ? {
          periods: caps.map((c) => ({
            period: c.period,
            label: c.label,
            given: given?.[c.id] ?? 0,
            max: c.max,
          })),
        }
      : {}),
  };
}

/**
 * `Priya Sharma: 12/250 open, 3/40 new, 9 in progress (ratio allows 7 new), 20/20 today (Wed 2026-12-02
 * America/Toronto), headroom 0`.
 */
export function formatCounters(c: CountersAgainstCaps): string {
  const ratio =
    c.newLimitByRatio >= Number.MAX_SAFE_INTEGER ? '' : ` (ratio allows ${c.newLimitByRatio} new)`;
  const periods = (c.periods ?? []).map(
    (p) => `, ${p.given}/${p.max} ${p.period === 'day' ? 'today' : 'this week'} (${p.label})`,
  );
  return `${c.repName}: ${c.open}/${c.maxOpen} open, ${c.new}/${c.maxNew} new, ${c.inProgress} in progress${ratio}${periods.join('')}, headroom ${c.headroom}`;
}

/** A rep the distribution chose whose capacity condition the database then refused (a concurrent writer filled it). */
export interface RefusedCandidate {
  readonly repId: string;
  readonly repName: string;
  readonly detail: string;
}
