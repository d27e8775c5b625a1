import { createHash } from 'node:crypto';

/**
 * Every key format of the single table is spelled here and nowhere else.
 * Capabilities add their builders to this module rather than concatenating strings in place.
 */
export interface ItemKey {
  PK: string;
  SK: string;
}

/** Prefixes that readers test outside a key builder (the stream filter, a batch's parts among its items). */
export const keyPrefix = {
  /** Every outbox item's partition key starts with it (the write-back's stream filter matches on it). */
  outbox: 'OUTBOX#',
  /** Marks a batch part's sort key, `BATCH#{batchId}#PART#{part}`. */
  batchPart: '#PART#',
} as const;

/** Longer key parts become a hash: DynamoDB keys hold 2,048 bytes (GSI sort keys 1,024). */
const MAX_KEY_PART_BYTES = 256;

/**
 * A key part that came from outside (a notification id, a lead id as sent): itself when short,
 * otherwise `sha256:` and its hash, so no message can make a key DynamoDB would refuse.
 */
export function boundedKeyPart(text: string): string {
  if (Buffer.byteLength(text, 'utf8') <= MAX_KEY_PART_BYTES && !text.startsWith('sha256:')) return text;
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

// Sorts before every account id ("001…"), so a key's accounts are the items after it.
const ACCOUNT_LOOKUP_MARKER = '#';

export const keys = {
  /** An account in the lead-to-account index, with the lookup keys it is filed under. */
  account: (accountId: string): ItemKey => ({ PK: `ACCOUNT#${accountId}`, SK: 'ACCOUNT' }),
  /** One account filed under one lookup key (`d:acme.com`, `n:acme`): a lead queries the key's partition. */
  accountLookup: (lookupKey: string, accountId: string): ItemKey => ({
    PK: `ACCTKEY#${lookupKey}`,
    SK: accountId,
  }),
  /** Query bounds of the accounts filed under a lookup key (its sort keys sort after the marker's). */
  accountLookups: (lookupKey: string): { PK: string; afterSK: string } => ({
    PK: `ACCTKEY#${lookupKey}`,
    afterSK: ACCOUNT_LOOKUP_MARKER,
  }),
  /** "Some account is filed under this key": read by key, so a batch read skips the empty keys. */
  accountLookupMarker: (lookupKey: string): ItemKey => ({
    PK: `ACCTKEY#${lookupKey}`,
    SK: ACCOUNT_LOOKUP_MARKER,
  }),
  /** Present once a full load has written a marker for every filed key (indexes from before markers have none). */
  accountLookupMarkersComplete: (): ItemKey => ({ PK: 'ACCOUNTSYNC', SK: 'KEYMARKERS' }),
  /** Where the account sync resumes: the last SystemModstamp and deletion window seen. */
  accountSyncState: (): ItemKey => ({ PK: 'ACCOUNTSYNC', SK: 'STATE' }),
  /** A lead or contact in the duplicate index, in one of its sweep shards (a full load lists them). */
  duplicateRecord: (shard: number, recordId: string): ItemKey => ({ PK: `PERSONS#${shard}`, SK: recordId }),
  /** Where the duplicate index's sync of leads or of contacts resumes. */
  duplicateSyncState: (kind: string): ItemKey => ({ PK: 'PERSONSYNC', SK: kind.toUpperCase() }),
  /** A rep's capacity counters and distribution-related state. */
  rep: (repId: string): ItemKey => ({ PK: `REP#${repId}`, SK: 'REP' }),
  /** Leads a rep got in one local day or week (`day:2026-12-02`): a new period is a new item, no reset. */
  repPeriod: (repId: string, periodId: string): ItemKey => ({ PK: `REP#${repId}`, SK: `PERIOD#${periodId}` }),
  /** Lead assignment record: one per lead, the dedup anchor for redeliveries. */
  leadAssignment: (leadId: string): ItemKey => ({ PK: `LEAD#${leadId}`, SK: 'ASSIGNMENT' }),
  /**
   * One per (outbound-message notification id, lead as sent): makes redelivery of the same notification
   * a no-op, while a repeated notification id with another lead is still accounted for.
   */
  notification: (notificationId: string, leadId?: string): ItemKey => ({
    PK: `NOTIFICATION#${boundedKeyPart(notificationId)}`,
    SK: leadId === undefined ? 'NOTIFICATION' : `LEAD#${boundedKeyPart(leadId)}`,
  }),
  /** A lead held until a rep of its territory is on shift (listed oldest first in GSI1 `HELD`). */
  heldLead: (leadId: string): ItemKey => ({ PK: `HELD#${leadId}`, SK: 'HELD' }),
  /** Audit record of one owner change; sorted by time within the record. */
  audit: (recordId: string, at: string, changeId: string): ItemKey => ({
    PK: `AUDIT#${recordId}`,
    SK: `${at}#${changeId}`,
  }),
  /** Single-writer leases (top-up run lock, sweeper). */
  lease: (name: string): ItemKey => ({ PK: `LEASE#${name}`, SK: 'LEASE' }),
  /** Territory model: draft, production pointer and immutable versions. */
  territoryDraft: (modelId: string): ItemKey => ({ PK: `MODEL#${modelId}`, SK: 'DRAFT' }),
  territoryPointer: (modelId: string): ItemKey => ({ PK: `MODEL#${modelId}`, SK: 'PRODUCTION' }),
  territoryVersion: (modelId: string, version: number): ItemKey => ({
    PK: `MODEL#${modelId}`,
    SK: `VERSION#${String(version).padStart(8, '0')}`,
  }),
  /** Query bounds of every immutable version of a model (`begins_with(SK, skPrefix)`). */
  territoryVersions: (modelId: string): { PK: string; skPrefix: string } => ({
    PK: `MODEL#${modelId}`,
    skPrefix: 'VERSION#',
  }),
  /** Distribution state of a territory (turns, counts per participant). */
  distributionState: (territoryId: string): ItemKey => ({
    PK: `TERRITORY#${territoryId}`,
    SK: 'DISTRIBUTION',
  }),
  /** Summary of one top-up run; all runs share a partition, sorted by start time. */
  topUpRun: (startedAt: string, runId: string): ItemKey => ({
    PK: 'TOPUP#RUNS',
    SK: `${startedAt}#${runId}`,
  }),
  /** Query bounds of every stored top-up run summary. */
  topUpRuns: (): { PK: string } => ({ PK: 'TOPUP#RUNS' }),
  /** Outbox item waiting for the Salesforce write-back. */
  outbox: (recordId: string, changeId: string): ItemKey => ({
    PK: `${keyPrefix.outbox}${recordId}`,
    SK: changeId,
  }),
  /** A bulk reassignment request: status, guardrail report, apply plan and summary. */
  reassignment: (requestId: string): ItemKey => ({ PK: `REASSIGN#${requestId}`, SK: 'REQUEST' }),
  /** The request's moves in request order, a chunk per item (an item holds at most 400 KB). */
  reassignmentMoves: (requestId: string, chunk: number): ItemKey => ({
    PK: `REASSIGN#${requestId}`,
    SK: `MOVES#${String(chunk).padStart(5, '0')}`,
  }),
  /** One apply batch: its claim (status, lease, attempt) and counts. */
  reassignmentBatch: (requestId: string, batchId: string): ItemKey => ({
    PK: `REASSIGN#${requestId}`,
    SK: `BATCH#${batchId}`,
  }),
  /** The moves of a batch with their per-record results, a part per item. */
  reassignmentBatchPart: (requestId: string, batchId: string, part: number): ItemKey => ({
    PK: `REASSIGN#${requestId}`,
    SK: `BATCH#${batchId}${keyPrefix.batchPart}${String(part).padStart(4, '0')}`,
  }),
  /** Query bounds of a batch's parts. */
  reassignmentBatchParts: (requestId: string, batchId: string): { PK: string; skPrefix: string } => ({
    PK: `REASSIGN#${requestId}`,
    skPrefix: `BATCH#${batchId}${keyPrefix.batchPart}`,
  }),
  /** Query bounds of every item of a request whose sort key starts with `skPrefix`. */
  reassignmentItems: (
    requestId: string,
    skPrefix: 'MOVES#' | 'BATCH#',
  ): { PK: string; skPrefix: string } => ({
    PK: `REASSIGN#${requestId}`,
    skPrefix,
  }),
  /** One approval a reassignment waits for; holds the Step Functions task token server-side. */
  approval: (approvalId: string): ItemKey => ({ PK: `APPROVAL#${approvalId}`, SK: 'APPROVAL' }),
  /** Marks an approval-link token as used (single use). */
  approvalTokenUse: (approvalId: string, nonce: string): ItemKey => ({
    PK: `APPROVAL#${approvalId}`,
    SK: `TOKEN#${nonce}`,
  }),
  /** The SLA clock of one assignment of a lead (a re-route starts another). */
  slaClock: (leadId: string, changeId: string): ItemKey => ({ PK: `SLA#${leadId}`, SK: `CLOCK#${changeId}` }),
  /** An account moved away from a rep (written with its audit record): the rolling-year book-change history. */
  repMoveHistory: (repId: string, effectiveDate: string, recordId: string, requestId: string): ItemKey => ({
    PK: `REPHISTORY#${repId}`,
    SK: `${effectiveDate}#${recordId}#${requestId}`,
  }),
} as const;

/** GSI1 projections: list items of one kind by time (outbox backlog, audit by source). */
export const gsi1 = {
  /** Leads and contacts of one e-mail, by its hash (`emailHash`): the e-mail itself is never stored. */
  duplicateEmail: (emailHash: string, kind: string, recordId: string) => ({
    GSI1PK: `EMAIL#${emailHash}`,
    GSI1SK: `${kind}#${recordId}`,
  }),
  outboxPending: (enqueuedAt: string, recordId: string) => ({
    GSI1PK: `${keyPrefix.outbox}PENDING`,
    GSI1SK: `${enqueuedAt}#${recordId}`,
  }),
  auditBySource: (source: string, at: string, recordId: string) => ({
    GSI1PK: `AUDIT#${source}`,
    GSI1SK: `${at}#${recordId}`,
  }),
  /** Notifications quarantined by intake (unusable or not a lead), by time. */
  quarantined: (at: string, notificationId: string) => ({
    GSI1PK: 'QUARANTINE',
    GSI1SK: `${at}#${boundedKeyPart(notificationId)}`,
  }),
  /** SLA clocks still running, by when the sweeper next looks at them (warning, then due time). */
  slaPending: (nextCheckAt: string, leadId: string) => ({
    GSI1PK: 'SLA#PENDING',
    GSI1SK: `${nextCheckAt}#${leadId}`,
  }),
  /** SLA clocks that stopped, by when (the speed-to-lead report reads them). */
  slaClosed: (closedAt: string, leadId: string) => ({
    GSI1PK: 'SLA#CLOSED',
    GSI1SK: `${closedAt}#${leadId}`,
  }),
  /** Leads held until someone is on shift, oldest first (the release job lists them). */
  heldLeads: (heldAt: string, leadId: string) => ({
    GSI1PK: 'HELD',
    GSI1SK: `${heldAt}#${leadId}`,
  }),
  /** Approvals still waiting for a decision (the heartbeat sweeper lists them). */
  approvalPending: (createdAt: string, approvalId: string) => ({
    GSI1PK: 'APPROVAL#PENDING',
    GSI1SK: `${createdAt}#${approvalId}`,
  }),
} as const;
