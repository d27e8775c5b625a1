import { leadKeys, prepareLead } from '../../domain/accounts/lookup-keys.js';
import { decideMatch, settledByExactKeys } from '../../domain/accounts/match.js';
import type { MatchableLead, MatchOptions, MatchResult } from '../../domain/accounts/model.js';
import { DEFAULT_MATCH_OPTIONS } from '../../domain/accounts/model.js';
import type { AccountIndexStore } from '../../ports/account-index.js';

/**
 * Match one lead against the stored index: the exact keys (domain, name, acronym) in one round of
 * parallel reads, the typo keys in a second round only when the first found no domain or exact-name match.
 * The same decision as the in-memory index's `match`.
 */
export async function matchLeadToAccount(
  lead: MatchableLead,
  index: Pick<AccountIndexStore, 'lookup'>,
  options: MatchOptions = DEFAULT_MATCH_OPTIONS,
): Promise<MatchResult> {
  const prepared = prepareLead(lead);
  const keys = leadKeys(prepared);
  const exact = keys.exact.length > 0 ? await index.lookup(keys.exact) : [];
  const first = decideMatch(prepared, exact, options);
  if (settledByExactKeys(first) || keys.fuzzy.length === 0) return first;
  return decideMatch(prepared, [...exact, ...(await index.lookup(keys.fuzzy))], options);
}
