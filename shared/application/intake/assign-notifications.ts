import type { CountersAgainstCaps, RefusedCandidate } from '../../domain/audit/decision-trace.js';
import { releasedFromHold, withDetails } from '../../domain/audit/reason.js';
import {
  type RoutedLeadAllowList,
  routedLeadAllowList,
  routedLeadFields,
} from '../../domain/audit/routed-lead.js';
import { describeCapReached, type PeriodCap } from '../../domain/availability/periods.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { DecisionTrace } from '../../domain/territory/distribution.js';
import type { TerritoryDistribution } from '../../domain/territory/distribution-state.js';
import type { DuplicateRule } from '../../domain/territory/model.js';
import {
  type AssignmentLedger,
  type AssignmentWrite,
  type AssignmentWriteResult,
  type CapacityLimits,
  deliveryKey,
  type NotificationOutcome,
  type RepCounters,
  StorageLimitError,
} from '../../ports/assignment-ledger.js';
import type { LeadFields, LeadRouter, RoutingCandidate, RoutingDecision } from '../../ports/lead-router.js';
import { ConcurrentWriteError, MAX_RACE_RETRIES, raceRetryDelayMs } from '../../ports/write-conflict.js';
import { matchedAccountToWrite, readsMatchedAccount } from '../accounts/enrich-lead.js';

export interface IncomingNotification {
  notificationId: string;
  objectType: string | undefined;
  fields: LeadFields;
}

export interface UnusableNotification {
  notificationId: string;
  /** The lead's Id as sent, when it could be read, so the quarantine names the lead. */
  leadId?: string;
  index: number;
  reason: string;
}

export interface IntakeDeps {
  ledger: AssignmentLedger;
  /** The router over the current production territory model (cached; cheap to call per message). */
  routing: () => Promise<LeadRouter>;
  /** Owners the write-back may replace: intake queue(s) and the integration user. */
  replaceableOwnerIds: string[];
  now: () => Date;
  newId: () => string;
  /** Waits between retries of a lost optimistic race (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** Shared by the requests one process serves at once (the endpoint keeps one); a fresh one otherwise. */
  lanes?: TerritoryLanes;
  /** Adds the lead's matched account (`Account.*`), read only when the model's rules use it or the write-back sets the lookup. */
  matchAccount?: (fields: LeadFields) => Promise<LeadFields>;
  /** The Lead lookup the write-back sets to the matched account (MATCHED_ACCOUNT_FIELD); unset: off. */
  matchedAccountField?: string;
  /** Adds the open lead or contact with the lead's e-mail (`Duplicate.*`) when the model's duplicate rule is on. */
  findExistingRecord?: (fields: LeadFields, rule: DuplicateRule) => Promise<LeadFields>;
}

/**
 * One lane per territory within a process: requests served at the same time take turns on a
 * territory's rotation instead of racing each other in the database. Across processes (Lambda
 * containers) the versioned write and the jittered retries still decide.
 */
