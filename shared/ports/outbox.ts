import type { ChangeSource } from '../domain/audit/reason.js';
import type { CrmObjectType } from './crm.js';

export interface OutboxItem {
  recordId: string;
  changeId: string;
  objectType: CrmObjectType;
  ownerId: string;
  ownerKind: 'rep' | 'default';
  reason: string;
  source: ChangeSource;
  replaceableOwnerIds: string[];
  attempts: number;
  enqueuedAt: string;
  /** The account intake matched the lead to, for the optional lookup field. */
  matchedAccountId?: string;
}

export type OutboxOutcome =
  | { status: 'written'; detail: string }
  | { status: 'skipped'; detail: string }
  | { status: 'failed'; detail: string; errorCode: string };

export interface Outbox {
  /** Pending items whose next attempt is due, oldest first. */
  due(now: Date, limit: number): Promise<OutboxItem[]>;
  /** Settle an item; a rep owner's counters are corrected when the lead did not reach them. */
  settle(item: OutboxItem, outcome: OutboxOutcome, at: string): Promise<void>;
  /** When the oldest still-pending item was enqueued (for the backlog-age metric). */
  oldestPendingSince(): Promise<string | undefined>;
  /** Try again at `nextAttemptAt` (backoff), remembering the last error. */
  reschedule(item: OutboxItem, nextAttemptAt: Date, lastError: string): Promise<void>;
}
