import { defaultOwnerVerdict, reasonText, repVerdict } from '../../domain/audit/reason.js';
import { type CapacityConfig, statusCategory } from '../../domain/capacity/capacity.js';
import {
  type ClockDecision,
  decideClock,
  type LeadObservation,
  type SlaClock,
  startClock,
} from '../../domain/sla/index.js';
import type { CompiledModel } from '../../domain/territory/compile-model.js';
import type { TerritoryDistribution } from '../../domain/territory/distribution-state.js';
import { plural } from '../../domain/words.js';
import type { AssignmentLedger, RepCounters } from '../../ports/assignment-ledger.js';
import type { LeadRouter } from '../../ports/lead-router.js';
import type { Notifier } from '../../ports/notifier.js';
import type { RunLease } from '../../ports/run-lease.js';
import type { LeadTouchReader, SlaClockStore } from '../../ports/sla.js';
import { ConcurrentWriteError } from '../../ports/write-conflict.js';
import { territoryRouter } from '../routing/territory-router.js';
import type { ProductionModel } from '../territories/production-model.js';

export interface SlaSweepDeps {
  clocks: SlaClockStore;
  touches: LeadTouchReader;
  ledger: Pick<AssignmentLedger, 'recordAssignment' | 'repCounters' | 'distributionSnapshots'>;
  /** The production model (cached by version). */
  model: () => Promise<ProductionModel | undefined>;
  lease: RunLease;
  /** Warnings to owners (Slack when configured). */
  notifier?: Notifier;
  /** Which statuses are "new" (untouched). */
  capacity: CapacityConfig;
  /** Intake queues and the integration user: an owner among them means our write-back is pending. */
  replaceableOwnerIds: string[];
  now: () => Date;
  newId: () => string;
  settings?: Partial<SlaSweepSettings>;
}

export interface SlaSweepSettings {
  /** Clocks per Salesforce query (its 2,000-row page). */
  batchSize: number;
  /** Batches per run; the rest waits for the next minute. */
  maxBatches: number;
  leaseMs: number;
  /** How long to wait when the owner write-back has not reached Salesforce yet. */
  recheckMs: number;
  /** DynamoDB writes in flight at once for closes and warnings. */
  concurrency: number;
}

const DEFAULTS: SlaSweepSettings = {
  batchSize: 2000,
  maxBatches: 25,
  leaseMs: 5 * 60_000,
  recheckMs: 60_000,
  concurrency: 16,
};

export interface SlaSweepSummary {
  status: 'completed' | 'already-running' | 'no-model';
  checked: number;
  touched: number;
  released: number;
  warned: number;
  rerouted: number;
  escalated: number;
  waiting: number;
  /** Decided by a concurrent sweep (or changed meanwhile); left to it. */
  conflicts: number;
  /** Speed-to-lead of each lead seen touched, in the owner's working minutes, by territory (the metric). */
  speeds: Array<{ territoryId: string; minutes: number }>;
  /** Touched after the SLA fell due, or re-routed/escalated: the breaches of this run. */
  breaches: number;
}

const LEASE = 'sla-sweep';

/**
 * One sweep: take the lease, then batch after batch of due clocks — one Salesforce query per
 * batch — decide each clock (pure), and act: close touched and released clocks, warn once,
 * re-route breached leads through the normal routing (never to a previous owner) or escalate.
 * Every write is conditional on the clock still pending, so a concurrent sweep never acts twice.
 * Salesforce down or rate-limited: the error propagates before anything is written for that
 * batch; the clocks stay due and the next run (a minute later) takes them again.
 */
export async function runSlaSweep(deps: SlaSweepDeps): Promise<SlaSweepSummary> {
  const settings = { ...DEFAULTS, ...deps.settings };
  const summary: SlaSweepSummary = {
    status: 'completed',
    checked: 0,
    touched: 0,
    released: 0,
    warned: 0,
    rerouted: 0,
    escalated: 0,
    waiting: 0,
    conflicts: 0,
    speeds: [],
    breaches: 0,
  };
  const production = await deps.model();
  if (!production) return { ...summary, status: 'no-model' };
  const holder = deps.newId();
  const lease = await deps.lease.acquire(LEASE, holder, deps.now(), settings.leaseMs);
  if (!lease.acquired) return { ...summary, status: 'already-running' };
  try {
    const seen = new Set<string>();
    const router = territoryRouter(production.compiled, deps.capacity);
    for (let batch = 0; batch < settings.maxBatches; batch++) {
      const due = (await deps.clocks.due(deps.now().toISOString(), settings.batchSize)).filter(
        (c) => !seen.has(c.changeId),
      );
      if (due.length === 0) break;
      for (const c of due) seen.add(c.changeId);
      const observed = await deps.touches.observe([...new Set(due.map((c) => c.leadId))]);
      await sweepBatch(due, observed, production.compiled, router, deps, settings, summary);
      await deps.lease.renew(LEASE, holder, deps.now(), settings.leaseMs);
    }
  } finally {
    await deps.lease.release(LEASE, holder);
  }
  return summary;
}

