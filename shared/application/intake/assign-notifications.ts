import type { CountersAgainstCaps, RefusedCandidate } from '../../domain/audit/decision-trace.js';
import {
  type RoutedLeadAllowList,
  routedLeadAllowList,
  routedLeadFields,
} from '../../domain/audit/routed-lead.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { DecisionTrace } from '../../domain/territory/distribution.js';
import type { TerritoryDistribution } from '../../domain/territory/distribution-state.js';
import type {
  AssignmentLedger,
  CapacityLimits,
  NotificationOutcome,
  RepCounters,
} from '../../ports/assignment-ledger.js';
import type { LeadFields, LeadRouter, RoutingCandidate, RoutingDecision } from '../../ports/lead-router.js';

export interface IncomingNotification {
  notificationId: string;
  objectType: string | undefined;
  fields: LeadFields;
}

export interface UnusableNotification {
  notificationId: string;
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
}

/** A concurrent writer moved the territory's rotation; re-reading and deciding again converges quickly. */
const MAX_DISTRIBUTION_RETRIES = 8;

/**
 * Record every notification of one outbound message durably: assigned (to a rep within capacity,
 * or to the default owner), duplicate, or quarantined. The caller ACKs only after this resolves;
 * a storage error rejects, so Salesforce redelivers and the redelivery is deduplicated.
 */
