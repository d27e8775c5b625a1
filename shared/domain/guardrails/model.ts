import type { IsoDate } from './dates.js';

export const OBJECT_TYPES = ['Account', 'Lead'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const APPROVER_ROLES = ['vp', 'deal-owner', 'manager'] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];

export const GUARDRAIL_RULES = [
  'duplicate-move',
  'named-account',
  'effective-date',
  'book-change',
  'vp-approval',
  'deal-owner-approval',
] as const;
export type GuardrailRule = (typeof GUARDRAIL_RULES)[number];

/** One owner change someone asks for (a bulk-reassign row or a planning transition move). */
export interface ProposedMove {
  recordId: string;
  objectType: ObjectType;
  /** Current owner; null when the record has none (e.g. an orphaned account). */
  fromOwnerId: string | null;
  toOwnerId: string;
  /** ISO date; when absent the move takes effect on the earliest date the notice period allows. */
  effectiveDate?: IsoDate;
}

export interface MoveRequest {
  moves: readonly ProposedMove[];
  /** Named accounts a manager agreed to move: their ids, or 'all'. */
  namedAccountOverride?: 'all' | readonly string[];
}

export interface SnapshotAccount {
  id: string;
  ownerId: string | null;
  named: boolean;
}

export interface OpenOpportunity {
  id: string;
  accountId: string;
  ownerId: string;
  amount: number;
  name?: string;
}

/** An owner change already applied, from the audit ledger. */
export interface PastMove {
  recordId: string;
  objectType: ObjectType;
  fromOwnerId: string | null;
  toOwnerId: string;
  effectiveDate: IsoDate;
}

/** What the guardrails need to know about the org right now. */
export interface GuardrailSnapshot {
  accounts: readonly SnapshotAccount[];
  openOpportunities: readonly OpenOpportunity[];
  /** Accounts each rep owns now; reps missing here fall back to counting `accounts`. */
  bookSizes?: Readonly<Record<string, number>>;
  history: readonly PastMove[];
  /** Display names of records and users by id: messages name them (ids when unknown). */
  names?: ReadonlyMap<string, string>;
}

export type ViolationOutcome = 'blocked' | 'approval-required' | 'rescheduled';

export interface Violation {
  rule: GuardrailRule;
  outcome: ViolationOutcome;
  /** The rep the rule counts for (VP and book-change rules), if any. */
  repId?: string;
  recordIds: string[];
  numbers: Record<string, number>;
  message: string;
  approverRole?: ApproverRole;
  /** Specific approvers when the rule names them (the deal owners). */
  approverIds?: string[];
}

export interface ResolvedMove extends ProposedMove {
  effectiveDate: IsoDate;
}

export interface BlockedMove {
  move: ProposedMove;
  rules: GuardrailRule[];
  reasons: string[];
}

export interface RequiredApproval {
  role: ApproverRole;
  /** Specific people when the rule names them (deal owners); empty means anyone holding the role. */
  approverIds: string[];
  rules: GuardrailRule[];
  recordIds: string[];
  reasons: string[];
}

export interface StayingOpportunity extends OpenOpportunity {
  /** The account's new owner; the opportunity itself keeps `ownerId` until close. */
  accountMovesTo: string;
}

export interface GuardrailResult {
  allowed: ResolvedMove[];
  blocked: BlockedMove[];
  /** Moves to the owner the record already has; dropped. */
  noOps: ProposedMove[];
  violations: Violation[];
  requiredApprovals: RequiredApproval[];
  opportunitiesStaying: StayingOpportunity[];
}