export class TerritoryLanes {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` after the lane's earlier work settles; `waited` says whether there was any. */
  run(lane: string, work: (waited: boolean) => Promise<void>): Promise<void> {
    const before = this.tails.get(lane);
    const done = (before ?? Promise.resolve()).then(() => work(before !== undefined));
    const tail = done.catch(() => undefined);
    this.tails.set(lane, tail);
    void tail.then(() => {
      if (this.tails.get(lane) === tail) this.tails.delete(lane);
    });
    return done;
  }
}

/** Territories of one message recorded at once; leads of one territory go one after another (one rotation). */
const CONCURRENT_TERRITORIES = 8;
/**
 * Leads of one territory decided one after another in memory and written in one transaction: one
 * round trip instead of one per lead. Ten leads (up to 5 items each, 3 per rep) fit DynamoDB's 100 items a transaction.
 */
const LEADS_PER_TRANSACTION = 10;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A lead to route: from a notification, or a held lead being released (`heldAt`: it was recorded
 * then; its notification is recorded already and the write replaces its hold).
 */
export type RoutableLead = { notificationId: string; leadId: string; fields: LeadFields; heldAt?: string };
type Lead = RoutableLead;

/**
 * Record every notification of one outbound message durably: assigned (to a rep within capacity,
 * or to the default owner), duplicate, or quarantined. Each (notification id, lead) pair gets its
 * record; what can never be stored is quarantined with the limit it passes. The caller ACKs only
 * after this resolves; a transient storage error rejects, so Salesforce redelivers and the
 * redelivery is deduplicated.
 */
export async function assignNotifications(
  notifications: IncomingNotification[],
  unusable: UnusableNotification[],
  deps: IntakeDeps,
): Promise<NotificationOutcome[]> {
  const outcomes: NotificationOutcome[] = [];
  const quarantine = async (notificationId: string, leadId: string | undefined, reason: string) => {
    await deps.ledger.recordQuarantine(notificationId, leadId, reason, deps.now().toISOString());
    outcomes.push({ kind: 'quarantined', notificationId, leadId, reason });
  };

  for (const bad of unusable) await quarantine(bad.notificationId, bad.leadId, bad.reason);

  // Validate each notification and drop repeats inside the same message.
  const leads: Lead[] = [];
  const seenPairs = new Set<string>();
  const seenLeads = new Set<string>();
  for (const n of notifications) {
    const problem = leadProblem(n);
    if (problem) {
      await quarantine(n.notificationId, n.fields.Id ?? undefined, problem);
      continue;
    }
    const leadId = toId18(String(n.fields.Id));
    const pair = deliveryKey({ notificationId: n.notificationId, leadId });
    if (seenPairs.has(pair)) {
      // The same pair twice: the first one's record accounts for both.
      outcomes.push({
        kind: 'duplicate',
        notificationId: n.notificationId,
        leadId,
        reason: 'Repeated in the same message',
      });
      continue;
    }
    seenPairs.add(pair);
    if (seenLeads.has(leadId)) {
      const reason = 'Lead repeated in the same message under another notification id';
      await deps.ledger.recordDuplicate(n.notificationId, leadId, reason, deps.now().toISOString());
      outcomes.push({ kind: 'duplicate', notificationId: n.notificationId, leadId, reason });
      continue;
    }
    seenLeads.add(leadId);
    leads.push({ notificationId: n.notificationId, leadId, fields: { ...n.fields, Id: leadId } });
  }
  if (leads.length === 0) return outcomes;

  const prior = await deps.ledger.priorDeliveries(
    leads,
    leads.map((l) => l.leadId),
  );
  const fresh: Lead[] = [];
  for (const lead of leads) {
    if (prior.deliveries.has(deliveryKey(lead))) {
      outcomes.push({
        kind: 'duplicate',
        notificationId: lead.notificationId,
        leadId: lead.leadId,
        reason: 'Notification already recorded',
      });
    } else if (prior.leads.has(lead.leadId)) {
      const reason = `Lead already assigned to ${prior.leads.get(lead.leadId)} by this system`;
      await deps.ledger.recordDuplicate(lead.notificationId, lead.leadId, reason, deps.now().toISOString());
      outcomes.push({ kind: 'duplicate', notificationId: lead.notificationId, leadId: lead.leadId, reason });
    } else {
      fresh.push(lead);
    }
  }
  if (fresh.length === 0) return outcomes;

  const router = await deps.routing();
  const { matchAccount, findExistingRecord } = deps;
  const duplicates = router.duplicates;
  if (matchAccount && (deps.matchedAccountField || readsMatchedAccount(router.routedAttributes ?? []))) {
    await Promise.all(
      fresh.map(async (lead) => {
        lead.fields = await matchAccount(lead.fields);
      }),
    );
  }
  if (findExistingRecord && duplicates) {
    await Promise.all(
      fresh.map(async (lead) => {
        lead.fields = await findExistingRecord(lead.fields, duplicates);
      }),
    );
  }
  // One batched read of the distribution state and rep counters every decision below needs.
  const territoryOf = new Map<Lead, string | undefined>();
  for (const lead of fresh) {
    try {
      territoryOf.set(
        lead,
        routed(() => router.territoryOf(lead.fields)),
      );
    } catch (error) {
      await quarantine(lead.notificationId, lead.leadId, permanentFailure(error) ?? String(error));
    }
  }
  const territoryIds = [...new Set([...territoryOf.values()].filter((t) => t !== undefined))];
  const snapshots = await deps.ledger.distributionSnapshots(territoryIds);
  // Existing owners of duplicates are read too: the duplicate rule checks their capacity like anyone's.
  const repIds = [
    ...new Set([
      ...territoryIds.flatMap((t) => router.participantsOf(t)),
      ...fresh.flatMap((l) => (l.fields['Duplicate.OwnerId'] ? [l.fields['Duplicate.OwnerId']] : [])),
    ]),
  ];
  const counters = await deps.ledger.repCounters(repIds, router.counterPeriods?.(repIds, deps.now()));
  const audited = routedLeadAllowList(router.routedAttributes ?? []);

  // Leads of one territory in message order (one rotation); territories side by side.
  const byTerritory = new Map<string, Lead[]>();
  for (const [lead, territoryId] of territoryOf) {
    const group = territoryId ?? `no-territory:${lead.leadId}`;
    byTerritory.set(group, [...(byTerritory.get(group) ?? []), lead]);
  }
  const lanes = deps.lanes ?? new TerritoryLanes();
  await inParallel([...byTerritory], CONCURRENT_TERRITORIES, ([group, members]) =>
    lanes.run(group, async (waited) => {
      // Another request of this process wrote the territory meanwhile: start from its rotation.
      const territoryId = territoryOf.get(members[0] as Lead);
      if (waited && territoryId) {
        const latest = (await deps.ledger.distributionSnapshots([territoryId])).get(territoryId);
        if (latest) snapshots.set(territoryId, latest);
      }
      let rest = members;
      while (rest.length > 0) {
        const together = territoryId
          ? await assignTogether(rest, territoryId, router, snapshots, counters, audited, deps)
          : [];
        if (together.length > 0) {
          outcomes.push(...together);
          rest = rest.slice(together.length);
          continue;
        }
        // The next lead on its own: it takes the fallback, or the database refused the batch.
        const lead = rest[0] as Lead;
        rest = rest.slice(1);
        try {
          outcomes.push(await assignOne(lead, router, snapshots, counters, audited, deps));
        } catch (error) {
          // Permanent for this lead (a store limit, a routing failure on its values): quarantine it, go on.
          const reason = permanentFailure(error);
          if (reason === undefined) throw error;
          await quarantine(lead.notificationId, lead.leadId, reason);
        }
      }
    }),
  );
  return outcomes;
}

/** Why `error` can never succeed on a retry, or undefined when it may (transient: answer 5xx). */
function permanentFailure(error: unknown): string | undefined {
  if (error instanceof StorageLimitError) return error.message;
  if (error instanceof RoutingError) return `Routing failed on this lead's values: ${error.message}`;
  return undefined;
}

