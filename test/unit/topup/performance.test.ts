import { describe, expect, it } from 'vitest';
import {
  activityRatio,
  DEFAULT_PERFORMANCE_WEIGHTS,
  NO_PERFORMANCE_DATA,
  performanceScore,
  performanceWeightsSchema,
  pipelineHealth,
} from '../../../shared/domain/topup/performance.js';

const inputs = (received: number, worked: number, open: number, overdue: number) => ({
  leadsReceived: received,
  leadsWorked: worked,
  openOpportunities: open,
  overdueOpportunities: overdue,
});

describe('performance', () => {
  it.each([
    ['works every lead, no overdue deals', inputs(50, 50, 10, 0), 1],
    ['works half, half the deals overdue', inputs(50, 25, 10, 5), 0.5],
    ['works none, every deal overdue', inputs(50, 0, 4, 4), 0],
    ['works 80%, no pipeline yet (neutral)', inputs(10, 8, 0, 0), 0.6 * 0.8 + 0.4 * 0.5],
    ['a new rep with nothing to judge is average', NO_PERFORMANCE_DATA, 0.5],
  ])('%s', (_name, i, expected) => {
    expect(performanceScore(i, DEFAULT_PERFORMANCE_WEIGHTS)).toBeCloseTo(expected, 10);
  });

  it('weighs activity and pipeline as configured', () => {
    const i = inputs(10, 10, 10, 10);
    expect(activityRatio(i)).toBe(1);
    expect(pipelineHealth(i)).toBe(0);
    expect(performanceScore(i, performanceWeightsSchema.parse({ activity: 1, pipeline: 0 }))).toBe(1);
    expect(performanceScore(i, performanceWeightsSchema.parse({ activity: 1, pipeline: 3 }))).toBe(0.25);
  });

  it('refuses weights that are all zero', () => {
    expect(performanceWeightsSchema.safeParse({ activity: 0, pipeline: 0 }).success).toBe(false);
  });

  it('stays within 0..1 on inconsistent counts', () => {
    expect(performanceScore(inputs(5, 9, 3, 7), DEFAULT_PERFORMANCE_WEIGHTS)).toBeCloseTo(0.6, 10);
  });
});
