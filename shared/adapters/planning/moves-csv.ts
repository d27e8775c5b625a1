import { stringify } from 'csv-stringify/sync';
import type { TerritoryPlan } from '../../domain/planning/plan.js';

export const MOVES_COLUMNS = [
  'recordId',
  'objectType',
  'fromOwnerId',
  'toOwnerId',
  'reason',
  'effectiveDate',
] as const;

/** The transition as the moves file `territory-router reassign` accepts (one row per account). */
export function renderMovesCsv(plan: TerritoryPlan): string {
  const label = `Territory plan ${plan.asOf}`;
  return stringify(
    plan.transition.moves.map((move) => ({
      recordId: move.accountId,
      objectType: 'Account',
      fromOwnerId: move.fromRepId ?? '',
      toOwnerId: move.toRepId,
      reason: `${label}: ${move.reason}`,
      effectiveDate: plan.transition.effectiveDate,
    })),
    { header: true, columns: [...MOVES_COLUMNS] },
  );
}
