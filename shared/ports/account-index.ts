import type { PreparedAccount } from '../domain/accounts/lookup-keys.js';
import type { Account } from '../domain/accounts/model.js';

/** An account as Salesforce last changed it. */
export interface SyncedAccount extends Account {
  /** Salesforce SystemModstamp, ISO 8601: the incremental sync resumes after the newest one seen. */
  systemModstamp: string;
}

/** Where a sync of an index from Salesforce resumes. */
export interface AccountSyncState {
  /** Newest SystemModstamp stored; the next incremental read starts there. */
  lastModstamp?: string;
  /** End of the last deletion window read from Salesforce's delete log. */
  deletionsCheckedUntil: string;
  /** When the last full load finished, and its id (accounts it did not see are removed). */
  fullLoadAt?: string;
  loadId?: string;
}

/** An index kept in step with Salesforce records (accounts; leads and contacts by e-mail). */
export interface SyncedIndex<T extends { systemModstamp: string }> {
  /** Insert or replace records (refiling them under their current keys). */
  upsert(records: readonly T[], loadId?: string): Promise<void>;
  /** Remove records and everything filed for them; unknown ids are ignored. */
  remove(recordIds: readonly string[]): Promise<number>;
  /** Remove every record a full load did not write. */
  removeNotLoaded(loadId: string): Promise<number>;
  readSyncState(): Promise<AccountSyncState | undefined>;
  writeSyncState(state: AccountSyncState): Promise<void>;
}

/** Records as Salesforce has them. */
export interface SyncSource<T extends { systemModstamp: string }> {
  /** Records changed at or after `since` (all when undefined), oldest change first, page by page. */
  changedSince(since: string | undefined): AsyncIterable<T[]>;
  /** Ids of records deleted in [start, end). */
  deletedBetween(start: Date, end: Date): Promise<string[]>;
}

/** The account index the intake reads key by key; the sync keeps it in step with Salesforce. */
export interface AccountIndexStore extends SyncedIndex<SyncedAccount> {
  /** The accounts filed under each key, one list per key that has any. */
  lookup(keys: string[]): Promise<PreparedAccount[][]>;
}

/** Accounts as Salesforce has them. */
export type AccountSource = SyncSource<SyncedAccount>;