/** Routing is pure code over the lead's values: an error there repeats on every redelivery. */
class RoutingError extends Error {
  override name = 'RoutingError';
}

function routed<T>(route: () => T): T {
  try {
    return route();
  } catch (error) {
    throw new RoutingError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** Runs `work` over `items` with at most `limit` at a time; rejects with the first failure. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function leadProblem(n: IncomingNotification): string | undefined {
  if (n.objectType !== undefined && n.objectType !== 'Lead') {
    return `Unsupported sObject type ${JSON.stringify(n.objectType)}: only Lead is routed`;
  }
  const id = n.fields.Id;
  if (!id) return 'Notification has no lead Id';
  if (!isSalesforceId(id) || !id.startsWith('00Q'))
    return `Not a lead id: ${JSON.stringify(id.slice(0, 40))}`;
  return undefined;
}

/** Routes one lead and records the outcome, retrying lost races from the winner's rotation. */
export async function assignOne(
  lead: Lead,
  router: LeadRouter,
  snapshots: Map<string, TerritoryDistribution>,
  counters: Map<string, RepCounters>,
  audited: RoutedLeadAllowList,
  deps: IntakeDeps,
): Promise<NotificationOutcome> {
  const territoryId = routed(() => router.territoryOf(lead.fields));
  let wait = false;
  for (let attempt = 0; ; attempt++) {
    if (wait) await (deps.sleep ?? realSleep)(raceRetryDelayMs(attempt));
    const outcome = await tryAssign(lead, territoryId, router, snapshots, counters, audited, deps);
    if (!('lost' in outcome)) return outcome;
    if (attempt >= MAX_RACE_RETRIES) {
      throw new ConcurrentWriteError(
        `Lead ${lead.leadId}'s territory or reps kept changing under concurrent writers; retry the delivery`,
      );
    }
    // Our snapshot is stale: decide again from the winner's rotation (returned with the refusal, or read).
    if (territoryId) {
      const latest =
        outcome.current ?? (await deps.ledger.distributionSnapshots([territoryId])).get(territoryId);
      if (latest) snapshots.set(territoryId, latest);
    }
    // Knowing the winner's state, decide again at once; a blind conflict (both cancelled) waits first.
    wait = outcome.current === undefined;
  }
}

/**
 * The first leads of `leads` decided in turn from the same rotation and counters (each decision sees
 * the ones before it) and recorded in one transaction, each with its rep's first choice. Returns
 * their outcomes, or none when they go one by one instead: fewer than two decided, a lead that takes
 * the fallback or fails routing stops the batch there, and any refusal by the database (a cap a
 * concurrent writer filled, the rotation moved, a redelivery) writes nothing, so the one-by-one path
 * decides again with its retries.
 */
async function assignTogether(
  leads: readonly Lead[],
  territoryId: string,
  router: LeadRouter,
  snapshots: Map<string, TerritoryDistribution>,
  counters: Map<string, RepCounters>,
  audited: RoutedLeadAllowList,
  deps: IntakeDeps,
): Promise<NotificationOutcome[]> {
  const snapshot = snapshots.get(territoryId);
  if (!snapshot) return [];
  const working = new Map(counters);
  let rotation = snapshot;
  const writes: AssignmentWrite[] = [];
  const outcomes: NotificationOutcome[] = [];
  for (const lead of leads.slice(0, LEADS_PER_TRANSACTION)) {
    let decision: RoutingDecision;
    try {
      decision = router.decide(lead.fields, { snapshot: rotation, counters: working, now: deps.now() });
    } catch {
      break;
    }
    const candidate = decision.candidates[0];
    if (!candidate || decision.hold || decision.territoryId !== territoryId) break;
    const reason = released(lead, candidate.reason);
    const seen = new Map(candidate.counters ? [[candidate.repId, candidate.counters]] : []);
    const now = deps.now();
    const routedLead = routedLeadFields(lead.fields, audited);
    const slaClock = router.slaClock?.(territoryId, candidate.repId, now, routedLead);
    writes.push({
      ...origin(lead),
      leadId: lead.leadId,
      previousOwnerId: lead.fields.OwnerId ?? undefined,
      ownerId: candidate.repId,
      ownerKind: 'rep',
      territoryId,
      reason,
      trace: intakeTrace(decision, candidate, [], seen),
      routedLead,
      source: 'intake',
      capacity: candidate.limits,
      ...(slaClock ? { slaClock } : {}),
      newLeadsSeen: countersOf(working, candidate.repId, candidate.limits).newLeads,
      distribution: { territoryId, expectedVersion: snapshot.version, nextState: candidate.nextState },
      replaceableOwnerIds: deps.replaceableOwnerIds,
      at: now.toISOString(),
      changeId: deps.newId(),
      ...matchedAccountToWrite(lead.fields, deps.matchedAccountField),
    });
    outcomes.push({
      kind: 'assigned',
      notificationId: lead.notificationId,
      leadId: lead.leadId,
      ownerId: candidate.repId,
      ownerKind: 'rep',
      reason,
    });
    rotation = { ...rotation, state: candidate.nextState };
    bumpCounters(working, candidate.repId, candidate.limits);
  }
  if (writes.length < 2) return [];
  let result: AssignmentWriteResult | LostRace;
  try {
    result = await raced(() => deps.ledger.recordAssignments(writes));
  } catch (error) {
    if (error instanceof StorageLimitError) return [];
    throw error;
  }
  if ('lost' in result || !result.ok) {
    const current = 'current' in result ? result.current : undefined;
    if (current) snapshots.set(territoryId, current);
    return [];
  }
  snapshots.set(territoryId, { ...snapshot, version: snapshot.version + 1, state: rotation.state });
  // Other territories' lanes share `counters` and may have moved it meanwhile: add this batch's leads.
  for (const w of writes) if (w.capacity) bumpCounters(counters, w.ownerId, w.capacity);
  return outcomes;
}

/** A concurrent writer got there first; `current` is the rotation it left, when known. */
type LostRace = { lost: true; current?: TerritoryDistribution };

/** One decision and its writes, or the race it lost. */
async function tryAssign(
  lead: Lead,
  territoryId: string | undefined,
  router: LeadRouter,
  snapshots: Map<string, TerritoryDistribution>,
  counters: Map<string, RepCounters>,
  audited: RoutedLeadAllowList,
  deps: IntakeDeps,
): Promise<NotificationOutcome | LostRace> {
  const previousOwnerId = lead.fields.OwnerId ?? undefined;
  const snapshot = territoryId ? snapshots.get(territoryId) : undefined;
  const decision = routed(() => router.decide(lead.fields, { snapshot, counters, now: deps.now() }));
  if (decision.hold && decision.territoryId) {
    // Still nobody on shift: a held lead stays held, as it is.
    if (lead.heldAt) {
      const reason = decision.hold.reason;
      return {
        kind: 'held',
        notificationId: lead.notificationId,
        leadId: lead.leadId,
        territoryId: decision.territoryId,
        reason,
      };
    }
    return raced(() => hold(lead, decision, audited, deps));
  }
  const refused: RefusedCandidate[] = [];
  const seen = new Map<string, CountersAgainstCaps>();

  const routedLead = routedLeadFields(lead.fields, audited);
  for (const candidate of decision.candidates) {
    const now = deps.now();
    const at = now.toISOString();
    const slaClock = router.slaClock?.(decision.territoryId, candidate.repId, now, routedLead);
    if (candidate.counters) seen.set(candidate.repId, candidate.counters);
    const result = await raced(() =>
      deps.ledger.recordAssignment({
        ...origin(lead),
        leadId: lead.leadId,
        previousOwnerId,
        ownerId: candidate.repId,
        ownerKind: 'rep',
        territoryId: decision.territoryId,
        reason: released(lead, withRefusals(candidate.reason, refused)),
        trace: intakeTrace(decision, candidate, refused, seen),
        routedLead,
        source: 'intake',
        capacity: candidate.limits,
        ...(slaClock ? { slaClock } : {}),
        ...(decision.territoryId && snapshot
          ? {
              distribution: {
                territoryId: decision.territoryId,
                expectedVersion: snapshot.version,
                nextState: candidate.nextState,
              },
            }
          : {}),
        replaceableOwnerIds: deps.replaceableOwnerIds,
        at,
        changeId: deps.newId(),
        ...matchedAccountToWrite(lead.fields, deps.matchedAccountField),
      }),
    );
    if ('lost' in result) return result;
    if (result.ok) {
      if (decision.territoryId && snapshot) {
        snapshots.set(decision.territoryId, {
          ...snapshot,
          version: snapshot.version + 1,
          state: candidate.nextState,
        });
      }
      bumpCounters(counters, candidate.repId, candidate.limits);
      return {
        kind: 'assigned',
        notificationId: lead.notificationId,
        leadId: lead.leadId,
        ownerId: candidate.repId,
        ownerKind: 'rep',
        reason: released(lead, withRefusals(candidate.reason, refused)),
      };
    }
    if (result.conflict === 'capacity') {
      const cap = result.periodCap;
      refused.push({
        repId: candidate.repId,
        repName: candidate.repName,
        detail: cap
          ? `${describeCapReached(cap)} when written (a concurrent assignment took the last one)`
          : 'at capacity when written (a concurrent assignment filled the rep)',
      });
      markAtCapacity(counters, candidate.repId, candidate.limits, cap);
      continue;
    }
    if (result.conflict === 'distribution-changed') {
      return result.current ? { lost: true, current: result.current } : { lost: true };
    }
    return duplicateOutcome(lead, result.conflict, deps);
  }

  const trace = intakeTrace(decision, undefined, refused, seen);
  return raced(() => assignDefault(lead, decision, trace, previousOwnerId, audited, deps));
}

/** A transaction lost to a concurrent writer wrote nothing: the same as a moved rotation, try again. */
async function raced<T>(write: () => Promise<T>): Promise<T | LostRace> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConcurrentWriteError) return { lost: true };
    throw error;
  }
}