export async function assignNotifications(
  notifications: IncomingNotification[],
  unusable: UnusableNotification[],
  deps: IntakeDeps,
): Promise<NotificationOutcome[]> {
  const at = () => deps.now().toISOString();
  const outcomes: NotificationOutcome[] = [];

  for (const bad of unusable) {
    await deps.ledger.recordQuarantine(bad.notificationId, undefined, bad.reason, at());
    outcomes.push({
      kind: 'quarantined',
      notificationId: bad.notificationId,
      leadId: undefined,
      reason: bad.reason,
    });
  }

  // Validate each notification and drop repeats inside the same message.
  const leads: Array<{ notificationId: string; leadId: string; fields: LeadFields }> = [];
  const seenNotifications = new Set<string>();
  const seenLeads = new Set<string>();
  for (const n of notifications) {
    const problem = leadProblem(n);
    if (problem) {
      await deps.ledger.recordQuarantine(n.notificationId, n.fields.Id ?? undefined, problem, at());
      outcomes.push({
        kind: 'quarantined',
        notificationId: n.notificationId,
        leadId: n.fields.Id ?? undefined,
        reason: problem,
      });
      continue;
    }
    const leadId = toId18(String(n.fields.Id));
    if (seenNotifications.has(n.notificationId) || seenLeads.has(leadId)) {
      const reason = 'Repeated in the same message';
      if (!seenNotifications.has(n.notificationId))
        await deps.ledger.recordDuplicate(n.notificationId, leadId, reason, at());
      outcomes.push({ kind: 'duplicate', notificationId: n.notificationId, leadId, reason });
      continue;
    }
    seenNotifications.add(n.notificationId);
    seenLeads.add(leadId);
    leads.push({ notificationId: n.notificationId, leadId, fields: { ...n.fields, Id: leadId } });
  }
  if (leads.length === 0) return outcomes;

  const prior = await deps.ledger.priorDeliveries(
    leads.map((l) => l.notificationId),
    leads.map((l) => l.leadId),
  );
  const fresh: typeof leads = [];
  for (const lead of leads) {
    if (prior.notifications.has(lead.notificationId)) {
      outcomes.push({
        kind: 'duplicate',
        notificationId: lead.notificationId,
        leadId: lead.leadId,
        reason: 'Notification already recorded',
      });
    } else if (prior.leads.has(lead.leadId)) {
      const reason = `Lead already assigned to ${prior.leads.get(lead.leadId)} by this system`;
      await deps.ledger.recordDuplicate(lead.notificationId, lead.leadId, reason, at());
      outcomes.push({ kind: 'duplicate', notificationId: lead.notificationId, leadId: lead.leadId, reason });
    } else {
      fresh.push(lead);
    }
  }
  if (fresh.length === 0) return outcomes;

  const router = await deps.routing();
  // One batched read of the distribution state and rep counters every decision below needs.
  const territoryIds = [
    ...new Set(fresh.map((l) => router.territoryOf(l.fields)).filter((t) => t !== undefined)),
  ];
  const snapshots = await deps.ledger.distributionSnapshots(territoryIds);
  const repIds = [...new Set(territoryIds.flatMap((t) => router.participantsOf(t)))];
  const counters = await deps.ledger.repCounters(repIds);
  const audited = routedLeadAllowList(router.routedAttributes ?? []);

  for (const lead of fresh) {
    outcomes.push(await assignOne(lead, router, snapshots, counters, audited, deps));
  }
  return outcomes;
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

async function assignOne(
  lead: { notificationId: string; leadId: string; fields: LeadFields },
  router: LeadRouter,
  snapshots: Map<string, TerritoryDistribution>,
  counters: Map<string, RepCounters>,
  audited: RoutedLeadAllowList,
  deps: IntakeDeps,
): Promise<NotificationOutcome> {
  const previousOwnerId = lead.fields.OwnerId ?? undefined;
  const territoryId = router.territoryOf(lead.fields);
  for (let attempt = 0; attempt <= MAX_DISTRIBUTION_RETRIES; attempt++) {
    const snapshot = territoryId ? snapshots.get(territoryId) : undefined;
    const decision = router.decide(lead.fields, { snapshot, counters, now: deps.now() });
    const refused: RefusedCandidate[] = [];
    const seen = new Map<string, CountersAgainstCaps>();
    let distributionChanged = false;

    for (const candidate of decision.candidates) {
      const at = deps.now().toISOString();
      if (candidate.counters) seen.set(candidate.repId, candidate.counters);
      const result = await deps.ledger.recordAssignment({
        notificationId: lead.notificationId,
        leadId: lead.leadId,
        previousOwnerId,
        ownerId: candidate.repId,
        ownerKind: 'rep',
        territoryId: decision.territoryId,
        reason: withRefusals(candidate.reason, refused),
        trace: intakeTrace(decision, candidate, refused, seen),
        routedLead: routedLeadFields(lead.fields, audited),
        source: 'intake',
        capacity: candidate.limits,
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
      });
      if (result.ok) {
        if (decision.territoryId && snapshot) {
          snapshots.set(decision.territoryId, {
            ...snapshot,
            version: snapshot.version + 1,
            state: candidate.nextState,
          });
        }
        bumpCounters(counters, candidate.repId);
        return {
          kind: 'assigned',
          notificationId: lead.notificationId,
          leadId: lead.leadId,
          ownerId: candidate.repId,
          ownerKind: 'rep',
          reason: withRefusals(candidate.reason, refused),
        };
      }
      if (result.conflict === 'capacity') {
        refused.push({
          repId: candidate.repId,
          repName: candidate.repName,
          detail: 'at capacity when written (a concurrent assignment filled the rep)',
        });
        markAtCapacity(counters, candidate.repId, candidate.limits);
        continue;
      }
      if (result.conflict === 'distribution-changed') {
        distributionChanged = true;
        break;
      }
      return duplicateOutcome(lead, result.conflict, deps);
    }

    if (distributionChanged && decision.territoryId) {
      const fresh = await deps.ledger.distributionSnapshots([decision.territoryId]);
      const latest = fresh.get(decision.territoryId);
      if (latest) snapshots.set(decision.territoryId, latest);
      continue;
    }
    const trace = intakeTrace(decision, undefined, refused, seen);
    return assignDefault(lead, decision, trace, previousOwnerId, audited, deps);
  }
  throw new Error(`Distribution state of lead ${lead.leadId}'s territory kept changing; retry the delivery`);
}

async function assignDefault(
  lead: { notificationId: string; leadId: string; fields: LeadFields },
  decision: RoutingDecision,
  trace: IntakeTrace,
  previousOwnerId: string | undefined,
  audited: RoutedLeadAllowList,
  deps: IntakeDeps,
): Promise<NotificationOutcome> {
  // The fallback's own detail already names every rep the database refused.
  const reason = decision.fallback.reason;
  const result = await deps.ledger.recordAssignment({
    notificationId: lead.notificationId,
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

async function duplicateOutcome(
  lead: { notificationId: string; leadId: string },
  conflict: string,
  deps: IntakeDeps,
): Promise<NotificationOutcome> {
  // A concurrent delivery of the same notification or lead won the race; that one is the assignment.
  const reason =
    conflict === 'duplicate-notification'
      ? 'Notification recorded by a concurrent delivery'
      : 'Lead assigned by a concurrent delivery';
  if (conflict !== 'duplicate-notification') {
    await deps.ledger.recordDuplicate(lead.notificationId, lead.leadId, reason, deps.now().toISOString());
  }
  return { kind: 'duplicate', notificationId: lead.notificationId, leadId: lead.leadId, reason };
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
  const full = new Set(decision.trace.skipped.filter((s) => s.reason === 'no-headroom').map((s) => s.repId));
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

function bumpCounters(counters: Map<string, RepCounters>, repId: string): void {
  const c = countersOf(counters, repId);
  counters.set(repId, { ...c, openLeads: c.openLeads + 1, newLeads: c.newLeads + 1 });
}

/** After a failed capacity condition our snapshot is stale; treat the rep as full for the rest of this message. */
function markAtCapacity(counters: Map<string, RepCounters>, repId: string, limits: CapacityLimits): void {
  const c = countersOf(counters, repId);
  counters.set(repId, {
    ...c,
    openLeads: Math.max(c.openLeads, limits.maxOpen),
    newLeads: Math.max(c.newLeads, limits.maxNew),
  });
}

/** A rep the store has no counters for has none yet. */
function countersOf(counters: Map<string, RepCounters>, repId: string): RepCounters {
  return counters.get(repId) ?? { repId, openLeads: 0, newLeads: 0, inProgressLeads: 0, newLimitByRatio: 0 };
}
