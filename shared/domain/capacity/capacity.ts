import * as z from 'zod';
import { WEEKDAYS } from '../availability/zoned-time.js';

/**
 * Capacity rules per rep (README "Capacity and top-up"): a rep gets more leads only while under the open and new
 * caps and while working what they have (enough open leads in progress).
 */
const ruleFields = {
  maxOpen: z.number().int().min(0),
  maxNew: z.number().int().min(0),
  /** Share of open leads that must be in progress; 0.55 = 55%. */
  minInProgressRatio: z.number().min(0).max(1),
  /** At most this many leads a local day of the rep's time zone (intake, top-up, held-lead release); absent: none. */
  maxPerDay: z.number().int().min(0).optional(),
  /** At most this many leads a local week of the rep's time zone; absent: none. */
  maxPerWeek: z.number().int().min(0).optional(),
  /** The first day of the week `maxPerWeek` counts; default Monday. */
  weekStartsOn: z.enum(WEEKDAYS).optional(),
};

export const capacityRulesSchema = z.object({
  ...ruleFields,
  maxOpen: ruleFields.maxOpen.default(250),
  maxNew: ruleFields.maxNew.default(40),
  minInProgressRatio: ruleFields.minInProgressRatio.default(0.55),
});
export type CapacityRules = z.output<typeof capacityRulesSchema>;

export const DEFAULT_CAPACITY_RULES: CapacityRules = capacityRulesSchema.parse({});

export const capacityConfigSchema = z.object({
  defaults: capacityRulesSchema.default(DEFAULT_CAPACITY_RULES),
  /** Per-rep overrides by Salesforce user id; unspecified fields fall back to the defaults. */
  overrides: z.record(z.string(), z.object(ruleFields).partial()).default({}),
  /** Which Salesforce Lead statuses count as new (untouched), in progress, or closed. */
  statuses: z
    .object({
      new: z.array(z.string()).min(1).default(['Open - Not Contacted']),
      inProgress: z.array(z.string()).min(1).default(['Working - Contacted']),
      closed: z.array(z.string()).default(['Closed - Converted', 'Closed - Not Converted']),
    })
    .default({
      new: ['Open - Not Contacted'],
      inProgress: ['Working - Contacted'],
      closed: ['Closed - Converted', 'Closed - Not Converted'],
    }),
});
export type CapacityConfig = z.output<typeof capacityConfigSchema>;

export function rulesFor(config: CapacityConfig, repId: string): CapacityRules {
  return { ...config.defaults, ...(config.overrides[repId] ?? {}) };
}

export interface LeadCounts {
  /** Open = new + in progress. */
  open: number;
  new: number;
  inProgress: number;
}

export type StatusCategory = 'new' | 'inProgress' | 'closed' | 'unknown';

export function statusCategory(config: CapacityConfig, status: string): StatusCategory {
  const s = status.trim().toLowerCase();
  if (config.statuses.new.some((x) => x.toLowerCase() === s)) return 'new';
  if (config.statuses.inProgress.some((x) => x.toLowerCase() === s)) return 'inProgress';
  if (config.statuses.closed.some((x) => x.toLowerCase() === s)) return 'closed';
  return 'unknown';
}

/** True when the rep's share of in-progress leads meets the rule; no open leads never blocks. */
export function ratioRulePasses(counts: LeadCounts, rules: CapacityRules): boolean {
  if (counts.open === 0) return true;
  // Integer-safe form of inProgress / open >= ratio, so 55% of 20 is exactly 11.
  return counts.inProgress * 1e6 >= Math.round(rules.minInProgressRatio * 1e6) * counts.open;
}

/** Headroom = min(maxOpen − open, maxNew − new) when the ratio rule passes, else 0; never negative. */
export function headroom(counts: LeadCounts, rules: CapacityRules): number {
  if (!ratioRulePasses(counts, rules)) return 0;
  return Math.max(0, Math.min(rules.maxOpen - counts.open, rules.maxNew - counts.new));
}

/**
 * The largest number of new leads a rep may hold while the ratio rule still passes, given the
 * in-progress count. DynamoDB conditions cannot multiply, so the store keeps this derived bound
 * and intake (which only adds new leads) compares against it.
 * With open = new + inProgress: inProgress / open ≥ r  ⇔  new ≤ inProgress·(1 − r) / r.
 */
export function newLimitByRatio(inProgress: number, rules: CapacityRules): number {
  const r = rules.minInProgressRatio;
  if (r <= 0) return Number.MAX_SAFE_INTEGER;
  return Math.floor((inProgress * (1 - r)) / r + 1e-9);
}

export function describeCapacity(counts: LeadCounts, rules: CapacityRules): string {
  const pct = counts.open === 0 ? 100 : Math.round((counts.inProgress / counts.open) * 100);
  return `${counts.new}/${rules.maxNew} new, ${counts.open}/${rules.maxOpen} open, ${pct}% in progress, headroom ${headroom(counts, rules)}`;
}

/** Counts plus the ratio bound the store keeps beside them (see newLimitByRatio). */
export interface StoredLeadCounts extends LeadCounts {
  newLimitByRatio: number;
}

/**
 * How many leads a rep can take one after another, each passing the store's capacity condition
 * (open < maxOpen, new < maxNew and new ≤ newLimitByRatio, checked before every lead): the
 * headroom, further bounded by the ratio rule as the new leads arrive. Never more than `headroom`,
 * so a planned top-up is never refused by our own rule, only by someone else's concurrent write.
 */
export function headroomForRun(counts: StoredLeadCounts, rules: CapacityRules): number {
  const byRatio = counts.newLimitByRatio - counts.new + 1;
  return Math.max(0, Math.min(headroom(counts, rules), byRatio));
}