async function assignDefault(
  lead: Lead,
  decision: RoutingDecision,
  trace: IntakeTrace,
  previousOwnerId: string | undefined,
  audited: RoutedLeadAllowList,
  deps: IntakeDeps,
): Promise<NotificationOutcome> {
  // The fallback's own detail already names every rep the database refused.
  const reason = released(lead, decision.fallback.reason);
  const result = await deps.ledger.recordAssignment({
    ...origin(lead),
    leadId: lead.leadId,
    previousOwnerId,
    ownerId: decision.fallback.ownerId,
    ownerKind: 'default',
    territoryId: decision.territoryId,
    reason,
    trace,
    routedLead: routedLeadFields(lead.fields, audited),
    source: 'intake',
    replaceableOwnerIds: deps.replaceableOwnerIds,
    at: deps.now().toISOString(),
    changeId: deps.newId(),
    ...matchedAccountToWrite(lead.fields, deps.matchedAccountField),
  });
  if (!result.ok) return duplicateOutcome(lead, result.conflict, deps);
  return {
    kind: 'assigned',
    notificationId: lead.notificationId,
    leadId: lead.leadId,
    ownerId: decision.fallback.ownerId,
    ownerKind: 'default',
    reason,
  };
}

/** Nobody of the territory is on shift and it holds such leads: recorded durably, released later. */
async function hold(
  lead: Lead,
  decision: RoutingDecision,
  audited: RoutedLeadAllowList,
  deps: IntakeDeps,
): Promise<NotificationOutcome> {
  const previousOwnerId = lead.fields.OwnerId ?? undefined;
  const reason = decision.hold?.reason ?? decision.fallback.reason;
  const territoryId = decision.territoryId!;
  const result = await deps.ledger.recordHold({
    notificationId: lead.notificationId,
    leadId: lead.leadId,
    previousOwnerId,
    heldOwnerId:
      previousOwnerId && isSalesforceId(previousOwnerId)
        ? toId18(previousOwnerId)
        : decision.fallback.ownerId,
    territoryId,
    reason,
    trace: intakeTrace(decision, undefined, [], new Map()),
    routedLead: routedLeadFields(lead.fields, audited),
    at: deps.now().toISOString(),
    changeId: deps.newId(),
  });
  if (!result.ok) return duplicateOutcome(lead, result.conflict, deps);
  return { kind: 'held', notificationId: lead.notificationId, leadId: lead.leadId, territoryId, reason };
}

