import type { ExistingRecord } from '../domain/accounts/existing-owner.js';
import type { ExistingRecordKind } from '../domain/territory/model.js';
import type { SyncedIndex, SyncSource } from './account-index.js';

/**
 * A lead or contact as Salesforce last changed it. Only open leads and contacts owned by a user
 * with an e-mail are indexed; anything else (converted, queue-owned, e-mail removed) leaves the index.
 */
export interface SyncedPerson {
  recordId: string;
  kind: ExistingRecordKind;
  /** Read to compute the index key; the index never stores it. */
  email?: string;
  ownerId?: string;
  /** False for a converted lead. */
  open: boolean;
  systemModstamp: string;
}

/** Leads and contacts by a hash of their normalised e-mail, for duplicate detection before routing. */
export interface DuplicateIndexStore extends SyncedIndex<SyncedPerson> {
  /** Records filed under this (normalised) e-mail, of these kinds. */
  lookup(email: string, kinds: readonly ExistingRecordKind[]): Promise<ExistingRecord[]>;
}

export type PersonSource = SyncSource<SyncedPerson>;
