import * as z from 'zod';
import type { TerritoryPlan } from '../../domain/planning/plan.js';

const stats = z.object({
  mean: z.number(),
  stdDev: z.number(),
  coefficientOfVariation: z.number(),
  min: z.number(),
  max: z.number(),
  range: z.number(),
  balanceScore: z.number(),
});

const alignmentMetrics = z.object({
  revenuePotential: stats,
  accountCount: stats,
  workload: stats,
  growthPotential: stats,
  composite: stats,
  meanTravelKm: z.number(),
});

/**
 * The plan.json contract (issue 7): assignments, current and proposed metrics, the transition
 * and the coverage gaps. Further keys (meta, timeline, recommendations, territories...) are
 * informative; consumers must not depend on their absence.
 */
export const planJsonSchema = z.looseObject({
  assignments: z.array(z.object({ accountId: z.string(), repId: z.string() })),
  metrics: z.object({ current: alignmentMetrics, proposed: alignmentMetrics }),
  transition: z.looseObject({
    effectiveDate: z.string(),
    totalMoves: z.number().int(),
    affectedReps: z.number().int(),
    openDealsMoving: z.object({ accounts: z.number().int(), amount: z.number() }),
    arrMoving: z.number(),
    moves: z.array(
      z.looseObject({
        accountId: z.string(),
        fromRepId: z.string().nullable(),
        toRepId: z.string(),
        reason: z.string(),
      }),
    ),
    fromTo: z.array(
      z.looseObject({ fromRepId: z.string().nullable(), toRepId: z.string(), accounts: z.number() }),
    ),
  }),
  gaps: z.array(z.looseObject({ kind: z.enum(['unassigned', 'industry', 'region']), message: z.string() })),
});

export type PlanJson = z.output<typeof planJsonSchema>;

export function toPlanJson(plan: TerritoryPlan): Record<string, unknown> {
  const { transition } = plan;
  return {
    assignments: plan.assignments,
    metrics: plan.metrics,
    transition: {
      effectiveDate: transition.effectiveDate,
      totalMoves: transition.totalMoves,
      movesBetweenReps: transition.movesBetweenReps,
      orphanAssignments: transition.orphanAssignments,
      affectedReps: transition.affectedReps,
      openDealsMoving: transition.openDealsMoving,
      arrMoving: transition.arrMoving,
      revenuePotentialMoving: transition.revenuePotentialMoving,
      moves: transition.moves,
      fromTo: transition.fromTo,
      repChanges: transition.repChanges.filter((c) => c.gained + c.lost > 0),
      guardrails: {
        allowed: transition.guardrails.allowed.length,
        blocked: blockedWithRows(plan),
        violations: transition.guardrails.violations,
        requiredApprovals: transition.guardrails.requiredApprovals,
        opportunitiesStaying: transition.guardrails.opportunitiesStaying,
      },
    },
    gaps: plan.gaps,
    meta: {
      mode: plan.mode,
      asOf: plan.asOf,
      weights: plan.weights,
      rating: plan.rating,
      travelLowerBoundKm: plan.travelLowerBoundKm,
      searchPasses: plan.passes,
    },
    coverage: plan.coverage,
    timeline: plan.timeline,
    recommendations: plan.recommendations,
    warnings: plan.warnings,
    territories: plan.cards,
  };
}

/** guardrails.json: the guardrail result, each blocked move with its moves.csv row. */
export function guardrailsJson(plan: TerritoryPlan): Record<string, unknown> {
  return { ...plan.transition.guardrails, blocked: blockedWithRows(plan) };
}

function blockedWithRows(plan: TerritoryPlan) {
  const rowOf = new Map(plan.transition.moves.map((m) => [m.accountId, m.row]));
  return plan.transition.guardrails.blocked.map((b) => ({ row: rowOf.get(b.move.recordId) ?? null, ...b }));
}

/** JSON text with floats trimmed to 8 significant digits (integers untouched). */
export function stringifyPlan(value: unknown): string {
  return `${JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(8)) : v), 2)}\n`;
}
