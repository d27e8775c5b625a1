import { type CompanyName, normaliseCompanyName } from './company-name.js';
import { normaliseCountry, normalisePostalCode } from './geography.js';
import type { Account, MatchableLead } from './model.js';
import { emailDomain, sharedEmailDomain, type WebDomain, websiteDomain } from './web-domain.js';

/**
 * Lookup keys: an account is filed under a few keys and a lead asks for a few, so a lead reads a
 * handful of small buckets instead of the whole index (in memory or in DynamoDB alike).
 *   d:<domain>   registrable website domain
 *   n:<name>     normalised name without spaces
 *   a:<acronym>  initials of a name of three or more words
 *   p/s<len>:<other words>:<half>  one word's first / second half and length, with the name's other words
 *                as they are: one typo sits in one word and leaves the rest of the name and one half intact
 */

export interface PreparedAccount {
  account: Account;
  web: WebDomain | undefined;
  name: CompanyName | undefined;
  country: string | undefined;
  postal: string | undefined;
}

export interface PreparedLead {
  email: WebDomain | undefined;
  /** A free-mail or ISP e-mail domain, kept only to say why it was not used. */
  sharedEmailDomain: string | undefined;
  web: WebDomain | undefined;
  name: CompanyName | undefined;
  country: string | undefined;
  postal: string | undefined;
}

/** Shortest word that may carry a typo (see `allowedTypos`): shorter words must be spelt right. */
const TYPO_MIN_LENGTH = 5;
/** Longest word whose typo keys carry its outer letters: shorter halves would file too many names together. */
const ANCHORED_MAX_LENGTH = 7;

export function prepareAccount(account: Account): PreparedAccount {
  return {
    account,
    web: websiteDomain(account.website),
    name: normaliseCompanyName(account.name),
    country: normaliseCountry(account.country),
    postal: normalisePostalCode(account.postalCode),
  };
}

export function prepareLead(lead: MatchableLead): PreparedLead {
  return {
    email: emailDomain(lead.email),
    sharedEmailDomain: sharedEmailDomain(lead.email),
    web: websiteDomain(lead.website),
    name: normaliseCompanyName(lead.company),
    country: normaliseCountry(lead.country),
    postal: normalisePostalCode(lead.postalCode),
  };
}

/**
 * The two keys under which a name is found when word `i` (of length n; the lead's own length may differ
 * by one) carries one typo. The halves leave the middle letter out, so one edit or a swap of two
 * neighbours leaves one half intact. The other words are part of the key, so common words ("…systems",
 * "international…") don't hand every lead hundreds of candidates to reject. The halves of a one-word name
 * or a short word say too little, so they also carry the other end's outer letter (rarely mistyped).
 */
function typoKeys(tokens: readonly string[], i: number, n: number): [string, string] {
  const word = tokens[i]!;
  const others = tokens.map((token, j) => (j === i ? '_' : token)).join(' ');
  const first = word.slice(0, Math.ceil((n - 1) / 2));
  const second = word.slice(Math.max(0, word.length - Math.floor((n - 1) / 2)));
  const anchored = tokens.length === 1 || n <= ANCHORED_MAX_LENGTH;
  const [firstEnd, secondEnd] = anchored ? [word[word.length - 1], word[0]] : ['', ''];
  return [`p${n}:${others}:${first}|${firstEnd}`, `s${n}:${others}:${secondEnd}|${second}`];
}

export function accountKeys(account: PreparedAccount): string[] {
  const keys: string[] = [];
  if (account.web) keys.push(`d:${account.web.domain}`);
  const name = account.name;
  if (name) {
    keys.push(`n:${name.compact}`);
    if (name.acronym) keys.push(`a:${name.acronym}`);
    name.tokens.forEach((word, i) => {
      if (word.length >= TYPO_MIN_LENGTH) keys.push(...typoKeys(name.tokens, i, word.length));
    });
  }
  return unique(keys);
}

export interface LeadLookup {
  /** Domain, exact name and acronym keys: enough when they find a domain or exact-name match. */
  exact: string[];
  /** Half-name keys for typos, read only when the exact keys found no domain or exact-name match. */
  fuzzy: string[];
}

export function leadKeys(lead: PreparedLead): LeadLookup {
  const exact: string[] = [];
  const fuzzy: string[] = [];
  if (lead.email) exact.push(`d:${lead.email.domain}`);
  if (lead.web) exact.push(`d:${lead.web.domain}`);
  const name = lead.name;
  if (name) {
    exact.push(`n:${name.compact}`);
    // "IBM" asks for accounts whose initials are IBM; "International Business Machines" for an account named IBM.
    if (name.tokens.length === 1 && name.compact.length >= 3 && name.compact.length <= 6) {
      exact.push(`a:${name.compact}`);
    }
    if (name.acronym) exact.push(`n:${name.acronym}`);
    // One edit changes a word's length by at most one, so ask for the keys words of length m - 1 … m + 1 file.
    name.tokens.forEach((word, i) => {
      for (let n = word.length - 1; n <= word.length + 1; n++) {
        if (n >= TYPO_MIN_LENGTH) fuzzy.push(...typoKeys(name.tokens, i, n));
      }
    });
  }
  const exactKeys = unique(exact);
  return { exact: exactKeys, fuzzy: unique(fuzzy).filter((k) => !exactKeys.includes(k)) };
}

function unique(keys: string[]): string[] {
  return [...new Set(keys)];
}
