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
 *   p:/s:<half>  first half / second half of the name: one typo leaves one half intact
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

/** Shortest name (without spaces) that fuzzy keys are made for: shorter names are too ambiguous to guess at. */
const FUZZY_MIN_LENGTH = 5;

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
 * Half-name keys for a name of length n (the lead's own length may differ by one). The halves leave
 * the middle character out, so one edit or a swap of two neighbours leaves one half intact; each
 * half also carries the other end's outer letter (people rarely mistype the first or last letter),
 * which keeps buckets such as "…systems" small.
 */
function prefixKey(compact: string, n: number): string {
  return `p:${compact.slice(0, Math.ceil((n - 1) / 2))}|${compact[compact.length - 1]}`;
}

function suffixKey(compact: string, n: number): string {
  return `s:${compact[0]}|${compact.slice(Math.max(0, compact.length - Math.floor((n - 1) / 2)))}`;
}

export function accountKeys(account: PreparedAccount): string[] {
  const keys: string[] = [];
  if (account.web) keys.push(`d:${account.web.domain}`);
  const name = account.name;
  if (name) {
    keys.push(`n:${name.compact}`);
    if (name.acronym) keys.push(`a:${name.acronym}`);
    const n = name.compact.length;
    if (n >= FUZZY_MIN_LENGTH) {
      keys.push(prefixKey(name.compact, n), suffixKey(name.compact, n));
    }
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
    const m = name.compact.length;
    // One edit changes the length by at most one, so ask for the halves an account of length m - 1 … m + 1 files.
    for (let n = m - 1; n <= m + 1; n++) {
      if (n < FUZZY_MIN_LENGTH) continue;
      fuzzy.push(prefixKey(name.compact, n), suffixKey(name.compact, n));
    }
  }
  const exactKeys = unique(exact);
  return { exact: exactKeys, fuzzy: unique(fuzzy).filter((k) => !exactKeys.includes(k)) };
}

function unique(keys: string[]): string[] {
  return [...new Set(keys)];
}
