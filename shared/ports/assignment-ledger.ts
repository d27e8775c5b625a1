import type { ChangeSource } from '../domain/audit/reason.js';
import type { PeriodCap, PeriodCounts } from '../domain/availability/periods.js';
import type { SlaClock } from '../domain/sla/index.js';
import type { DistributionState, TerritoryDistribution } from '../domain/territory/distribution-state.js';

/** What became of one outbound-message notification; each outcome is durable before the ACK. */
export type NotificationOutcome =
  | {
      kind: 'assigned';
      notificationId: string;
      leadId: string;
      ownerId: string;
      ownerKind: 'rep' | 'default';
      reason: string;
    }
  | { kind: 'held'; notificationId: string; leadId: string; territoryId: string; reason: string }
  | { kind: 'duplicate'; notificationId: string; leadId: string | undefined; reason: string }
  | { kind: 'quarantined'; notificationId: string; leadId: string | undefined; reason: string };

/** One notification of a message as Salesforce sent it: its id and the lead it carried. */
export interface Delivery {
  notificationId: string;
  leadId: string;
}

/** The key of a (notification id, lead) pair in PriorDelivery.deliveries. */
export const deliveryKey = (d: Delivery): string => `${d.leadId}\u0000${d.notificationId}`;

export interface PriorDelivery {
  /** (notification id, lead) pairs already recorded, by deliveryKey. */
  deliveries: Set<string>;
  /** Lead id → owner this system already gave it. */
  leads: Map<string, string>;
}

/** Per-rep counters as the store holds them. */
export interface RepCounters {
  repId: string;
  openLeads: number;
  newLeads: number;
  inProgressLeads: number;
  /** Largest `newLeads` at which the in-progress ratio rule still passes (see capacity.newLimitByRatio). */
  newLimitByRatio: number;
  /** Leads given here that Salesforce does not show yet (the write-back is pending). */
  pending?: number;
  /** Leads given in each period asked for (`day:2026-12-02`); a period with none is absent. */
  periodGiven?: PeriodCounts;
  /** The rep has period counters but no counters item yet: the counts above are not stored values. */
  periodsOnly?: true;
}

export interface CapacityLimits {
  maxOpen: number;
  maxNew: number;
  /** Ratio bound for a rep the store has no counters for yet (no in-progress leads known). */
  initialNewLimitByRatio: number;
  /** Per-day / per-week caps of the rep's current local periods; each period's counter is in the condition. */
  periods?: readonly PeriodCap[];
}

export interface AssignmentWrite {
  /** The outbound-message notification (intake); absent for changes no notification caused (top-up). */
  notificationId?: string;
  leadId: string;
  /** Owner before, from the message, for the audit record. */
  previousOwnerId: string | undefined;
  ownerId: string;
  ownerKind: 'rep' | 'default';
  territoryId: string | undefined;
  reason: string;
  trace: unknown;
  /** The routed lead's rule attributes (see routedLeadFields), kept on the audit record for replay. */
  routedLead?: Record<string, string | null>;
  source: ChangeSource;
  /** Capacity condition for a rep owner: the write fails rather than pass a cap. */
  capacity?: CapacityLimits;
  /**
   * The rep's new-lead count the decision read (its own earlier leads in the same batch included);
   * needed when one transaction gives the rep several leads (see recordAssignments).
   */
  newLeadsSeen?: number;
  /** Distribution state to store, conditional on the version it was computed from. */
  distribution?: { territoryId: string; expectedVersion: number; nextState: DistributionState };
  /** Owners the write-back may replace (intake queue, integration user); anyone else means a person took it. */
  replaceableOwnerIds: string[];
  at: string;
  changeId: string;
  /** The run that made the change (a top-up run id), kept on the assignment and the audit record. */
  runId?: string;
  /**
   * Top-up: a lead intake could only give the default owner (no rep had room) may be taken over;
   * an assignment to a rep always stands.
   */
  replacesDefaultOwner?: boolean;
  /** The lead was held (nobody on shift): the write replaces the hold, and only a hold. */
  releasesHold?: boolean;
  /**
   * The caller writes this owner with a Bulk API job: the outbox item is held (not streamed to the
   * write-back) until this time, after which the sweeper takes over whatever the job did not settle.
   */
  heldForBulkUntil?: string;
  /** The account intake matched the lead to; the write-back sets the lookup field (MATCHED_ACCOUNT_FIELD) when configured. */
  matchedAccountId?: string;
  /** Starts the assignment's SLA clock in the same transaction (a rep of a territory with an SLA). */
  slaClock?: SlaClockStart;
  /**
   * An SLA re-route or escalation: written only while the lead's assignment is still this owner's
   * change and its clock still pending (a concurrent sweep or a new assignment makes it a conflict).
   */
  replaces?: { ownerId: string; changeId: string };
}

