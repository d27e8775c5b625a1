import { routedLeadAllowList } from '../../domain/audit/routed-lead.js';
import type { AssignmentLedger, HeldLead, NotificationOutcome } from '../../ports/assignment-ledger.js';
import { assignOne, type IntakeDeps, type RoutableLead } from '../intake/assign-notifications.js';

/**
 * Leads a territory held because nobody was on shift, given out once someone is (README
 * "Availability": hold). Run every minute (a schedule in AWS, a timer locally): oldest first, by
 * the territory's own method, through intake's transaction — caps and period caps in the
 * condition, the hold replaced only while it is still a hold (two overlapping runs cannot both
 * release a lead), the owner written back through the outbox with the reason.
 */
export interface ReleaseHeldLeadsDeps
  extends Pick<IntakeDeps, 'routing' | 'replaceableOwnerIds' | 'now' | 'newId' | 'sleep'> {
  ledger: AssignmentLedger;
  /** Held leads read per run (oldest first); the rest wait for the next run. */
  batchSize?: number;
}

export interface ReleaseSummary {
  /** Held leads read. */
  read: number;
  /** Given to a rep. */
  released: number;
  /** Given to the default owner (every rep on shift was full). */
  toDefaultOwner: number;
  /** Still nobody on shift in their territory. */
  stillHeld: number;
  /** Released meanwhile by another run. */
  alreadyReleased: number;
  /** When the oldest lead still held was held, if any. */
  oldestHeldAt?: string;
}

const DEFAULT_BATCH = 500;

export async function releaseHeldLeads(deps: ReleaseHeldLeadsDeps): Promise<ReleaseSummary> {
  const held = await deps.ledger.heldLeads(deps.batchSize ?? DEFAULT_BATCH);
  const summary: ReleaseSummary = {
    read: held.length,
    released: 0,
    toDefaultOwner: 0,
    stillHeld: 0,
    alreadyReleased: 0,
  };
  if (held.length === 0) return summary;

  const router = await deps.routing();
  const now = deps.now();
  const leads = held.map(routable);
  // Leads of a territory in the order they were held; a territory's decision reads its rotation once.
  const byTerritory = new Map<string, { lead: RoutableLead; held: HeldLead }[]>();
  leads.forEach((lead, i) => {
    const territoryId = router.territoryOf(lead.fields) ?? `no-territory:${lead.leadId}`;
    byTerritory.set(territoryId, [...(byTerritory.get(territoryId) ?? []), { lead, held: held[i]! }]);
  });
  const territoryIds = [...byTerritory.keys()].filter((id) => !id.startsWith('no-territory:'));
  const snapshots = await deps.ledger.distributionSnapshots(territoryIds);
  const repIds = [...new Set(territoryIds.flatMap((t) => router.participantsOf(t)))];
  const counters = await deps.ledger.repCounters(repIds, router.counterPeriods?.(repIds, now));
  const audited = routedLeadAllowList(router.routedAttributes ?? []);

  for (const members of byTerritory.values()) {
    for (const [index, { lead, held: h }] of members.entries()) {
      const outcome: NotificationOutcome = await assignOne(lead, router, snapshots, counters, audited, deps);
      if (outcome.kind === 'held') {
        // Nobody on shift yet: younger leads of this territory wait too (oldest first, always).
        summary.stillHeld += members.length - index;
        summary.oldestHeldAt = min(summary.oldestHeldAt, h.heldAt);
        break;
      }
      if (outcome.kind === 'assigned') {
        if (outcome.ownerKind === 'rep') summary.released++;
        else summary.toDefaultOwner++;
      } else summary.alreadyReleased++;
    }
  }
  return summary;
}

/** What routing reads of a held lead: its stored routing attributes, its id and its owner then. */
function routable(h: HeldLead): RoutableLead {
  return {
    notificationId: h.notificationId ?? '',
    leadId: h.leadId,
    fields: { ...h.fields, Id: h.leadId, ...(h.previousOwnerId ? { OwnerId: h.previousOwnerId } : {}) },
    heldAt: h.heldAt,
  };
}

const min = (a: string | undefined, b: string) => (a === undefined || b < a ? b : a);
