import type { IsoDate } from '../guardrails/dates.js';
import type {
  ApproverRole,
  GuardrailRule,
  ObjectType,
  OpenOpportunity,
  PastMove,
} from '../guardrails/model.js';
import type { Approver } from './approvers.js';
import type { MoveRow } from './moves.js';

export type ReassignmentStatus =
  | 'submitted'
  | 'awaiting-approval'
  /** Approved (or nothing needed approval); waiting for the effective date. */
  | 'scheduled'
  | 'applying'
  | 'completed'
  | 'completed-with-failures'
  | 'rejected'
  | 'expired'
  | 'nothing-to-apply';

/** The request itself: who asked, why, and how it stands. */
export interface Reassignment {
  id: string;
  requestedBy: string;
  /** The authenticated caller (IAM principal, or `api-key` locally). */
  submittedBy: string;
  label: string;
  namedAccountOverride?: 'all' | string[];
  submittedAt: string;
  moveCount: number;
  status: ReassignmentStatus;
}

/** What Salesforce says about one record of the request. */
export interface RecordSnapshot {
  id: string;
  objectType: ObjectType;
  ownerId: string | null;
  named: boolean;
  /** Parent account: records sharing one are written in the same batch (Salesforce locks the parent). */
  parentId: string | null;
  arr: number;
  /** The record's Name, for pages and messages. */
  name?: string;
}

export interface UserSnapshot {
  id: string;
  name: string;
  active: boolean;
}

/** Everything validation reads, taken at one moment. */
export interface ReassignmentSnapshot {
  records: ReadonlyMap<string, RecordSnapshot>;
  openOpportunities: readonly OpenOpportunity[];
  /** Accounts each involved rep owns now. */
  bookSizes: Readonly<Record<string, number>>;
  users: ReadonlyMap<string, UserSnapshot>;
  /** Accounts moved away from the involved reps within the rolling window (the audit ledger). */
  history: readonly PastMove[];
}

/** `invalid`: the record or new owner doesn't exist or can't own records; never a guardrail matter. */
export type MoveOutcome = 'allowed' | 'blocked' | 'no-op' | 'invalid';

export interface EvaluatedMove extends MoveRow {
  /** The record's Name when Salesforce has it, so later messages name it too. */
  recordName?: string;
  fromOwnerId: string | null;
  outcome: MoveOutcome;
  /** Why a move is blocked or invalid (one sentence per rule). */
  notes: string[];
  /** The date the move takes effect (allowed moves). */
  effectiveOn?: IsoDate;
  parentId: string | null;
  arr: number;
  openDeals: number;
  openDealAmount: number;
}

export interface RepImpact {
  repId: string;
  repName: string;
  gains: number;
  losses: number;
  arrGained: number;
  arrLost: number;
}

/** A guardrail finding as the report keeps it: record lists cut short, their full length kept. */
export interface ReportedViolation {
  rule: GuardrailRule;
  outcome: 'blocked' | 'approval-required' | 'rescheduled';
  repId?: string;
  recordIds: string[];
  recordCount: number;
  numbers: Record<string, number>;
  message: string;
  approverRole?: ApproverRole;
}

export interface ReassignmentReport {
  counts: { requested: number; allowed: number; blocked: number; noOps: number; invalid: number };
  /** Per rep, the allowed moves they gain and lose. */
  reps: RepImpact[];
  arrMoving: number;
  /** Open opportunities on moving accounts: they stay with their owners until close. */
  openDeals: { count: number; amount: number };
  violations: ReportedViolation[];
  /** When the allowed moves apply: the latest effective date among them. */
  applyOn: IsoDate | null;
  /** Guardrails skipped because the org lacks their field, and other caveats about the org. */
  notes?: string[];
  /** The first allowed moves by name (pages list them; `counts.allowed` is the total). */
  moving?: MoveLine[];
  /** The first blocked and invalid moves, each with its row and why (the rest are in the request's moves). */
  problems?: Array<MoveLine & { outcome: 'blocked' | 'invalid'; why: string[] }>;
}

/** One move as people read it: row in the request, record and owners by name. */
export interface MoveLine {
  row: number;
  recordId: string;
  objectType: ObjectType;
  name: string;
  from: string;
  to: string;
  effectiveOn?: IsoDate;
}

export interface ApprovalSpec {
  approvalId: string;
  role: ApproverRole;
  /** Anyone listed may decide. */
  approvers: Approver[];
  reasons: string[];
  recordCount: number;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'closed';

export interface ApprovalDecision {
  decision: 'approve' | 'reject';
  approverId: string;
  approverName: string;
  comment: string;
  at: string;
  via: 'link' | 'slack';
}

export interface Approval extends ApprovalSpec {
  requestId: string;
  status: ApprovalStatus;
  createdAt: string;
  decided?: ApprovalDecision;
}

export type MoveResult =
  | { status: 'applied' }
  | { status: 'failed'; errorCode: string; message: string }
  | { status: 'skipped'; reason: string };

/** A move ready to be written, with the reason text Salesforce receives. */
export interface ApplyMove {
  row: number;
  recordId: string;
  objectType: ObjectType;
  fromOwnerId: string | null;
  toOwnerId: string;
  reason: string;
  effectiveOn: IsoDate;
  parentId: string | null;
  arr: number;
  result?: MoveResult;
  /** Last retryable error, kept so a batch that runs out of retries reports it. */
  lastError?: { errorCode: string; message: string };
}

export interface ReassignmentSummary {
  applied: number;
  failed: number;
  skipped: number;
  blocked: number;
  noOps: number;
  invalid: number;
  reps: RepImpact[];
  arrMoved: number;
  /** Every failure, never dropped (the Slack message shows the first few and links to the rest). */
  failures: Array<{
    row: number;
    recordId: string;
    objectType: ObjectType;
    /** The record's and the new owner's names (absent in summaries stored before names were kept). */
    name?: string;
    to?: string;
    errorCode: string;
    message: string;
  }>;
  skippedMoves: Array<{ row: number; recordId: string; name?: string; to?: string; reason: string }>;
  approvedBy: string[];
}
