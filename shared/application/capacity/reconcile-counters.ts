import {
  type CapacityConfig,
  type LeadCounts,
  newLimitByRatio,
  rulesFor,
  statusCategory,
} from '../../domain/capacity/capacity.js';
import type { CrmLeadCounts } from '../../ports/crm.js';
import type { RepCounterStore } from '../../ports/rep-counters.js';

export interface ReconcileResult {
  reps: number;
  counts: Map<string, LeadCounts>;
}

/**
 * Salesforce is the source of truth for open-lead counts: read them with one aggregate query
 * (by owner and status) and set each rep's counters, keeping leads still in flight. The reconcile
 * window opens before the query, so a write-back landing meanwhile is never lost (DynamoRepCounters).
 */
export async function reconcileRepCounters(
  repIds: string[],
  deps: { crm: CrmLeadCounts; counters: RepCounterStore; capacity: CapacityConfig; now: () => Date },
): Promise<ReconcileResult> {
  await deps.counters.beginReconcile(repIds);
  const counts = await crmOpenLeadCounts(repIds, deps);
  const at = deps.now().toISOString();
  for (const [repId, c] of counts) {
    await deps.counters.reconcile(
      repId,
      c,
      newLimitByRatio(c.inProgress, rulesFor(deps.capacity, repId)),
      at,
    );
  }
  return { reps: counts.size, counts };
}

/** Open-lead counts per rep as Salesforce has them (new and in-progress statuses), without writing. */
export async function crmOpenLeadCounts(
  repIds: string[],
  deps: { crm: CrmLeadCounts; capacity: CapacityConfig },
): Promise<Map<string, LeadCounts>> {
  const openStatuses = [...deps.capacity.statuses.new, ...deps.capacity.statuses.inProgress];
  const rows = repIds.length ? await deps.crm.leadCountsByOwnerAndStatus(repIds, openStatuses) : [];
  const counts = new Map<string, LeadCounts>(repIds.map((id) => [id, { open: 0, new: 0, inProgress: 0 }]));
  for (const row of rows) {
    const c = counts.get(row.ownerId);
    if (!c) continue;
    const category = statusCategory(deps.capacity, row.status);
    if (category === 'new') c.new += row.count;
    else if (category === 'inProgress') c.inProgress += row.count;
    else continue;
    c.open += row.count;
  }
  return counts;
}
