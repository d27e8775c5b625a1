import type { PreparedAccount } from '../domain/accounts/lookup-keys.js';
import type { Account } from '../domain/accounts/model.js';

/** An account as Salesforce last changed it. */
export interface SyncedAccount extends Account {
  /** Salesforce SystemModstamp, ISO 8601: the incremental sync resumes after the newest one seen. */
  systemModstamp: string;
}

export interface AccountSyncState {
  /** Newest SystemModstamp stored; the next incremental read starts there. */
  lastModstamp?: string;
  /** End of the last deletion window read from Salesforce's delete log. */
  deletionsCheckedUntil: string;
  /** When the last full load finished, and its id (accounts it did not see are removed). */
  fullLoadAt?: string;
  loadId?: string;
}

/** The account index the intake reads key by key; the sync keeps it in step with Salesforce. */
export interface AccountIndexStore {
  /** The accounts filed under each key, one list per key that has any. */
  lookup(keys: string[]): Promise<PreparedAccount[][]>;
  /** Insert or replace accounts, refiling them under their current keys. */
  upsert(accounts: readonly SyncedAccount[], loadId?: string): Promise<void>;
  /** Remove accounts and every key they are filed under; unknown ids are ignored. */
  remove(accountIds: readonly string[]): Promise<number>;
  /** Remove every account a full load did not write. */
  removeNotLoaded(loadId: string): Promise<number>;
  readSyncState(): Promise<AccountSyncState | undefined>;
  writeSyncState(state: AccountSyncState): Promise<void>;
}

/** Accounts as Salesforce has them. */
export interface AccountSource {
  /** Accounts changed at or after `since` (all when undefined), oldest change first, page by page. */
  changedSince(since: string | undefined): AsyncIterable<SyncedAccount[]>;
  /** Ids of accounts deleted in [start, end). */
  deletedBetween(start: Date, end: Date): Promise<string[]>;
}
