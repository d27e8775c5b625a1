/**
 * Every key format of the single table is spelled here and nowhere else.
 * Capabilities add their builders to this module rather than concatenating strings in place.
 */
export interface ItemKey {
  PK: string;
  SK: string;
}

export const keys = {
  /** A rep's capacity counters and distribution-related state. */
  rep: (repId: string): ItemKey => ({ PK: `REP#${repId}`, SK: 'REP' }),
  /** Lead assignment record: one per lead, the dedup anchor for redeliveries. */
  leadAssignment: (leadId: string): ItemKey => ({ PK: `LEAD#${leadId}`, SK: 'ASSIGNMENT' }),
  /** One per outbound-message notification id: makes redelivery of the same notification a no-op. */
  notification: (notificationId: string): ItemKey => ({
    PK: `NOTIFICATION#${notificationId}`,
    SK: 'NOTIFICATION',
  }),
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
  /** Outbox item waiting for the Salesforce write-back. */
  outbox: (recordId: string, changeId: string): ItemKey => ({ PK: `OUTBOX#${recordId}`, SK: changeId }),
} as const;

/** GSI1 projections: list items of one kind by time (outbox backlog, audit by source). */
export const gsi1 = {
  outboxPending: (enqueuedAt: string, recordId: string) => ({
    GSI1PK: 'OUTBOX#PENDING',
    GSI1SK: `${enqueuedAt}#${recordId}`,
  }),
  auditBySource: (source: string, at: string, recordId: string) => ({
    GSI1PK: `AUDIT#${source}`,
    GSI1SK: `${at}#${recordId}`,
  }),
} as const;
