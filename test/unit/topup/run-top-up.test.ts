import { describe, expect, it } from 'vitest';
import { runTopUp, type TopUpDeps } from '../../../shared/application/topup/run-top-up.js';
import { capacityConfigSchema } from '../../../shared/domain/capacity/capacity.js';
import type { PoolLead } from '../../../shared/domain/topup/allocate.js';
import {
  DEFAULT_PERFORMANCE_WEIGHTS,
  type PerformanceInputs,
} from '../../../shared/domain/topup/performance.js';
import type { TopUpRunSummary } from '../../../shared/domain/topup/run.js';
import type {
  AssignmentWrite,
  AssignmentWriteResult,
  RepCounters,
} from '../../../shared/ports/assignment-ledger.js';
import type { OwnerUpdate, OwnerUpdateResult } from '../../../shared/ports/crm.js';
import type { OutboxItem, OutboxOutcome } from '../../../shared/ports/outbox.js';
import type { LeaseOutcome } from '../../../shared/ports/run-lease.js';
import { compiled, config, REVIEW_QUEUE as REVIEW, repId, reps } from '../territory/fixtures.js';

const NOW = new Date('2026-11-20T15:00:00Z');
const QUEUE = '00GTR00000000012AA';
const model = compiled(
  config({
    reps: reps(3),
    territories: [
      {
        id: 'gta',
        name: 'GTA',
        priority: 1,
        expression: 'PostalCode STARTS WITH "M"',
        participants: ['rep01', 'rep02', 'rep03'],
      },
    ],
  }),
);

/** Hand-written fakes for every port the run uses, recording what was written. */
function world(
  options: {
    newByRep?: number[];
    pool?: number;
    conflicts?: Map<string, AssignmentWriteResult>;
    /** Lead → owner already recorded here (intake, an earlier run). */
    assigned?: Array<[string, string]>;
  } = {},
) {
  const newByRep = options.newByRep ?? [0, 0, 0];
  const writes = {
    assignments: [] as AssignmentWrite[],
    distribution: [] as Array<{ territoryId: string; increments: Readonly<Record<string, number>> }>,
    reconciled: [] as string[],
    windows: 0,
    summaries: [] as TopUpRunSummary[],
    settled: [] as Array<[OutboxItem, OutboxOutcome]>,
    rescheduled: [] as OutboxItem[],
    bulk: [] as OwnerUpdate[][],
    notifications: [] as string[],
    leases: [] as string[],
  };
  const reads = { pool: 0 };
  let lease: { holder: string; until: number } | undefined;
  const pool: PoolLead[] = Array.from({ length: options.pool ?? 10 }, (_, i) => {
    const id = `00QTR${String(i + 1).padStart(10, '0')}`;
    return { id, ownerId: QUEUE, createdAtMs: i, score: null, fields: { Id: id, PostalCode: 'M5V 3L9' } };
  });
  const counters = (id: string, i: number): RepCounters => ({
    repId: id,
    openLeads: newByRep[i]! + 100,
    newLeads: newByRep[i]!,
    inProgressLeads: 100,
    newLimitByRatio: 81,
    pending: 0,
  });
  const deps: TopUpDeps = {
    model: async () => ({ version: 3, compiled: model }),
    leadCounts: {
      leadCountsByOwnerAndStatus: async (ids) =>
        ids.flatMap((id, i) => [
          { ownerId: id, status: 'Open - Not Contacted', count: newByRep[i] ?? 0 },
          { ownerId: id, status: 'Working - Contacted', count: 100 },
        ]),
    },
    pool: {
      unassignedLeads: async (query) => {
        reads.pool++;
        return { leads: pool, order: query.order, notes: [] };
      },
    },
    performance: {
      performanceInputs: async (ids) =>
        new Map<string, PerformanceInputs>(
          ids.map((id, i) => [
            id,
            { leadsReceived: 10, leadsWorked: 10 - i * 3, openOpportunities: 0, overdueOpportunities: 0 },
          ]),
        ),
    },
    counters: {
      beginReconcile: async () => {
        writes.windows++;
      },
      reconcile: async (id) => {
        writes.reconciled.push(id);
      },
    },
    ledger: {
      repCounters: async (ids) =>
        new Map(ids.map((id) => [id, counters(id, [repId(1), repId(2), repId(3)].indexOf(id))])),
      recordAssignment: async (w) => {
        const scripted = options.conflicts?.get(w.leadId);
        if (scripted) return scripted;
        writes.assignments.push(w);
        return { ok: true };
      },
      addDistributionCounts: async (territoryId, increments) => {
        writes.distribution.push({ territoryId, increments });
      },
      priorDeliveries: async (_notifications, leadIds) => ({
        deliveries: new Set<string>(),
        leads: new Map(
          [
            ...(options.assigned ?? []),
            ...writes.assignments.map((a): [string, string] => [a.leadId, a.ownerId]),
          ].filter(([id]) => leadIds.includes(id)),
        ),
      }),
    },
    lease: {
      acquire: async (_name, holder, now, ttl): Promise<LeaseOutcome> => {
        if (lease && lease.holder !== holder && lease.until > now.getTime())
          return { acquired: false, holder: lease.holder, until: new Date(lease.until).toISOString() };
        lease = { holder, until: now.getTime() + ttl };
        writes.leases.push(`acquire ${holder}`);
        return { acquired: true, until: new Date(lease.until).toISOString() };
      },
      renew: async (_name, holder) => lease?.holder === holder,
      release: async (_name, holder) => {
        if (lease?.holder === holder) lease = undefined;
        writes.leases.push(`release ${holder}`);
      },
    },
    runs: {
      save: async (s) => {
        writes.summaries.push(s);
      },
      latest: async () => writes.summaries,
    },
    outbox: {
      settle: async (item, outcome) => {
        writes.settled.push([item, outcome]);
      },
      reschedule: async (item) => {
        writes.rescheduled.push(item);
      },
    },
    bulk: {
      updateOwnersInBulk: async (updates): Promise<OwnerUpdateResult[]> => {
        writes.bulk.push(updates);
        return updates.map((u, i) =>
          i === 0
            ? {
                recordId: u.recordId,
                ok: false,
                errorCode: 'UNABLE_TO_LOCK_ROW',
                message: 'locked',
                retryable: true,
              }
            : i === 1
              ? {
                  recordId: u.recordId,
                  ok: false,
                  errorCode: 'ENTITY_IS_DELETED',
                  message: 'deleted',
                  retryable: false,
                }
              : { recordId: u.recordId, ok: true },
        );
      },
    },
    notifier: {
      notify: async (m) => {
        writes.notifications.push(m.text);
      },
    },
    capacity: capacityConfigSchema.parse({}),
    settings: {
      poolQueueIds: [QUEUE],
      poolOrder: 'oldest',
      poolLimit: 1000,
      bulkThreshold: 2000,
      bulkHoldMs: 60_000,
      leaseMs: 60_000,
      weights: DEFAULT_PERFORMANCE_WEIGHTS,
      replaceableOwnerIds: [QUEUE],
      reasonMaxLength: 255,
    },
    now: () => NOW,
    newId: (() => {
      let n = 0;
      return () => `id-${++n}`;
    })(),
  };
  return {
    deps,
    writes,
    reads,
    holdLease: (holder: string, until: Date) => {
      lease = { holder, until: until.getTime() };
    },
  };
}

