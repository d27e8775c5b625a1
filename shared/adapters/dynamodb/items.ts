/**
 * Every item type of the single table: its key (from keys.ts) and its stored attributes, declared
 * once and used both to write (`toItem`) and to read back (`fromItem`, which refuses a malformed
 * item with MalformedItemError). Conditions and update expressions stay explicit in the adapters.
 *
 * To add an item type: add its key builder to keys.ts; declare `fooItem = itemCodec({ name, key,
 * attributes: z.object({...}) })` here; write with `fooItem.toItem([ids], attributes)` (in a Put
 * or a TransactWriteItems entry), read with `fooItem.fromItem(item)`; add it to the round-trip
 * cases in test/unit/dynamodb/items.test.ts.
 */
import * as z from 'zod';
import type { ChangeSource } from '../../domain/audit/reason.js';
import { APPROVER_ROLES, OBJECT_TYPES } from '../../domain/guardrails/model.js';
import type { ApplyMode } from '../../domain/reassign/apply-plan.js';
import type { Approver } from '../../domain/reassign/approvers.js';
import type {
  ApplyMove,
  ApprovalDecision,
  ApprovalStatus,
  EvaluatedMove,
  ReassignmentReport,
  ReassignmentStatus,
  ReassignmentSummary,
} from '../../domain/reassign/model.js';
import type { MoveRow } from '../../domain/reassign/moves.js';
import type { TopUpRunSummary } from '../../domain/topup/run.js';
import type { ApplyPlan, BatchCounts, BatchStatus } from '../../ports/reassignment.js';
import { domainList, domainObject, itemCodec } from './item-codec.js';
import { keys } from './keys.js';

// Every ChangeSource: the ledger writes the source it is given, so a new one fails to compile here.
const changeSource = z.enum(['intake', 'top-up', 'reassign', 'sla']) satisfies z.ZodType<ChangeSource>;
const ownerKind = z.enum(['rep', 'default']);
const crmObjectType = z.enum(['Lead', 'Account', 'Opportunity']);
const counter = z.number().int();
/** TTL attribute, epoch seconds (see tableDefinition.timeToLiveAttribute). */
const expiresAt = z.number().int();

/** One per (notification id, lead) of an outbound message: what became of it (the dedup anchor for redeliveries). */
export const notificationItem = itemCodec({
  name: 'notification record',
  key: keys.notification,
  attributes: z.object({
    outcome: z.enum(['assigned', 'duplicate', 'quarantined']),
    /** The id as sent, cut short when long (the key then holds its hash). */
    notificationId: z.string().optional(),
    leadId: z.string().optional(),
    reason: z.string().optional(),
    at: z.string(),
    expiresAt,
  }),
});

/** One per lead: who this system gave it to. */
export const assignmentItem = itemCodec({
  name: 'lead assignment',
  key: keys.leadAssignment,
  attributes: z.object({
    ownerId: z.string(),
    /** `held`: nobody was on shift and the territory holds its leads; the owner is unchanged until released. */
    ownerKind: z.enum(['rep', 'default', 'held']),
    territoryId: z.string().optional(),
    reason: z.string(),
    source: changeSource,
    notificationId: z.string().optional(),
    runId: z.string().optional(),
    changeId: z.string(),
    at: z.string(),
  }),
});

/** A lead held until a rep of its territory is on shift: what routing needs to assign it then. */
export const heldLeadItem = itemCodec({
  name: 'held lead',
  key: keys.heldLead,
  attributes: z.object({
    leadId: z.string(),
    territoryId: z.string(),
    reason: z.string(),
    heldAt: z.string(),
    previousOwnerId: z.string().optional(),
    notificationId: z.string().optional(),
    /** The lead's routing attributes (the allow-list routing reads), to decide again on release. */
    fields: z.record(z.string(), z.string().nullable()),
  }),
});

/** A rep's counters; written by update expressions only (their conditions carry the caps). */
export const repCountersItem = itemCodec({
  name: 'rep counters',
  key: keys.rep,
  attributes: z.object({
    openLeads: counter.default(0),
    newLeads: counter.default(0),
    inProgressLeads: counter.default(0),
    newLimitByRatio: counter.default(0),
    pending: counter.default(0),
    recentlyGiven: counter.default(0),
    reconciledAt: z.string().optional(),
  }),
});

/** Leads a rep got in one period; its condition carries the period cap, `expiresAt` lets TTL remove it. */
export const repPeriodItem = itemCodec({
  name: 'rep period counter',
  key: keys.repPeriod,
  attributes: z.object({
    given: counter.default(0),
    expiresAt: z.number().int(),
  }),
});

