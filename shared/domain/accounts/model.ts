/** An Account as the index keeps it: the fields matching and account-owner routing read. */
export interface Account {
  id: string;
  name: string;
  website?: string;
  country?: string;
  postalCode?: string;
  ownerId?: string;
  /** Whether the owner is an active user; undefined when unknown. */
  ownerActive?: boolean;
  type?: string;
  industry?: string;
  parentId?: string;
}

/** The lead fields matching reads (Salesforce Lead: Company, Email, Website, Country, PostalCode). */
export interface MatchableLead {
  company?: string;
  email?: string;
  website?: string;
  country?: string;
  postalCode?: string;
}

export type MatchRule = 'domain' | 'name' | 'acronym' | 'fuzzy';

export interface AccountMatch {
  account: Account;
  /** 0–1: how sure the matcher is that the lead belongs to this account. */
  confidence: number;
  rule: MatchRule;
  /** Human-readable evidence: `email domain americanexpress.com = account website americanexpress.com`. */
  reason: string;
}

export interface MatchOptions {
  /** Matches below this confidence are dropped (default 0.85). */
  minConfidence: number;
  /** Fuzzy name matches need at least this token similarity (default 0.92). */
  minNameSimilarity: number;
  /** …and every word a partner at least this similar (default 0.9): a typo, not a different word. */
  minWordSimilarity: number;
}

export const DEFAULT_MATCH_OPTIONS: MatchOptions = {
  minConfidence: 0.85,
  minNameSimilarity: 0.92,
  minWordSimilarity: 0.9,
};

/** A match, or why there is none. */
export type MatchResult = { match: AccountMatch; reason: string } | { match: undefined; reason: string };

/** The Salesforce Account fields matching reads: an accounts file's columns, the core of what the index keeps. */
export const MATCHED_ACCOUNT_FIELDS = [
  'Id',
  'Name',
  'Website',
  'BillingCountry',
  'BillingPostalCode',
  'OwnerId',
] as const;