async function duplicateOutcome(
  lead: { notificationId: string; leadId: string; heldAt?: string },
  conflict: string,
  deps: IntakeDeps,
): Promise<NotificationOutcome> {
  // A concurrent delivery of the same notification or lead won the race; that one is the assignment.
  const reason =
    conflict === 'duplicate-notification'
      ? 'Notification recorded by a concurrent delivery'
      : 'Lead assigned by a concurrent delivery';
  if (conflict !== 'duplicate-notification' && !lead.heldAt) {
    await deps.ledger.recordDuplicate(lead.notificationId, lead.leadId, reason, deps.now().toISOString());
  }
  return { kind: 'duplicate', notificationId: lead.notificationId, leadId: lead.leadId, reason };
}

/** A fresh lead records its notification with the assignment; a released one replaces its hold. */
function origin(lead: Lead): { notificationId?: string; releasesHold?: boolean } {
  return lead.heldAt ? { releasesHold: true } : { notificationId: lead.notificationId };
}

/** A released lead's reason says since when it was held. */
function released(lead: Lead, reason: string): string {
  return lead.heldAt ? withDetails(reason, [releasedFromHold(lead.heldAt)]) : reason;
}

/** Reps the database refused are named in the reason like the ones distribution skipped. */
function withRefusals(reason: string, refused: readonly RefusedCandidate[]): string {
  return [reason, ...refused.map((r) => `skipped ${r.repName}: at capacity`)].join('; ');
}