/** A territory's distribution state, versioned for the optimistic lock. */
export const distributionStateItem = itemCodec({
  name: 'distribution state',
  key: keys.distributionState,
  attributes: z.object({
    version: counter.min(1),
    state: z.object({
      turns: z.record(z.string(), counter),
      counts: z.record(z.string(), counter),
    }),
    updatedAt: z.string(),
  }),
});

/** Audit record of one owner change (intake, top-up and reassignment alike), listed by source in GSI1. */
export const auditItem = itemCodec({
  name: 'audit record',
  key: keys.audit,
  attributes: z.object({
    recordId: z.string(),
    objectType: crmObjectType,
    before: z.string().nullable(),
    after: z.string(),
    reason: z.string(),
    source: changeSource,
    at: z.string(),
    notificationId: z.string().optional(),
    runId: z.string().optional(),
    territoryId: z.string().optional(),
    /** The decision trace, as routing built it. */
    trace: z.unknown().optional(),
    /** The routed lead's rule attributes, for replaying history against a draft. */
    routedLead: z.record(z.string(), z.string().nullable()).optional(),
    requestId: z.string().optional(),
    requestedBy: z.string().optional(),
    approvedBy: z.array(z.string()).optional(),
    effectiveOn: z.string().optional(),
  }),
});

/** The SLA clock of one assignment: pending in GSI1 by next check, closed in GSI1 by close time. */
export const slaClockItem = itemCodec({
  name: 'SLA clock',
  key: keys.slaClock,
  attributes: z.object({
    leadId: z.string(),
    changeId: z.string(),
    ownerId: z.string(),
    territoryId: z.string(),
    assignedAt: z.string(),
    warnAt: z.string().optional(),
    dueAt: z.string(),
    warned: z.boolean(),
    reroutes: counter.min(0),
    previousOwners: z.array(z.string()),
    policy: z.object({
      firstTouchMinutes: z.number(),
      warnAt: z.number().optional(),
      maxReroutes: z.number(),
      escalateTo: z.union([
        z.object({ to: z.literal('manager') }),
        z.object({ to: z.literal('queue'), queue: z.string().optional() }),
      ]),
    }),
    routedLead: z.record(z.string(), z.string().nullable()),
    status: z.enum(['pending', 'touched', 'breached', 'released']),
    closedAt: z.string().optional(),
    breached: z.boolean().optional(),
    touchedAt: z.string().optional(),
    touchedBy: z.enum(['activity', 'status', 'converted']).optional(),
    speedMinutes: z.number().optional(),
    closeReason: z.string().optional(),
  }),
});

/** An account a rep lost, by rep and effective date (the rolling-year book-change history). */
export const repMoveHistoryItem = itemCodec({
  name: 'rep move history',
  key: keys.repMoveHistory,
  attributes: z.object({
    repId: z.string(),
    recordId: z.string(),
    objectType: z.enum(OBJECT_TYPES),
    fromOwnerId: z.string(),
    toOwnerId: z.string(),
    effectiveDate: z.string(),
    requestId: z.string(),
  }),
});

/** An owner change waiting for (or settled by) the Salesforce write-back; its sort key is the change id. */
export const outboxItem = itemCodec({
  name: 'outbox item',
  key: keys.outbox,
  attributes: z.object({
    recordId: z.string(),
    objectType: crmObjectType,
    ownerId: z.string(),
    ownerKind,
    reason: z.string().default(''),
    source: changeSource,
    replaceableOwnerIds: z.array(z.string()).default([]),
    /** `bulk`: pending, held for a top-up's Bulk API job until its GSI1 time. */
    status: z.enum(['pending', 'bulk', 'written', 'skipped', 'failed']),
    attempts: counter.default(0),
    enqueuedAt: z.string(),
    lastError: z.string().optional(),
    detail: z.string().optional(),
    settledAt: z.string().optional(),
    errorCode: z.string().nullable().optional(),
    matchedAccountId: z.string().optional(),
  }),
});

/** A single-writer lease; expiry is in `leaseUntil` (epoch ms), checked by the conditions. */
export const leaseItem = itemCodec({
  name: 'run lease',
  key: keys.lease,
  attributes: z.object({
    holder: z.string(),
    acquiredAt: z.string(),
    leaseUntil: z.number(),
    expiresAt,
  }),
});

export const topUpRunItem = itemCodec({
  name: 'top-up run summary',
  key: keys.topUpRun,
  attributes: z.object({ summary: domainObject<TopUpRunSummary>(), expiresAt }),
});

/** Territory models are stored gzipped (a version item is at most 400 KB). */
const storedModel = {
  model: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected binary'),
  checksum: z.string(),
  territories: counter,
};

