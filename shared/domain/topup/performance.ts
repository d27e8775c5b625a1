import * as z from 'zod';

/**
 * A rep's performance for top-up ordering (README "Capacity and top-up"): how much of what they receive they work
 * (activity/contact ratio) and how healthy their open pipeline is, combined with configurable
 * weights into a score from 0 to 1.
 */
export const performanceWeightsSchema = z
  .object({
    activity: z.number().min(0).default(0.6),
    pipeline: z.number().min(0).default(0.4),
  })
  .refine((w) => w.activity + w.pipeline > 0, { message: 'at least one weight must be positive' });
export type PerformanceWeights = z.output<typeof performanceWeightsSchema>;

export const DEFAULT_PERFORMANCE_WEIGHTS: PerformanceWeights = performanceWeightsSchema.parse({});

/** What the CRM says about one rep over the lookback window. */
export interface PerformanceInputs {
  /** Leads the rep received in the window. */
  leadsReceived: number;
  /** Of those, leads with any logged activity (a call, an e-mail, a meeting). */
  leadsWorked: number;
  /** Open opportunities the rep owns. */
  openOpportunities: number;
  /** Of those, opportunities whose close date has already passed (stale pipeline). */
  overdueOpportunities: number;
}

/** A rep with nothing to judge yet (new hire, no pipeline) is treated as average, not as the worst. */
export const NEUTRAL_SCORE = 0.5;

export const NO_PERFORMANCE_DATA: PerformanceInputs = {
  leadsReceived: 0,
  leadsWorked: 0,
  openOpportunities: 0,
  overdueOpportunities: 0,
};

export function activityRatio(inputs: PerformanceInputs): number {
  if (inputs.leadsReceived <= 0) return NEUTRAL_SCORE;
  return clamp01(inputs.leadsWorked / inputs.leadsReceived);
}

export function pipelineHealth(inputs: PerformanceInputs): number {
  if (inputs.openOpportunities <= 0) return NEUTRAL_SCORE;
  return clamp01((inputs.openOpportunities - inputs.overdueOpportunities) / inputs.openOpportunities);
}

/** Weighted mean of the activity ratio and pipeline health, in [0, 1]. */
export function performanceScore(inputs: PerformanceInputs, weights: PerformanceWeights): number {
  const total = weights.activity + weights.pipeline;
  return (weights.activity * activityRatio(inputs) + weights.pipeline * pipelineHealth(inputs)) / total;
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}