type Breach = { clock: SlaClock; decision: Extract<ClockDecision, { kind: 'reroute' | 'escalate' }> };

async function sweepBatch(
  due: SlaClock[],
  observed: Map<string, LeadObservation>,
  model: CompiledModel,
  router: LeadRouter,
  deps: SlaSweepDeps,
  settings: SlaSweepSettings,
  summary: SlaSweepSummary,
): Promise<void> {
  const now = deps.now();
  const replaceable = new Set(deps.replaceableOwnerIds);
  const breaches: Breach[] = [];
  const warnings: Array<{ clock: SlaClock; minutesLeft: number }> = [];
  await inParallel(due, settings.concurrency, async (clock) => {
    summary.checked += 1;
    const owner = model.reps.get(clock.ownerId);
    const decision = decideClock(clock, observed.get(clock.leadId), {
      nowMs: now.getTime(),
      isNewStatus: (s) => statusCategory(deps.capacity, s) === 'new',
      isReplaceableOwner: (id) => replaceable.has(id),
      ...(owner ? { ownerSchedule: owner } : {}),
    });
    switch (decision.kind) {
      case 'touched': {
        const closed = await deps.clocks.close(clock, {
          status: 'touched',
          at: now.toISOString(),
          touchedAt: new Date(decision.touchedAtMs).toISOString(),
          by: decision.by,
          speedMinutes: decision.speedMinutes,
          late: decision.late,
        });
        if (!closed) summary.conflicts += 1;
        else {
          summary.touched += 1;
          summary.speeds.push({ territoryId: clock.territoryId, minutes: decision.speedMinutes });
          if (decision.late) summary.breaches += 1;
        }
        return;
      }
      case 'released': {
        const closed = await deps.clocks.close(clock, {
          status: 'released',
          at: now.toISOString(),
          why: decision.why,
        });
        if (closed) summary.released += 1;
        else summary.conflicts += 1;
        return;
      }
      case 'wait':
        summary.waiting += 1;
        await deps.clocks.postpone(clock, new Date(now.getTime() + settings.recheckMs).toISOString());
        return;
      case 'warn':
        if (await deps.clocks.markWarned(clock, now.toISOString())) {
          summary.warned += 1;
          warnings.push({ clock, minutesLeft: decision.minutesLeft });
        } else summary.conflicts += 1;
        return;
      case 'reroute':
      case 'escalate':
        breaches.push({ clock, decision });
        return;
      case 'not-yet':
        return;
    }
  });
  if (warnings.length > 0 && deps.notifier) await deps.notifier.notify(warningMessage(warnings, model));
  if (breaches.length > 0) await rerouteAll(breaches, model, router, deps, summary);
}

/** One message per sweep: each owner and their leads close to breaching. */
function warningMessage(
  warnings: Array<{ clock: SlaClock; minutesLeft: number }>,
  model: CompiledModel,
): { text: string } {
  const byOwner = new Map<string, string[]>();
  for (const { clock, minutesLeft } of warnings) {
    const line = `${clock.leadId} (${minutesLeft} working ${plural(minutesLeft, 'minute')} left of ${clock.policy.firstTouchMinutes})`;
    byOwner.set(clock.ownerId, [...(byOwner.get(clock.ownerId) ?? []), line]);
  }
  const lines = [...byOwner].map(
    ([ownerId, leads]) => `${model.reps.get(ownerId)?.name ?? ownerId}: ${leads.join(', ')}`,
  );
  return {
    text: `SLA: ${warnings.length} ${plural(warnings.length, 'lead')} not touched yet — touch ${warnings.length === 1 ? 'it' : 'them'} before the SLA moves ${warnings.length === 1 ? 'it' : 'them'} on.\n${lines.join('\n')}`,
  };
}

