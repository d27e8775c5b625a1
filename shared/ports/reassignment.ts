import type { IsoDate } from '../domain/guardrails/dates.js';
import type { ObjectType, OpenOpportunity, PastMove } from '../domain/guardrails/model.js';
import type { ApplyMode } from '../domain/reassign/apply-plan.js';
import type {
  ApplyMove,
  Approval,
  ApprovalDecision,
  ApprovalSpec,
  EvaluatedMove,
  Reassignment,
  ReassignmentReport,
  ReassignmentStatus,
  ReassignmentSummary,
  RecordSnapshot,
  UserSnapshot,
} from '../domain/reassign/model.js';
import type { MoveRow } from '../domain/reassign/moves.js';

/** How the request stands, with what each step stored. */
export interface StoredReassignment extends Reassignment {
  report?: ReassignmentReport;
  approvalIds?: string[];
  approvedBy?: string[];
  plan?: ApplyPlan;
  summary?: ReassignmentSummary;
  /** Why a request closed without applying (rejected, expired). */
  closedBecause?: string;
  updatedAt: string;
}

export interface ApplyPlan {
  mode: ApplyMode;
  batchIds: string[];
  plannedAt: string;
}

export type BatchClaim =
  | { kind: 'claimed'; attempt: number; moves: ApplyMove[] }
  /** Already applied or settled as failed: a re-run returns this without writing anything. */
  | { kind: 'done'; status: 'applied' | 'failed'; counts: BatchCounts }
  /** Another invocation holds the lease. */
  | { kind: 'busy' };

export type BatchStatus = 'pending' | 'applying' | 'applied' | 'failed';

export interface BatchCounts {
  applied: number;
  failed: number;
  skipped: number;
}

/** Requests, their moves and apply batches, in DynamoDB; the workflow's payload carries ids only. */
export interface ReassignmentStore {
  create(request: Reassignment, moves: readonly MoveRow[]): Promise<void>;
  get(requestId: string): Promise<StoredReassignment | undefined>;
  submittedMoves(requestId: string): Promise<MoveRow[]>;
  evaluatedMoves(requestId: string): Promise<EvaluatedMove[]>;
  /** Store the evaluation once; false when the request was already evaluated (a re-run). */
  saveEvaluation(
    requestId: string,
    evaluation: { moves: readonly EvaluatedMove[]; report: ReassignmentReport; approvalIds: string[] },
    status: ReassignmentStatus,
    at: string,
  ): Promise<boolean>;
  setStatus(
    requestId: string,
    status: ReassignmentStatus,
    at: string,
    extra?: { approvedBy?: string[]; closedBecause?: string },
  ): Promise<void>;
  /**
   * Store the apply plan once: batches of moves to write, plus moves settled before writing
   * (owner changed meanwhile, already applied). Returns the stored plan, first writer wins.
   */
  savePlan(
    requestId: string,
    plan: { mode: ApplyMode; batches: ApplyMove[][]; settled: ApplyMove[] },
    at: string,
  ): Promise<ApplyPlan>;
  /** Take a batch for writing under a lease; applied or failed batches are never taken again. */
  claimBatch(requestId: string, batchId: string, now: Date, leaseMs: number): Promise<BatchClaim>;
  /** A batch as stored, without taking it (the failure path settles what is still open). */
  readBatch(requestId: string, batchId: string): Promise<{ status: BatchStatus; moves: ApplyMove[] }>;
  /** Store per-record results as they come (so a retry writes only what is still open). */
  saveBatchMoves(requestId: string, batchId: string, moves: readonly ApplyMove[]): Promise<void>;
  /** Give the batch back for a retry (its lease ends now). */
  releaseBatch(requestId: string, batchId: string, attempt: number): Promise<void>;
  finishBatch(
    requestId: string,
    batchId: string,
    status: 'applied' | 'failed',
    counts: BatchCounts,
  ): Promise<void>;
  /** Every planned move with its result, batches and pre-settled moves together. */
  applyMoves(requestId: string): Promise<ApplyMove[]>;
  complete(
    requestId: string,
    status: ReassignmentStatus,
    summary: ReassignmentSummary,
    at: string,
  ): Promise<void>;
}

