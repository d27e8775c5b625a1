import type { PoolLead, PoolOrder } from '../domain/topup/allocate.js';
import type { PerformanceInputs } from '../domain/topup/performance.js';

/** Owner changes written to Salesforce (or another CRM) — the write side of the outbox. */
export type CrmObjectType = 'Lead' | 'Account' | 'Opportunity';

export interface OwnerUpdate {
  recordId: string;
  objectType: CrmObjectType;
  ownerId: string;
  /** Human-readable audit reason, written to the configured reason field. */
  reason: string;
  /** Lead only: the matched account, set in the configured lookup field (MATCHED_ACCOUNT_FIELD) in the same update. */
  matchedAccountId?: string;
}

export type OwnerUpdateResult =
  /** `note`: what the update left out (e.g. a matched-account lookup the org refused). */
  | { recordId: string; ok: true; note?: string }
  | { recordId: string; ok: false; errorCode: string; message: string; retryable: boolean };

/** Who owns a record now, and for a lead whether it was converted (converted leads can't be updated). */
export interface RecordOwnership {
  ownerId: string;
  converted: boolean;
}

/** Salesforce refuses any update to a converted lead with this per-record code. */
export const CONVERTED_LEAD_ERROR = 'CANNOT_UPDATE_CONVERTED_LEAD';

export interface CrmOwnerGateway {
  /** One call for up to `maxCheck` records (18-character ids); records that don't exist are absent. */
  currentOwners(objectType: CrmObjectType, recordIds: string[]): Promise<Map<string, RecordOwnership>>;
  /** One call for up to `maxBatch` records; per-record failures come back as results, not throws. */
  updateOwners(updates: OwnerUpdate[]): Promise<OwnerUpdateResult[]>;
  readonly maxBatch: number;
  readonly maxCheck: number;
}

export interface OwnerStatusCount {
  ownerId: string;
  status: string;
  count: number;
}

/** Open-lead counts as the CRM (the source of truth) sees them. */
export interface CrmLeadCounts {
  /** Lead counts per owner and status, for these owners and statuses (one aggregate query, paged). */
  leadCountsByOwnerAndStatus(ownerIds: string[], statuses: string[]): Promise<OwnerStatusCount[]>;
}

/**
 * Large owner changes through Bulk API 2.0: one ingest job per object type (create, upload CSV,
 * UploadComplete, poll with a timeout sized for real jobs, read successful and failed results).
 * A handful of HTTP calls however many records; per-record failures come back as results.
 */
export interface CrmBulkOwnerWriter {
  updateOwnersInBulk(updates: OwnerUpdate[]): Promise<OwnerUpdateResult[]>;
}

/** The unassigned pool the top-up refills reps from. */
export interface LeadPoolQuery {
  /** Queues whose leads are waiting for a rep. */
  queueIds: string[];
  order: PoolOrder;
  /** At most this many leads, in pool order. */
  limit: number;
  /** Lead statuses that are closed (never handed out). */
  closedStatuses: string[];
}

export interface LeadPoolRead {
  leads: PoolLead[];
  /** The order the leads are in: `oldest` when the org has no score field. */
  order: PoolOrder;
  /** What the org lacks that the read would have used (e.g. the score field), and the fallback. */
  notes: string[];
}

export interface CrmLeadPool {
  /** Leads owned by the queues, in pool order, paged; only the fields routing needs (that the org has). */
  unassignedLeads(query: LeadPoolQuery): Promise<LeadPoolRead>;
}

/** Per-rep performance inputs (activity on received leads, open pipeline health). */
export interface CrmRepPerformance {
  performanceInputs(repIds: string[], asOf: Date): Promise<Map<string, PerformanceInputs>>;
}
