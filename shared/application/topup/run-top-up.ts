import { type PeriodCounts, periodCapsAt } from '../../domain/availability/periods.js';
import {
  type CapacityConfig,
  headroomForRun,
  type LeadCounts,
  newLimitByRatio,
  rulesFor,
  type StoredLeadCounts,
} from '../../domain/capacity/capacity.js';
import { toId18 } from '../../domain/salesforce-id.js';
import { startClock } from '../../domain/sla/index.js';
import type { CompiledModel } from '../../domain/territory/compile-model.js';
import type { Lead } from '../../domain/territory/lead.js';
import {
  type Allocation,
  type AllocationInput,
  allocateTopUp,
  type LeftInPool,
  type PoolLead,
  type PoolOrder,
  repOutcomes,
  type TopUpPlan,
  type TopUpRep,
  unavailability,
} from '../../domain/topup/allocate.js';
import { distributionIncrements } from '../../domain/topup/distribution-counts.js';
import {
  NO_PERFORMANCE_DATA,
  type PerformanceWeights,
  performanceScore,
} from '../../domain/topup/performance.js';
import { describeRun, summarizeLeft, type TopUpRunSummary } from '../../domain/topup/run.js';
import type { AssignmentLedger, RepCounters } from '../../ports/assignment-ledger.js';
import type {
  CrmBulkOwnerWriter,
  CrmLeadCounts,
  CrmLeadPool,
  CrmRepPerformance,
  LeadPoolRead,
} from '../../ports/crm.js';
import type { Notifier } from '../../ports/notifier.js';
import type { Outbox } from '../../ports/outbox.js';
import type { RepCounterStore } from '../../ports/rep-counters.js';
import type { RunLease } from '../../ports/run-lease.js';
import type { TopUpRunStore } from '../../ports/top-up-runs.js';
import { crmOpenLeadCounts, reconcileRepCounters } from '../capacity/reconcile-counters.js';
import type { ProductionModel } from '../territories/production-model.js';
import { applyAllocations } from './apply-allocations.js';
import { type BulkWriteBackSummary, writeOwnersInBulk } from './bulk-write-back.js';

export const TOP_UP_LEASE = 'top-up';

export interface TopUpSettings {
  /** Queues the pool is read from. */
  poolQueueIds: string[];
  poolOrder: PoolOrder;
  poolLimit: number;
  /** More allocations than this are written with Bulk API 2.0 (when a bulk writer is wired). */
  bulkThreshold: number;
  /** Bulk-held outbox items wait this long before the sweeper takes over (longer than the job's poll). */
  bulkHoldMs: number;
  leaseMs: number;
  weights: PerformanceWeights;
  /** Owners the write-back may replace: intake queues and integration user; the pool queues and the model's default queue are added. */
  replaceableOwnerIds: string[];
  reasonMaxLength: number;
  /** Reps written in parallel while applying (default 8). */
  applyConcurrency?: number;
}

export interface TopUpDeps {
  model: () => Promise<ProductionModel | undefined>;
  leadCounts: CrmLeadCounts;
  pool: CrmLeadPool;
  performance: CrmRepPerformance;
  counters: RepCounterStore;
  ledger: Pick<
    AssignmentLedger,
    'repCounters' | 'recordAssignment' | 'priorDeliveries' | 'addDistributionCounts'
  >;
  lease: RunLease;
  runs: TopUpRunStore;
  outbox: Pick<Outbox, 'settle' | 'reschedule'>;
  bulk?: CrmBulkOwnerWriter;
  notifier?: Notifier;
  capacity: CapacityConfig;
  settings: TopUpSettings;
  now: () => Date;
  newId: () => string;
  /** Checks the org can take the run's writes (the reason field exists); throws a clear error if not. */
  preflight?: () => Promise<void>;
}

export interface TopUpProgress {
  phase: 'apply' | 'write-back';
  done: number;
  total: number;
}

export interface TopUpOptions {
  /** Compute and report only: no lease, no reconcile, no writes. */
  dryRun?: boolean;
  onProgress?: (progress: TopUpProgress) => void;
}

export type TopUpOutcome =
  | { status: 'completed'; runId: string; summary: TopUpRunSummary; plan: TopUpPlan; warnings: string[] }
  | { status: 'already-running'; runId: string; heldBy: string; until: string }
  | { status: 'skipped'; runId: string; reason: string };