/**
 * Breached leads, territory by territory (one rotation each, like intake): the next eligible rep
 * who never owned the lead takes it, with the caps in the transaction condition; re-routes used up
 * or nobody left: the policy's queue or the owner's manager.
 */
async function rerouteAll(
  breaches: Breach[],
  model: CompiledModel,
  router: LeadRouter,
  deps: SlaSweepDeps,
  summary: SlaSweepSummary,
): Promise<void> {
  const escalating = breaches.filter((b) => b.decision.kind === 'escalate');
  const managers = escalating.some((b) => b.clock.policy.escalateTo.to === 'manager')
    ? await deps.touches.managers([...new Set(escalating.map((b) => b.clock.ownerId))])
    : new Map<string, string>();
  const byTerritory = new Map<string, Breach[]>();
  for (const b of breaches) {
    const territoryId = router.territoryOf(leadFields(b.clock)) ?? b.clock.territoryId;
    byTerritory.set(territoryId, [...(byTerritory.get(territoryId) ?? []), b]);
  }
  for (const [territoryId, list] of byTerritory) {
    const participants = router.participantsOf(territoryId);
    const [counters, snapshots] = await Promise.all([
      deps.ledger.repCounters(participants, router.counterPeriods?.(participants, deps.now())),
      deps.ledger.distributionSnapshots([territoryId]),
    ]);
    const state = { counters, snapshot: snapshots.get(territoryId) };
    for (const breach of list) {
      let outcome: MoveOutcome = 'stale';
      // Another writer moved the rotation: decide again on its state, a few times, then leave it for the next run.
      for (let attempt = 0; attempt < 4 && outcome === 'stale'; attempt++) {
        if (attempt > 0)
          state.snapshot = (await deps.ledger.distributionSnapshots([territoryId])).get(territoryId);
        outcome = await moveOn(breach, territoryId, state, model, router, managers, deps);
      }
      if (outcome === 'rerouted' || outcome === 'escalated') {
        summary.breaches += 1;
        summary[outcome] += 1;
      } else summary.conflicts += 1;
    }
  }
}

function leadFields(clock: SlaClock): Record<string, string | null> {
  return { ...clock.routedLead, Id: clock.leadId };
}

type MoveOutcome = 'rerouted' | 'escalated' | 'conflict' | 'stale';