/**
 * The trace stored with this decision (what `explain` reads): the distribution's trace with the
 * rep the database actually accepted (not only the first choice), the reps it refused, and the
 * counters against caps of every rep chosen, refused or skipped for lack of headroom, as they were.
 */
export interface IntakeTrace extends DecisionTrace {
  readonly refused: readonly RefusedCandidate[];
  readonly counters: readonly CountersAgainstCaps[];
}

function intakeTrace(
  decision: RoutingDecision,
  chosen: RoutingCandidate | undefined,
  refused: readonly RefusedCandidate[],
  seen: ReadonlyMap<string, CountersAgainstCaps>,
): IntakeTrace {
  const { chosen: _first, ...rest } = decision.trace;
  const tried = [chosen?.repId, ...refused.map((r) => r.repId)]
    .map((id) => (id ? seen.get(id) : undefined))
    .filter((c): c is CountersAgainstCaps => c !== undefined);
  const full = new Set(
    decision.trace.skipped
      .filter((s) => s.reason === 'no-headroom' || s.reason === 'period-cap')
      .map((s) => s.repId),
  );
  return {
    ...rest,
    ...(chosen
      ? {
          chosen: {
            repId: chosen.repId,
            groupId: chosen.groupId,
            ...(chosen.turn === undefined ? {} : { turn: chosen.turn }),
          },
        }
      : {}),
    refused,
    counters: [...tried, ...(decision.counters ?? []).filter((c) => full.has(c.repId) && !seen.has(c.repId))],
  };
}