/** A new clock's timing and history; the lead, change, owner, territory and start come from the write. */
export type SlaClockStart = Pick<
  SlaClock,
  'dueAt' | 'warnAt' | 'reroutes' | 'previousOwners' | 'policy' | 'routedLead'
> & { territoryId: string };

/** A lead held because nobody of its territory is on shift: recorded, owner unchanged, nothing to write back. */
export interface HoldWrite {
  notificationId?: string;
  leadId: string;
  /** Owner before (from the message): it stays the owner while the lead is held. */
  previousOwnerId: string | undefined;
  /** The owner the assignment record names meanwhile: the previous owner, else the model's default owner. */
  heldOwnerId: string;
  territoryId: string;
  reason: string;
  trace: unknown;
  /** The routed lead's rule attributes: what routing decides on when the lead is released. */
  routedLead: Record<string, string | null>;
  at: string;
  changeId: string;
}

/** A held lead as the release job reads it. */
export interface HeldLead {
  leadId: string;
  territoryId: string;
  reason: string;
  heldAt: string;
  previousOwnerId?: string;
  notificationId?: string;
  fields: Record<string, string | null>;
}

export type AssignmentWriteResult =
  | { ok: true }
  | {
      ok: false;
      conflict: 'duplicate-notification' | 'lead-already-assigned' | 'capacity' | 'distribution-changed';
      /** With capacity: the period cap that refused, when it was one (else the open/new/ratio caps). */
      periodCap?: PeriodCap;
      /** With distribution-changed: the territory's rotation as the winning writer left it, to decide again. */
      current?: TerritoryDistribution;
    };

export interface AssignmentLedger {
  /** One batched read: which of these (notification, lead) pairs and leads were already recorded. */
  priorDeliveries(deliveries: Delivery[], leadIds: string[]): Promise<PriorDelivery>;
  /** Counters of these reps, with the leads given in the periods named per rep (same batched read). */
  repCounters(
    repIds: string[],
    periods?: ReadonlyMap<string, readonly string[]>,
  ): Promise<Map<string, RepCounters>>;
  /** Every territory asked for; one with no stored state is at version 0 with an empty state. */
  distributionSnapshots(territoryIds: string[]): Promise<Map<string, TerritoryDistribution>>;
  /**
   * Add to a territory's distribution counts outside a routing decision (top-up allocations), so
   * count-based rules (least gets it, weighted shares) see every lead a territory distributed.
   */
  addDistributionCounts(
    territoryId: string,
    increments: Readonly<Record<string, number>>,
    at: string,
  ): Promise<void>;
  /**
   * The assignment, counters, distribution state, audit and outbox item in one conditional transaction.
   * A refused condition is a conflict; a transaction lost to a concurrent writer rejects with ConcurrentWriteError;
   * a write that can never be stored (a limit of the store) rejects with StorageLimitError before anything is sent.
   */
  recordAssignment(write: AssignmentWrite): Promise<AssignmentWriteResult>;
  /**
   * Several assignments in one transaction, all or none, as recordAssignment would write each: a rep's
   * counters updated once by the number of leads it takes (every cap holding after the last), a
   * territory's rotation once, from the first write's expected version to the last write's state.
   * A refusal of any condition writes nothing; the caller decides the leads again one by one.
   */
  recordAssignments(writes: readonly AssignmentWrite[]): Promise<AssignmentWriteResult>;
  /** The hold, the notification, the assignment record (kind `held`) and the audit in one transaction. */
  recordHold(write: HoldWrite): Promise<AssignmentWriteResult>;
  /** Held leads, oldest first, at most `limit`. */
  heldLeads(limit: number): Promise<HeldLead[]>;
  /** The lead's hold, when it is held. */
  heldLead(leadId: string): Promise<HeldLead | undefined>;
  recordDuplicate(
    notificationId: string,
    leadId: string | undefined,
    reason: string,
    at: string,
  ): Promise<void>;
  /** Never refused for its size: keys from message input are bounded and long text is cut. */
  recordQuarantine(
    notificationId: string,
    leadId: string | undefined,
    reason: string,
    at: string,
  ): Promise<void>;
}

/**
 * A write the store can never accept, whatever the retry (an item over its size limit, say); the
 * message names the limit. Nothing was written. Intake quarantines the notification with it.
 */
export class StorageLimitError extends Error {
  override name = 'StorageLimitError';
}
