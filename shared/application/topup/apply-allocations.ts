import { describeCapReached } from '../../domain/availability/periods.js';
import { type CapacityConfig, newLimitByRatio, rulesFor } from '../../domain/capacity/capacity.js';
import type { Allocation, LeftInPool } from '../../domain/topup/allocate.js';
import type { AssignmentLedger, SlaClockStart } from '../../ports/assignment-ledger.js';
import { ConcurrentWriteError } from '../../ports/write-conflict.js';

export interface AppliedAllocation extends Allocation {
  /** The outbox item's id, for settling it after a Bulk API write. */
  readonly changeId: string;
  readonly at: string;
}

export interface ApplyContext {
  ledger: Pick<AssignmentLedger, 'recordAssignment'>;
  capacity: CapacityConfig;
  runId: string;
  replaceableOwnerIds: string[];
  now: () => Date;
  newId: () => string;
  /** Set when a Bulk API job will write these owners (the outbox items are held until then). */
  heldForBulkUntil?: string;
  /** Reps written in parallel; one rep's leads always go one after another. */
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
  /** The SLA clock of a lead given now, when its territory has an SLA (started in the same transaction). */
  slaClock?: (allocation: Allocation, at: Date) => SlaClockStart | undefined;
}

export interface ApplyResult {
  applied: AppliedAllocation[];
  left: LeftInPool[];
}

/** Two writers touched the same rep item at once; DynamoDB cancels one, and a retry succeeds. */
const MAX_CONFLICT_RETRIES = 6;

/**
 * Every planned allocation through the same conditional transaction as intake (counters with the
 * caps in the condition, assignment, audit, outbox item), so a concurrent intake that filled a
 * rep meanwhile makes the database refuse rather than pass a cap. A refusal leaves the lead in
 * the pool with the reason, for the next run.
 */
export async function applyAllocations(
  allocations: readonly Allocation[],
  ctx: ApplyContext,
): Promise<ApplyResult> {
  const byRep = new Map<string, Allocation[]>();
  for (const a of allocations) {
    const list = byRep.get(a.repId);
    if (list) list.push(a);
    else byRep.set(a.repId, [a]);
  }
  const applied: AppliedAllocation[] = [];
  const left: LeftInPool[] = [];
  let done = 0;
  const tick = () => ctx.onProgress?.(++done, allocations.length);

  const applyRep = async (list: Allocation[]) => {
    const rules = rulesFor(ctx.capacity, list[0]!.repId);
    let full: string | undefined;
    for (const allocation of list) {
      if (full) {
        left.push({ leadId: allocation.leadId, reason: 'capacity-reached', detail: full });
        tick();
        continue;
      }
      const changeId = ctx.newId();
      const now = ctx.now();
      const at = now.toISOString();
      const slaClock = ctx.slaClock?.(allocation, now);
      let result: Awaited<ReturnType<ApplyContext['ledger']['recordAssignment']>>;
      try {
        result = await withConflictRetry(() =>
          ctx.ledger.recordAssignment({
            leadId: allocation.leadId,
            previousOwnerId: allocation.previousOwnerId,
            ownerId: allocation.repId,
            ownerKind: 'rep',
            territoryId: allocation.territoryId,
            reason: allocation.reason,
            // The same shape as intake's trace, so `explain` reads both alike; the score stays here, never in the reason.
            trace: {
              runId: ctx.runId,
              territory: {
                id: allocation.territoryId,
                name: allocation.territoryName,
                ...allocation.match,
              },
              method: 'top-up',
              selection: 'fewest leads this run relative to performance, within headroom',
              chosen: { repId: allocation.repId },
              performance: allocation.performance,
              counters: [allocation.counters],
            },
            source: 'top-up',
            capacity: {
              maxOpen: rules.maxOpen,
              maxNew: rules.maxNew,
              initialNewLimitByRatio: newLimitByRatio(0, rules),
              ...(allocation.periodCaps ? { periods: allocation.periodCaps } : {}),
            },
            replaceableOwnerIds: ctx.replaceableOwnerIds,
            at,
            changeId,
            runId: ctx.runId,
            replacesDefaultOwner: true,
            ...(slaClock ? { slaClock } : {}),
            ...(ctx.heldForBulkUntil ? { heldForBulkUntil: ctx.heldForBulkUntil } : {}),
          }),
        );
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        left.push({
          leadId: allocation.leadId,
          reason: 'not-recorded',
          detail: `Not recorded (${name}); next run retries`,
        });
        tick();
        continue;
      }
      if (result.ok) {
        applied.push({ ...allocation, changeId, at });
      } else if (result.conflict === 'capacity') {
        full = result.periodCap
          ? `${allocation.repName}: ${describeCapReached(result.periodCap)} meanwhile (concurrent intake); waits for the next run`
          : `${allocation.repName} reached capacity meanwhile (concurrent intake); waits for the next run`;
        left.push({ leadId: allocation.leadId, reason: 'capacity-reached', detail: full });
      } else {
        left.push({
          leadId: allocation.leadId,
          reason: 'already-assigned',
          detail: 'Assigned to a rep meanwhile (intake or an earlier run whose write-back is pending)',
        });
      }
      tick();
    }
  };

  const queues = [...byRep.values()];
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(ctx.concurrency, queues.length)) }, async () => {
    while (next < queues.length) await applyRep(queues[next++]!);
  });
  await Promise.all(workers);
  return { applied, left };
}

async function withConflictRetry<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof ConcurrentWriteError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
    }
  }
}