export type DecideOutcome =
  | { kind: 'decided'; approval: Approval; taskToken?: string }
  /** This link token was used before (a replayed POST). */
  | { kind: 'token-used' }
  /** The approval was already decided or closed. */
  | { kind: 'not-pending'; approval: Approval };

/** Approvals and their Step Functions task tokens, which never leave the server. */
export interface ApprovalStore {
  create(requestId: string, approvals: readonly ApprovalSpec[], at: string): Promise<void>;
  get(approvalId: string): Promise<Approval | undefined>;
  getMany(approvalIds: readonly string[]): Promise<Approval[]>;
  /** Keep the token of the waiting task; returns the approval as it is now (maybe decided already). */
  attachToken(approvalId: string, taskToken: string): Promise<{ approval: Approval; taskToken: string }>;
  /**
   * Record a decision once: the link token's nonce is marked used and the approval moves from
   * pending in one transaction, so a replay or a second approver changes nothing.
   */
  decide(
    approvalId: string,
    decision: ApprovalDecision,
    nonce: string,
    nonceExpiresAt: number,
  ): Promise<DecideOutcome>;
  /** Close what is still pending (the request was rejected or expired); returns what was closed. */
  closePending(approvalIds: readonly string[], at: string): Promise<void>;
  /** Pending approvals that hold a task token (for heartbeats). */
  waiting(limit: number): Promise<Array<{ approvalId: string; taskToken: string }>>;
}

export interface OwnerChangeRecord {
  recordId: string;
  objectType: ObjectType;
  before: string | null;
  after: string;
  reason: string;
  requestId: string;
  requestedBy: string;
  approvedBy: string[];
  effectiveOn: IsoDate;
  at: string;
}

/** The audit ledger's side for reassignments: a record per change, and history by rep. */
export interface OwnerChangeAudit {
  /** Idempotent: the same change recorded twice is one record. */
  record(changes: readonly OwnerChangeRecord[]): Promise<void>;
  /** Accounts moved away from these reps with an effective date in [from, to]. */
  movesAwayFrom(repIds: readonly string[], from: IsoDate, to: IsoDate): Promise<PastMove[]>;
}

/** What validation and apply read from Salesforce. */
export interface CrmReassignmentReader {
  records(objectType: ObjectType, ids: readonly string[]): Promise<RecordSnapshot[]>;
  /** Current owner per id; ids that no longer exist are absent. */
  currentOwners(objectType: ObjectType, ids: readonly string[]): Promise<Map<string, string | null>>;
  openOpportunities(accountIds: readonly string[]): Promise<OpenOpportunity[]>;
  bookSizes(repIds: readonly string[]): Promise<Record<string, number>>;
  users(ids: readonly string[]): Promise<UserSnapshot[]>;
  /** Guardrails this org can't support (e.g. no named-account field), each said in a note. */
  orgNotes(): Promise<string[]>;
}

/** Starts the approval workflow for a stored request (Step Functions in AWS, in-process locally). */
export interface ReassignmentWorkflow {
  start(requestId: string): Promise<void>;
}

/** Step Functions callbacks for `.waitForTaskToken` tasks. */
export interface TaskTokens {
  succeed(taskToken: string, output: Record<string, unknown>): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
  /** False when the task is gone (timed out, execution stopped). */
  heartbeat(taskToken: string): Promise<boolean>;
}

/** A link one approver opens to decide one approval. */
export interface ApproverLink {
  approver: { id: string; name: string; slackUserId?: string };
  url: string;
}

export interface ReassignmentNotifier {
  approvalsRequested(
    request: StoredReassignment,
    approvals: ReadonlyArray<{ approval: Approval; links: ApproverLink[] }>,
  ): Promise<void>;
  closed(request: StoredReassignment, because: string): Promise<void>;
  completed(request: StoredReassignment, summary: ReassignmentSummary): Promise<void>;
}