async function moveOn(
  { clock, decision }: Breach,
  territoryId: string,
  state: { counters: Map<string, RepCounters>; snapshot: TerritoryDistribution | undefined },
  model: CompiledModel,
  router: LeadRouter,
  managers: Map<string, string>,
  deps: SlaSweepDeps,
): Promise<MoveOutcome> {
  const ownerName = model.reps.get(clock.ownerId)?.name ?? clock.ownerId;
  const never = new Set([...clock.previousOwners, clock.ownerId]);
  const untouched = `SLA re-route: ${ownerName} left it untouched for ${decision.untouchedMinutes} working ${plural(decision.untouchedMinutes, 'minute')}`;
  const replaces = { ownerId: clock.ownerId, changeId: clock.changeId };
  const common = {
    leadId: clock.leadId,
    previousOwnerId: clock.ownerId,
    source: 'sla' as const,
    routedLead: { ...clock.routedLead },
    // The write-back may replace the owner whose SLA ran out (and, as always, the intake queue).
    replaceableOwnerIds: [...deps.replaceableOwnerIds, clock.ownerId],
    replaces,
  };
  if (decision.kind === 'reroute') {
    const routed = router.decide(leadFields(clock), {
      snapshot: state.snapshot,
      counters: state.counters,
      now: deps.now(),
    });
    const candidates = routed.candidates.filter((c) => !never.has(c.repId));
    const reroute = clock.reroutes + 1;
    for (const candidate of candidates) {
      const at = deps.now();
      const changeId = deps.newId();
      const [, ...details] = candidate.reason.split('; ');
      const territoryName = model.territory(routed.territoryId ?? territoryId)?.name;
      const reason = reasonText({
        verdict: repVerdict(candidate.repName, territoryName, 'SLA re-route'),
        details: [`${untouched} (re-route ${reroute} of ${clock.policy.maxReroutes})`, ...details],
      });
      const clockStart = startClock(
        model,
        routed.territoryId ?? territoryId,
        candidate.repId,
        at.getTime(),
        clock.routedLead,
        {
          reroutes: reroute,
          previousOwners: [...never],
          policy: clock.policy,
        },
      );
      const result = await recorded(() =>
        deps.ledger.recordAssignment({
          ...common,
          ownerId: candidate.repId,
          ownerKind: 'rep',
          territoryId: routed.territoryId ?? territoryId,
          reason,
          trace: {
            ...routed.trace,
            chosen: { repId: candidate.repId, groupId: candidate.groupId },
            sla: {
              summary: `${untouched}; re-route ${reroute} of ${clock.policy.maxReroutes}; never back to ${[...never].map((id) => model.reps.get(id)?.name ?? id).join(', ')}`,
              dueAt: clock.dueAt,
              previousOwners: [...never],
            },
            ...(candidate.counters ? { counters: [candidate.counters] } : {}),
          },
          capacity: candidate.limits,
          ...(routed.territoryId && state.snapshot
            ? {
                distribution: {
                  territoryId: routed.territoryId,
                  expectedVersion: state.snapshot.version,
                  nextState: candidate.nextState,
                },
              }
            : {}),
          ...(clockStart ? { slaClock: clockStart } : {}),
          at: at.toISOString(),
          changeId,
        }),
      );
      if (result === 'lost') return 'stale';
      if (result.ok) {
        if (state.snapshot)
          state.snapshot = {
            ...state.snapshot,
            version: state.snapshot.version + 1,
            state: candidate.nextState,
          };
        const c = state.counters.get(candidate.repId);
        if (c)
          state.counters.set(candidate.repId, { ...c, openLeads: c.openLeads + 1, newLeads: c.newLeads + 1 });
        return 'rerouted';
      }
      if (result.conflict === 'capacity') continue;
      if (result.conflict === 'distribution-changed') {
        if (result.current) state.snapshot = result.current;
        return 'stale';
      }
      return 'conflict';
    }
  }
  // Re-routes used up, or no rep left who never had it: the policy's queue or the owner's manager.
  const target = escalationTarget(clock, model, managers);
  const why =
    decision.kind === 'escalate'
      ? `${untouched}; ${clock.reroutes} ${plural(clock.reroutes, 're-route')} used up`
      : `${untouched}; no other rep of the territory can take it`;
  const result = await recorded(() =>
    deps.ledger.recordAssignment({
      ...common,
      ownerId: target.id,
      ownerKind: 'default',
      territoryId: clock.territoryId,
      reason: reasonText({ verdict: defaultOwnerVerdict(target, 'SLA escalation'), details: [why] }),
      trace: {
        fallback: 'sla-escalation',
        sla: {
          summary: `${why}; to ${target.to === 'manager' ? `${ownerName}'s manager` : 'the queue'} ${target.name}`,
          dueAt: clock.dueAt,
          previousOwners: [...never],
        },
      },
      at: deps.now().toISOString(),
      changeId: deps.newId(),
    }),
  );
  if (result === 'lost') return 'conflict';
  return result.ok ? 'escalated' : 'conflict';
}

function escalationTarget(
  clock: SlaClock,
  model: CompiledModel,
  managers: Map<string, string>,
): { id: string; name: string; kind: 'rep' | 'queue'; to: 'manager' | 'queue' } {
  const policy = clock.policy.escalateTo;
  const manager = policy.to === 'manager' ? managers.get(clock.ownerId) : undefined;
  if (manager) {
    return { id: manager, name: model.reps.get(manager)?.name ?? manager, kind: 'rep', to: 'manager' };
  }
  const queueId = policy.to === 'queue' && policy.queue ? policy.queue : model.defaultOwner.id;
  const queue = model.model.queues.find((q) => q.id === queueId);
  if (queue) return { id: queue.id, name: queue.name, kind: 'queue', to: 'queue' };
  return {
    id: model.defaultOwner.id,
    name: model.defaultOwner.name,
    kind: model.defaultOwner.kind,
    to: 'queue',
  };
}

/** A transaction lost to a concurrent writer wrote nothing: decide again with fresh state. */
async function recorded<T>(write: () => Promise<T>): Promise<T | 'lost'> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConcurrentWriteError) return 'lost';
    throw error;
  }
}

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