describe('runTopUp', () => {
  it('allocates, records every allocation as a top-up with its run id, stores the summary and tells Slack', async () => {
    const w = world();
    const outcome = await runTopUp({}, w.deps);
    expect(outcome.status).toBe('completed');
    if (outcome.status !== 'completed') return;
    expect(w.writes.windows).toBe(1);
    expect(w.writes.reconciled).toHaveLength(3);
    expect(w.writes.assignments).toHaveLength(10);
    expect(w.writes.assignments[0]).toMatchObject({
      source: 'top-up',
      runId: outcome.runId,
      replacesDefaultOwner: true,
      ownerKind: 'rep',
      previousOwnerId: QUEUE,
      capacity: { maxOpen: 250, maxNew: 40 },
    });
    expect(w.writes.assignments[0]?.notificationId).toBeUndefined();
    expect(w.writes.assignments[0]?.heldForBulkUntil).toBeUndefined();
    expect(w.writes.summaries).toEqual([outcome.summary]);
    expect(outcome.summary).toMatchObject({ allocated: 10, planned: 10, writeBack: { mode: 'outbox' } });
    expect(w.writes.notifications[0]).toMatch(/^Top-up run \S+: 10 of 10 pool leads allocated/);
    expect(w.writes.leases).toEqual([`acquire ${outcome.runId}`, `release ${outcome.runId}`]);
    // Each territory counts what it distributed: 10 leads, each to one rep of one group.
    const added = w.writes.distribution.flatMap((d) => Object.entries(d.increments));
    const sum = (prefix: string) =>
      added.filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);
    expect(sum('total')).toBe(10);
    expect(sum('rep:')).toBe(10);
    expect(sum('group:')).toBe(10);
  });

  it('exits cleanly with already-running while another run holds the lease', async () => {
    const w = world();
    w.holdLease('other-run', new Date(NOW.getTime() + 30_000));
    const outcome = await runTopUp({}, w.deps);
    expect(outcome).toMatchObject({ status: 'already-running', heldBy: 'other-run' });
    expect(w.writes.assignments).toEqual([]);
    expect(w.writes.windows).toBe(0);
    expect(w.reads.pool).toBe(0);
  });

  it('takes over a lease whose holder crashed and let it expire', async () => {
    const w = world();
    w.holdLease('crashed-run', new Date(NOW.getTime() - 1));
    expect((await runTopUp({}, w.deps)).status).toBe('completed');
  });

  it('in a dry run reads and plans but writes nothing, not even the lease', async () => {
    const w = world();
    const dry = await runTopUp({ dryRun: true }, w.deps);
    expect(dry.status).toBe('completed');
    expect(w.writes).toMatchObject({
      assignments: [],
      distribution: [],
      reconciled: [],
      windows: 0,
      summaries: [],
      notifications: [],
      leases: [],
    });
    if (dry.status !== 'completed') return;
    expect(dry.summary).toMatchObject({ dryRun: true, allocated: 10, writeBack: { mode: 'none' } });
    const real = await runTopUp({}, world().deps);
    if (real.status !== 'completed') throw new Error(real.status);
    expect(real.plan.allocations.map((a) => [a.leadId, a.repId])).toEqual(
      dry.plan.allocations.map((a) => [a.leadId, a.repId]),
    );
  });

  it('skips pool leads already assigned to a rep here and gives the headroom to others', async () => {
    const tight = world({ newByRep: [38, 40, 40], pool: 6 });
    const leadId = (n: number) => `00QTR${String(n).padStart(10, '0')}`;
    tight.deps.ledger = {
      ...tight.deps.ledger,
      priorDeliveries: world({
        assigned: [
          [leadId(1), repId(2)],
          [leadId(2), repId(3)],
          [leadId(3), REVIEW],
        ],
      }).deps.ledger.priorDeliveries,
    };
    const outcome = await runTopUp({}, tight.deps);
    if (outcome.status !== 'completed') throw new Error(outcome.status);
    // Rep 1 has room for two: leads 1 and 2 are taken, lead 3 sits with the default queue (takeover allowed).
    expect(outcome.plan.allocations.map((a) => a.leadId)).toEqual([leadId(3), leadId(4)]);
    expect(outcome.summary.leftInPool.byReason).toMatchObject({ 'already-assigned': 2, 'no-headroom': 2 });
  });

  it('does not read the pool when no rep has headroom', async () => {
    const w = world({ newByRep: [40, 40, 40] });
    const outcome = await runTopUp({}, w.deps);
    expect(w.reads.pool).toBe(0);
    expect(outcome).toMatchObject({
      summary: { pool: { read: 0, skippedRead: 'No rep has headroom' }, allocated: 0 },
    });
    expect(w.writes.notifications).toEqual([]);
  });

  it('leaves a lead the database refuses in the pool, and the rest planned for a rep found full', async () => {
    const plan = await runTopUp({ dryRun: true }, world().deps);
    if (plan.status !== 'completed') throw new Error(plan.status);
    const [first, second] = plan.plan.allocations;
    const fullRep = plan.plan.allocations.filter((a) => a.repId === second!.repId);
    const w = world({
      conflicts: new Map<string, AssignmentWriteResult>([
        [first!.leadId, { ok: false, conflict: 'lead-already-assigned' }],
        [second!.leadId, { ok: false, conflict: 'capacity' }],
      ]),
    });
    const outcome = await runTopUp({}, w.deps);
    if (outcome.status !== 'completed') throw new Error(outcome.status);
    expect(outcome.summary.leftInPool.byReason).toEqual({
      'already-assigned': 1,
      'capacity-reached': fullRep.length,
    });
    expect(outcome.summary.allocated).toBe(10 - 1 - fullRep.length);
    expect(outcome.summary.reps.find((r) => r.repId === second!.repId)?.given).toBe(0);
  });

  it('writes a run above the bulk threshold with one bulk call and settles each held item by its result', async () => {
    const w = world();
    w.deps.settings.bulkThreshold = 5;
    const outcome = await runTopUp({}, w.deps);
    if (outcome.status !== 'completed') throw new Error(outcome.status);
    expect(w.writes.bulk).toHaveLength(1);
    expect(w.writes.bulk[0]).toHaveLength(10);
    expect(w.writes.assignments.every((a) => a.heldForBulkUntil === '2026-11-20T15:01:00.000Z')).toBe(true);
    expect(outcome.summary.writeBack).toEqual({
      mode: 'bulk',
      skipped: 0,
      written: 8,
      failed: 1,
      retrying: 1,
    });
    expect(w.writes.rescheduled.map((i) => i.recordId)).toEqual([w.writes.bulk[0]![0]!.recordId]);
    expect(
      w.writes.settled.filter(([, o]) => o.status === 'failed').map(([i, o]) => [i.recordId, o]),
    ).toEqual([
      [
        w.writes.bulk[0]![1]!.recordId,
        { status: 'failed', errorCode: 'ENTITY_IS_DELETED', detail: 'deleted' },
      ],
    ]);
    expect(w.writes.notifications[0]).toContain('Bulk API 2.0 write-back: 8 written, 1 failed, 1 retrying');
  });

  it('releases the lease even when a step fails', async () => {
    const w = world();
    w.deps.pool = { unassignedLeads: async () => Promise.reject(new Error('Salesforce down')) };
    await expect(runTopUp({}, w.deps)).rejects.toThrow('Salesforce down');
    expect(w.writes.leases.at(-1)).toMatch(/^release /);
  });

  it('keeps the run when Slack fails, with a warning', async () => {
    const w = world();
    w.deps.notifier = { notify: () => Promise.reject(new Error('webhook 500')) };
    const outcome = await runTopUp({}, w.deps);
    expect(outcome).toMatchObject({
      status: 'completed',
      warnings: ['Slack notification failed: webhook 500'],
    });
  });
});
