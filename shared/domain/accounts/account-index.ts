import { accountKeys, type PreparedAccount, prepareAccount } from './lookup-keys.js';
import { matchAccount } from './match.js';
import type { Account, MatchableLead, MatchOptions, MatchResult } from './model.js';
import { DEFAULT_MATCH_OPTIONS } from './model.js';

/**
 * Accounts filed under their lookup keys in memory, for the CLI and tests; the intake reads the
 * same keys from DynamoDB instead of loading the index.
 */
export class InMemoryAccountIndex {
  readonly size: number;
  private readonly buckets = new Map<string, PreparedAccount[]>();

  constructor(accounts: Iterable<Account>) {
    const ids = new Set<string>();
    for (const account of accounts) {
      if (ids.has(account.id)) throw new Error(`duplicate account id ${account.id}`);
      ids.add(account.id);
      const prepared = prepareAccount(account);
      for (const key of accountKeys(prepared)) {
        const bucket = this.buckets.get(key);
        if (bucket) bucket.push(prepared);
        else this.buckets.set(key, [prepared]);
      }
    }
    this.size = ids.size;
  }

  lookup(keys: string[]): PreparedAccount[][] {
    const out: PreparedAccount[][] = [];
    for (const key of keys) {
      const bucket = this.buckets.get(key);
      if (bucket) out.push(bucket);
    }
    return out;
  }

  match(lead: MatchableLead, options: MatchOptions = DEFAULT_MATCH_OPTIONS): MatchResult {
    return matchAccount(lead, (keys) => this.lookup(keys), options);
  }
}