export const territoryDraftItem = itemCodec({
  name: 'territory draft',
  key: keys.territoryDraft,
  attributes: z.object({
    kind: z.literal('TerritoryDraft'),
    ...storedModel,
    revision: counter.min(1),
    savedAt: z.string(),
    savedBy: z.string().nullable().optional(),
  }),
});

export const territoryPointerItem = itemCodec({
  name: 'territory production pointer',
  key: keys.territoryPointer,
  attributes: z.object({
    kind: z.literal('TerritoryPointer'),
    version: counter.min(1),
    latestVersion: counter.min(1),
    updatedAt: z.string(),
    updatedBy: z.string().nullable().optional(),
    action: z.enum(['promote', 'rollback']),
  }),
});

/** Immutable: written once with `attribute_not_exists`, never updated. */
export const territoryVersionItem = itemCodec({
  name: 'territory version',
  key: keys.territoryVersion,
  attributes: z.object({
    kind: z.literal('TerritoryVersion'),
    version: counter.min(1),
    ...storedModel,
    promotedAt: z.string(),
    draftRevision: counter,
    promotedBy: z.string().optional(),
    note: z.string().optional(),
  }),
});

const reassignmentStatus = z.enum([
  'submitted',
  'awaiting-approval',
  'scheduled',
  'applying',
  'completed',
  'completed-with-failures',
  'rejected',
  'expired',
  'nothing-to-apply',
]) satisfies z.ZodType<ReassignmentStatus>;

/** A bulk reassignment request and what each step stored on it. */
export const reassignmentItem = itemCodec({
  name: 'reassignment request',
  key: keys.reassignment,
  attributes: z.object({
    id: z.string(),
    requestedBy: z.string(),
    submittedBy: z.string(),
    label: z.string(),
    namedAccountOverride: z.union([z.literal('all'), z.array(z.string())]).optional(),
    submittedAt: z.string(),
    moveCount: counter,
    status: reassignmentStatus,
    updatedAt: z.string(),
    report: domainObject<ReassignmentReport>().optional(),
    approvalIds: z.array(z.string()).optional(),
    approvedBy: z.array(z.string()).optional(),
    plan: z
      .object({
        mode: z.enum(['collections', 'bulk']) satisfies z.ZodType<ApplyMode>,
        batchIds: z.array(z.string()),
        plannedAt: z.string(),
      })
      .optional() satisfies z.ZodType<ApplyPlan | undefined>,
    summary: domainObject<ReassignmentSummary>().optional(),
    closedBecause: z.string().optional(),
  }),
});

/** A chunk of the request's moves in request order; `evaluated` once validation ran. */
export const reassignmentMovesItem = itemCodec({
  name: 'reassignment moves chunk',
  key: keys.reassignmentMoves,
  attributes: z.object({
    moves: domainList<MoveRow>(),
    evaluated: domainList<EvaluatedMove>().optional(),
  }),
});

/** One apply batch's claim: status, lease and attempt. */
export const reassignmentBatchItem = itemCodec({
  name: 'reassignment batch',
  key: keys.reassignmentBatch,
  attributes: z.object({
    batchId: z.string(),
    status: z.enum(['pending', 'applying', 'applied', 'failed']) satisfies z.ZodType<BatchStatus>,
    attempt: counter,
    leaseUntil: z.number(),
    parts: counter,
    size: counter,
    objectType: z.enum(OBJECT_TYPES).nullable(),
    counts: domainObject<BatchCounts>().optional(),
  }),
});

export const reassignmentBatchPartItem = itemCodec({
  name: 'reassignment batch part',
  key: keys.reassignmentBatchPart,
  attributes: z.object({ moves: domainList<ApplyMove>() }),
});

/** An approval a reassignment waits for; the Step Functions task token stays here, server-side. */
export const approvalItem = itemCodec({
  name: 'approval',
  key: keys.approval,
  attributes: z.object({
    approvalId: z.string(),
    requestId: z.string(),
    role: z.enum(APPROVER_ROLES),
    approvers: domainList<Approver>(),
    reasons: z.array(z.string()),
    recordCount: counter,
    status: z.enum(['pending', 'approved', 'rejected', 'closed']) satisfies z.ZodType<ApprovalStatus>,
    createdAt: z.string(),
    decided: domainObject<ApprovalDecision>().optional(),
    taskToken: z.string().optional(),
    closedAt: z.string().optional(),
  }),
});

/** Marks one approval-link token as used. */
export const approvalTokenUseItem = itemCodec({
  name: 'approval token use',
  key: keys.approvalTokenUse,
  attributes: z.object({ usedAt: z.string(), expiresAt }),
});