function bumpCounters(counters: Map<string, RepCounters>, repId: string, limits: CapacityLimits): void {
  const c = countersOf(counters, repId, limits);
  const periodGiven = { ...c.periodGiven };
  for (const cap of limits.periods ?? []) periodGiven[cap.id] = (periodGiven[cap.id] ?? 0) + 1;
  counters.set(repId, {
    ...c,
    openLeads: c.openLeads + 1,
    newLeads: c.newLeads + 1,
    ...(limits.periods?.length ? { periodGiven } : {}),
  });
}

/**
 * After a failed capacity condition our snapshot is stale; treat the rep as full for the rest of this
 * message (at the period cap that refused, when it was one, so the skip says which).
 */
function markAtCapacity(
  counters: Map<string, RepCounters>,
  repId: string,
  limits: CapacityLimits,
  periodCap: PeriodCap | undefined,
): void {
  const c = countersOf(counters, repId, limits);
  if (periodCap) {
    counters.set(repId, { ...c, periodGiven: { ...c.periodGiven, [periodCap.id]: periodCap.max } });
    return;
  }
  counters.set(repId, {
    ...c,
    openLeads: Math.max(c.openLeads, limits.maxOpen),
    newLeads: Math.max(c.newLeads, limits.maxNew),
  });
}

/** A rep the store has no counters item for has none yet; the store starts its ratio bound as `limits` say. */
function countersOf(counters: Map<string, RepCounters>, repId: string, limits: CapacityLimits): RepCounters {
  const c = counters.get(repId);
  if (c && !c.periodsOnly) return c;
  return {
    repId,
    openLeads: 0,
    newLeads: 0,
    inProgressLeads: 0,
    newLimitByRatio: limits.initialNewLimitByRatio,
    ...(c?.periodGiven ? { periodGiven: c.periodGiven } : {}),
  };
}