/**
 * One top-up run (README "Capacity and top-up"): take the lease; reconcile counters to Salesforce; score reps;
 * read the pool; allocate (pure); record each allocation through the capacity-conditioned
 * transaction; write owners through the outbox, or one Bulk API job for a large run; store the
 * summary and tell Slack. A dry run computes the same plan from the same reads and writes nothing.
 */
export async function runTopUp(options: TopUpOptions, deps: TopUpDeps): Promise<TopUpOutcome> {
  const started = deps.now();
  const runId = `${started.toISOString().replace(/[-:]/g, '').slice(0, 13)}Z-${deps.newId().replace(/-/g, '').slice(0, 6)}`;
  const dryRun = options.dryRun === true;
  const { settings } = deps;
  await deps.preflight?.();

  if (!dryRun) {
    const lease = await deps.lease.acquire(TOP_UP_LEASE, runId, started, settings.leaseMs);
    if (!lease.acquired)
      return { status: 'already-running', runId, heldBy: lease.holder, until: lease.until };
  }
  try {
    const production = await deps.model();
    if (!production) return { status: 'skipped', runId, reason: 'No territory model in production' };
    const model = production.compiled;
    const repIds = participantsOf(model);

    const caps = new Map(
      repIds.map((id) => [
        id,
        periodCapsAt(
          rulesFor(deps.capacity, id),
          model.reps.get(id)?.calendar.timeZone ?? model.model.timeZone,
          started.getTime(),
        ),
      ]),
    );
    const periods = new Map(
      [...caps].filter(([, c]) => c.length > 0).map(([id, c]) => [id, c.map((cap) => cap.id)]),
    );
    const { counts, periodGiven } = dryRun
      ? await countsWithoutWriting(repIds, periods, deps)
      : await reconciledCounts(repIds, periods, deps);
    const inputs = await deps.performance.performanceInputs(repIds, started);
    const reps = new Map<string, TopUpRep>(
      repIds.map((id) => [
        id,
        {
          id,
          counts: counts.get(id) ?? { open: 0, new: 0, inProgress: 0, newLimitByRatio: 0 },
          rules: rulesFor(deps.capacity, id),
          performance: performanceScore(inputs.get(id) ?? NO_PERFORMANCE_DATA, settings.weights),
          ...(periods.has(id) ? { periods: { caps: caps.get(id)!, given: periodGiven.get(id) ?? {} } } : {}),
        },
      ]),
    );

    // Nobody can take a lead: don't read the pool at all.
    const budget = [...reps.values()].reduce((sum, rep) => {
      const compiled = model.reps.get(rep.id);
      const available = compiled !== undefined && !unavailability(compiled, started.getTime());
      return sum + (available ? headroomForRun(rep.counts, rep.rules) : 0);
    }, 0);
    const read: LeadPoolRead =
      budget > 0
        ? await deps.pool.unassignedLeads({
            queueIds: settings.poolQueueIds,
            order: settings.poolOrder,
            limit: settings.poolLimit,
            closedStatuses: deps.capacity.statuses.closed,
          })
        : { leads: [], order: settings.poolOrder, notes: [] };
    const pool: PoolLead[] = read.leads;

    const { plan, allocationInput } = await planAvoidingAssigned(
      { runId, model, reps, pool, order: read.order, now: started },
      model.defaultOwner.id,
      deps,
    );
    const summaryBase = {
      runId,
      dryRun,
      startedAt: started.toISOString(),
      modelVersion: production.version,
      pool: {
        read: pool.length,
        order: read.order,
        ...(budget === 0 ? { skippedRead: 'No rep has headroom' } : {}),
      },
      planned: plan.allocations.length,
      ...(read.notes.length ? { notes: read.notes } : {}),
    };

    if (dryRun) {
      const summary = finish(summaryBase, deps, plan.allocations.length, plan.leftInPool, plan.reps, {
        mode: 'none',
      });
      return { status: 'completed', runId, summary, plan, warnings: [] };
    }

    if (!(await deps.lease.renew(TOP_UP_LEASE, runId, deps.now(), settings.leaseMs))) {
      return {
        status: 'skipped',
        runId,
        reason: 'The run lease expired and another run took it; nothing applied',
      };
    }
    const replaceableOwnerIds = [
      ...new Set(
        [
          ...settings.replaceableOwnerIds,
          ...settings.poolQueueIds,
          ...(model.defaultOwner.kind === 'queue' ? [model.defaultOwner.id] : []),
        ].map(toId18),
      ),
    ];
    const bulk = deps.bulk && plan.allocations.length > settings.bulkThreshold ? deps.bulk : undefined;
    const heldForBulkUntil = bulk
      ? new Date(deps.now().getTime() + settings.bulkHoldMs).toISOString()
      : undefined;
    const fieldsOf = new Map(pool.map((lead) => [lead.id, lead.fields]));
    const result = await applyAllocations(plan.allocations, {
      slaClock: (a, at) =>
        startClock(model, a.territoryId, a.repId, at.getTime(), routedFields(fieldsOf.get(a.leadId) ?? {})),
      ledger: deps.ledger,
      capacity: deps.capacity,
      runId,
      replaceableOwnerIds,
      now: deps.now,
      newId: deps.newId,
      concurrency: settings.applyConcurrency ?? 8,
      ...(heldForBulkUntil ? { heldForBulkUntil } : {}),
      ...(options.onProgress
        ? {
            onProgress: (done: number, total: number) =>
              options.onProgress?.({ phase: 'apply', done, total }),
          }
        : {}),
    });

    // Territories count what they distributed, whichever path gave the lead.
    for (const [territoryId, increments] of distributionIncrements(model, result.applied)) {
      await deps.ledger.addDistributionCounts(territoryId, increments, deps.now().toISOString());
    }

    let writeBack: TopUpRunSummary['writeBack'] = { mode: 'outbox' };
    if (bulk) {
      await deps.lease.renew(TOP_UP_LEASE, runId, deps.now(), settings.leaseMs);
      const written: BulkWriteBackSummary = await writeOwnersInBulk(result.applied, {
        bulk,
        outbox: deps.outbox,
        now: deps.now,
        reasonMaxLength: settings.reasonMaxLength,
        replaceableOwnerIds,
        ...(options.onProgress
          ? {
              onProgress: (done: number, total: number) =>
                options.onProgress?.({ phase: 'write-back', done, total }),
            }
          : {}),
      });
      writeBack = { mode: 'bulk', ...written };
    }

    const applied: Allocation[] = result.applied;
    const summary = finish(
      summaryBase,
      deps,
      applied.length,
      [...plan.leftInPool, ...result.left],
      repOutcomes(allocationInput, applied),
      writeBack,
    );
    const warnings: string[] = [];
    await deps.runs.save(summary);
    if (deps.notifier && (summary.allocated > 0 || (writeBack.failed ?? 0) > 0)) {
      try {
        await deps.notifier.notify({ text: describeRun(summary) });
      } catch (error) {
        warnings.push(`Slack notification failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { status: 'completed', runId, summary, plan, warnings };
  } finally {
    if (!dryRun) await deps.lease.release(TOP_UP_LEASE, runId);
  }
}

/** Re-planning stops after this many rounds; the database condition still refuses what is left. */
const MAX_PLAN_ROUNDS = 10;

/**
 * Leads still in the queue in Salesforce may already be assigned to a rep here (their write-back
 * is pending or retrying). Check only the planned leads (one batched read per 100), drop those
 * and plan again, so a rep's headroom is not spent on leads the database would refuse. A lead
 * intake parked with the default owner stays in: top-up may take it over.
 */
async function planAvoidingAssigned(
  input: AllocationInput,
  defaultOwnerId: string,
  deps: Pick<TopUpDeps, 'ledger'>,
): Promise<{ plan: TopUpPlan; allocationInput: AllocationInput }> {
  const defaultOwner = toId18(defaultOwnerId);
  const assigned: LeftInPool[] = [];
  const excluded = new Set<string>();
  let current = input;
  for (let round = 1; ; round++) {
    const plan = allocateTopUp(current);
    const ids = plan.allocations.map((a) => a.leadId);
    const prior = ids.length
      ? await deps.ledger.priorDeliveries([], ids)
      : { leads: new Map<string, string>() };
    const taken = [...prior.leads].filter(([, owner]) => toId18(owner) !== defaultOwner);
    if (taken.length === 0 || round === MAX_PLAN_ROUNDS) {
      return { plan: { ...plan, leftInPool: [...assigned, ...plan.leftInPool] }, allocationInput: current };
    }
    for (const [leadId, owner] of taken) {
      excluded.add(leadId);
      assigned.push({
        leadId,
        reason: 'already-assigned',
        detail: `Already assigned to ${owner} here; its write-back is pending`,
      });
    }
    current = { ...input, pool: input.pool.filter((l) => !excluded.has(l.id)) };
  }
}

/** Reps who can receive leads: participants of the active groups of active territories. */
function participantsOf(model: CompiledModel): string[] {
  const ids = new Set<string>();
  for (const t of model.territories)
    for (const g of t.groups) if (g.active) for (const p of g.participants) ids.add(p.id);
  return [...ids].sort();
}

interface RunCounts {
  counts: Map<string, StoredLeadCounts>;
  /** Leads given in each rep's current day and week (the period counters). */
  periodGiven: Map<string, PeriodCounts>;
}

const periodGivenOf = (stored: Map<string, RepCounters>) =>
  new Map([...stored].map(([id, c]) => [id, c.periodGiven ?? {}]));

/** Reconcile to Salesforce, then read back what the database holds (it includes concurrent intake). */
async function reconciledCounts(
  repIds: string[],
  periods: ReadonlyMap<string, readonly string[]>,
  deps: TopUpDeps,
): Promise<RunCounts> {
  await reconcileRepCounters(repIds, {
    crm: deps.leadCounts,
    counters: deps.counters,
    capacity: deps.capacity,
    now: deps.now,
  });
  const stored = await deps.ledger.repCounters(repIds, periods);
  const counts = new Map(
    repIds.map((id) => {
      const c = stored.get(id);
      return [
        id,
        c
          ? {
              open: c.openLeads,
              new: c.newLeads,
              inProgress: c.inProgressLeads,
              newLimitByRatio: c.newLimitByRatio,
            }
          : {
              open: 0,
              new: 0,
              inProgress: 0,
              newLimitByRatio: newLimitByRatio(0, rulesFor(deps.capacity, id)),
            },
      ];
    }),
  );
  return { counts, periodGiven: periodGivenOf(stored) };
}

/** What reconciliation would set, without writing: Salesforce's counts plus leads still in flight. */
async function countsWithoutWriting(
  repIds: string[],
  periods: ReadonlyMap<string, readonly string[]>,
  deps: TopUpDeps,
): Promise<RunCounts> {
  const [crm, stored] = await Promise.all([
    crmOpenLeadCounts(repIds, { crm: deps.leadCounts, capacity: deps.capacity }),
    deps.ledger.repCounters(repIds, periods),
  ]);
  const counts = new Map(
    repIds.map((id) => {
      const c: LeadCounts = crm.get(id) ?? { open: 0, new: 0, inProgress: 0 };
      const pending = stored.get(id)?.pending ?? 0;
      return [
        id,
        {
          open: c.open + pending,
          new: c.new + pending,
          inProgress: c.inProgress,
          newLimitByRatio: newLimitByRatio(c.inProgress, rulesFor(deps.capacity, id)),
        },
      ];
    }),
  );
  return { counts, periodGiven: periodGivenOf(stored) };
}

function finish(
  base: Omit<
    TopUpRunSummary,
    'finishedAt' | 'durationMs' | 'allocated' | 'leftInPool' | 'reps' | 'writeBack'
  >,
  deps: Pick<TopUpDeps, 'now'>,
  allocated: number,
  left: TopUpPlan['leftInPool'],
  reps: TopUpRunSummary['reps'],
  writeBack: TopUpRunSummary['writeBack'],
): TopUpRunSummary {
  const finished = deps.now();
  return {
    ...base,
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - Date.parse(base.startedAt),
    allocated,
    leftInPool: summarizeLeft(left),
    reps,
    writeBack,
  };
}

/** The pool lead's rule fields as an SLA clock keeps them, so a re-route can match the lead again. */
function routedFields(fields: Lead): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, v === null ? null : String(v)]),
  );
}
