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
}

export function countersAgainstCaps(
  rep: { id: string; name: string },
  counts: StoredLeadCounts,
  rules: CapacityRules,
): CountersAgainstCaps {
  return {
    repId: rep.id,
    repName: rep.name,
    open: counts.open,
    maxOpen: rules.maxOpen,
    new: counts.new,
    maxNew: rules.maxNew,
    inProgress: counts.inProgress,
    newLimitByRatio: counts.newLimitByRatio,
    headroom: headroomForRun(counts, rules),
  };
}

/** `Priya Sharma: 12/250 open, 3/40 new, 9 in progress (ratio allows 7 new), headroom 4`. */
export function formatCounters(c: CountersAgainstCaps): string {
  const ratio =
    c.newLimitByRatio >= Number.MAX_SAFE_INTEGER ? '' : ` (ratio allows ${c.newLimitByRatio} new)`;
  return `${c.repName}: ${c.open}/${c.maxOpen} open, ${c.new}/${c.maxNew} new, ${c.inProgress} in progress${ratio}, headroom ${c.headroom}`;
}

/** A rep the distribution chose whose capacity condition the database then refused (a concurrent writer filled it). */
export interface RefusedCandidate {
  readonly repId: string;
  readonly repName: string;
  readonly detail: string;
}
