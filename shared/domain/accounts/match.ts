import { isCountryCode, postalAreasAgree } from './geography.js';
import { leadKeys, type PreparedAccount, type PreparedLead, prepareLead } from './lookup-keys.js';
import type { AccountMatch, MatchableLead, MatchOptions, MatchResult, MatchRule } from './model.js';
import { DEFAULT_MATCH_OPTIONS } from './model.js';
import { differOnlyByTypos, tokenSimilarity } from './similarity.js';

/**
 * Lead-to-account matching. Evidence, strongest first: the lead's e-mail or website domain equals an
 * account's website domain (or is a sub-domain of it); the normalised name equals the account's; the
 * name is the account's acronym (IBM ↔ International Business Machines); the names are similar
 * (Jaro–Winkler over tokens) above a threshold. Country and postal agreement raise name-based
 * confidence, disagreement lowers it. Candidates within a small band of the best are ranked by
 * tie-breakers; the last one is the account id, so the result never depends on account order.
 */

// Candidates this close to the best are ties, settled by the tie-breakers rather than by noise in the scores.
const TIE_BAND = 0.02;

const BASE = {
  emailDomain: 0.97,
  emailSubDomain: 0.95,
  websiteDomain: 0.96,
  domainAndName: 0.02,
  exactName: 0.93,
  acronym: 0.88,
  fuzzyDiscount: 0.05,
  countryAgrees: 0.04,
  postalAgrees: 0.02,
  countryDisagrees: -0.05,
} as const;

interface Scored {
  candidate: PreparedAccount;
  confidence: number;
  rule: MatchRule;
  reason: string;
  domainAgrees: boolean;
  /** -1 country differs, 0 unknown, 1 country agrees, 2 country and postal area agree. */
  geography: number;
}

/** Reads the accounts filed under some keys: one list per key (lists may share accounts). */
export type AccountLookup = (keys: string[]) => readonly (readonly PreparedAccount[])[];

/** Match one lead with candidates from `lookup` (an index read); exact keys first, typo keys only if needed. */
export function matchAccount(
  lead: MatchableLead,
  lookup: AccountLookup,
  options = DEFAULT_MATCH_OPTIONS,
): MatchResult {
  const prepared = prepareLead(lead);
  const keys = leadKeys(prepared);
  const exact = lookup(keys.exact);
  const first = decideMatch(prepared, exact, options);
  if (settledByExactKeys(first) || keys.fuzzy.length === 0) return first;
  return decideMatch(prepared, [...exact, ...lookup(keys.fuzzy)], options);
}

/** A domain or exact-name match cannot be beaten by a typo candidate, so the fuzzy keys need no read. */
export function settledByExactKeys(result: MatchResult): boolean {
  return result.match !== undefined && (result.match.rule === 'domain' || result.match.rule === 'name');
}

/** The best candidate at or above the threshold, or why there is none. Order of `candidates` does not matter. */
export function decideMatch(
  lead: PreparedLead,
  candidates: readonly (readonly PreparedAccount[])[],
  options: MatchOptions = DEFAULT_MATCH_OPTIONS,
): MatchResult {
  if (!lead.name && !lead.email && !lead.web) {
    return {
      match: undefined,
      reason: lead.sharedEmailDomain
        ? `no company name and e-mail domain ${lead.sharedEmailDomain} is free-mail/ISP`
        : 'no company name, e-mail domain or website',
    };
  }
  const scored: Scored[] = [];
  for (const list of candidates) {
    for (const candidate of list) {
      const s = scoreCandidate(lead, candidate, options);
      // An account filed under several of the lead's keys is scored once per key, identically: keep one.
      if (
        s &&
        s.confidence >= options.minConfidence &&
        !scored.some((x) => x.candidate.account.id === candidate.account.id)
      ) {
        scored.push(s);
      }
    }
  }
  if (scored.length === 0) return { match: undefined, reason: noMatchReason(lead) };

  const best = Math.max(...scored.map((s) => s.confidence));
  const band = scored.filter((s) => s.confidence >= best - TIE_BAND - 1e-9).sort(compareTied);
  const winner = band[0]!;
  const runnerUp = band[1];
  if (
    winner.rule === 'acronym' &&
    runnerUp?.rule === 'acronym' &&
    runnerUp.geography === winner.geography &&
    !winner.domainAgrees
  ) {
    const count = band.filter((s) => s.rule === 'acronym').length;
    return {
      match: undefined,
      reason: `acronym ${lead.name?.compact.toUpperCase()} fits ${count} accounts and nothing tells them apart`,
    };
  }
  const tieBreak = runnerUp
    ? `; chosen over ${band.length - 1} close candidate(s) by ${decidingCriterion(winner, runnerUp)}`
    : '';
  const match: AccountMatch = {
    account: winner.candidate.account,
    confidence: winner.confidence,
    rule: winner.rule,
    reason: `${winner.reason}${tieBreak}`,
  };
  return { match, reason: match.reason };
}

function scoreCandidate(
  lead: PreparedLead,
  candidate: PreparedAccount,
  options: MatchOptions,
): Scored | undefined {
  const name = nameEvidence(lead, candidate, options);
  const accountDomain = candidate.web?.domain;
  const byEmail = accountDomain !== undefined && lead.email?.domain === accountDomain;
  const byWebsite = accountDomain !== undefined && lead.web?.domain === accountDomain;
  if (!name && !byEmail && !byWebsite) return undefined;
  const geography = geographyOf(lead, candidate);
  if (byEmail || byWebsite) {
    const web = candidate.web!;
    let confidence: number = BASE.websiteDomain;
    let reason = `website ${lead.web?.domain} = account website ${web.domain}`;
    if (byEmail) {
      const email = lead.email!;
      const sameHost = email.host === email.domain || email.host === web.host;
      confidence = sameHost ? BASE.emailDomain : BASE.emailSubDomain;
      reason = sameHost
        ? `email domain ${email.host} = account website ${web.host}`
        : `email domain ${email.host} is a sub-domain of account website ${web.domain}`;
    }
    if (name) {
      confidence += BASE.domainAndName;
      reason += `; ${name.reason}`;
    }
    return {
      candidate,
      confidence: round(Math.min(confidence, 0.99)),
      rule: 'domain',
      reason,
      domainAgrees: true,
      geography: geography.rank,
    };
  }
  if (!name) return undefined;
  // A guessed name (typo, acronym) in another country is more likely a different company than a branch.
  const adjustment =
    geography.rank < 0 && name.rule !== 'name' ? 2 * geography.adjustment : geography.adjustment;
  const confidence = round(Math.min(name.confidence + adjustment, 0.99));
  const reason = geography.note ? `${name.reason}; ${geography.note}` : name.reason;
  return { candidate, confidence, rule: name.rule, reason, domainAgrees: false, geography: geography.rank };
}

interface NameEvidence {
  rule: 'name' | 'acronym' | 'fuzzy';
  confidence: number;
  reason: string;
}

function nameEvidence(
  lead: PreparedLead,
  candidate: PreparedAccount,
  options: MatchOptions,
): NameEvidence | undefined {
  const a = lead.name;
  const b = candidate.name;
  if (!a || !b) return undefined;
  if (a.compact === b.compact) {
    return {
      rule: 'name',
      confidence: BASE.exactName,
      reason: `name "${a.text}" = account name ${JSON.stringify(candidate.account.name)}`,
    };
  }
  const leadIsAcronym = a.tokens.length === 1 && a.compact === b.acronym;
  const accountIsAcronym = b.tokens.length === 1 && a.acronym === b.compact;
  if (leadIsAcronym || accountIsAcronym) {
    return {
      rule: 'acronym',
      confidence: BASE.acronym,
      reason: `acronym ${(leadIsAcronym ? a.compact : b.compact).toUpperCase()} = ${leadIsAcronym ? JSON.stringify(candidate.account.name) : `"${a.text}"`}`,
    };
  }
  // Words in the same order, each a typo at most: cheap to refuse, and it keeps "Johnson" away from "Johnson & Johnson".
  if (!differOnlyByTypos(a.tokens, b.tokens)) return undefined;
  const { score: similarity, weakest } = tokenSimilarity(a.tokens, b.tokens);
  if (similarity < options.minNameSimilarity || weakest < options.minWordSimilarity) return undefined;
  return {
    rule: 'fuzzy',
    confidence: similarity - BASE.fuzzyDiscount,
    reason: `name "${a.text}" ~ account name ${JSON.stringify(candidate.account.name)} (similarity ${similarity.toFixed(2)})`,
  };
}

function geographyOf(
  lead: PreparedLead,
  candidate: PreparedAccount,
): { adjustment: number; rank: number; note?: string } {
  const postal = postalAreasAgree(lead.postal, candidate.postal);
  if (lead.country && candidate.country) {
    if (
      lead.country !== candidate.country &&
      isCountryCode(lead.country) &&
      isCountryCode(candidate.country)
    ) {
      return {
        adjustment: BASE.countryDisagrees,
        rank: -1,
        note: `country ${lead.country} ≠ account ${candidate.country}`,
      };
    }
    return postal
      ? {
          adjustment: BASE.countryAgrees + BASE.postalAgrees,
          rank: 2,
          note: `country ${lead.country} and postal area ${lead.postal?.slice(0, 3)} agree`,
        }
      : { adjustment: BASE.countryAgrees, rank: 1, note: `country ${lead.country} agrees` };
  }
  return postal
    ? { adjustment: BASE.postalAgrees, rank: 1, note: `postal area ${lead.postal?.slice(0, 3)} agrees` }
    : { adjustment: 0, rank: 0 };
}

const TIE_BREAKERS: { label: string; key: (s: Scored) => number }[] = [
  { label: 'domain', key: (s) => (s.domainAgrees ? 1 : 0) },
  { label: 'country/postal agreement', key: (s) => s.geography },
  { label: 'customer type', key: (s) => (/customer/i.test(s.candidate.account.type ?? '') ? 1 : 0) },
  { label: 'top-level account', key: (s) => (s.candidate.account.parentId ? 0 : 1) },
  { label: 'confidence', key: (s) => s.confidence },
];

function compareTied(x: Scored, y: Scored): number {
  for (const breaker of TIE_BREAKERS) {
    const d = breaker.key(y) - breaker.key(x);
    if (d !== 0) return d;
  }
  return x.candidate.account.id < y.candidate.account.id
    ? -1
    : x.candidate.account.id > y.candidate.account.id
      ? 1
      : 0;
}

function decidingCriterion(winner: Scored, runnerUp: Scored): string {
  return TIE_BREAKERS.find((b) => b.key(winner) !== b.key(runnerUp))?.label ?? 'account id';
}

function noMatchReason(lead: PreparedLead): string {
  const parts: string[] = [];
  if (lead.name) parts.push(`name "${lead.name.text}"`);
  if (lead.email) parts.push(`email domain ${lead.email.host}`);
  if (lead.web) parts.push(`website ${lead.web.host}`);
  const freeMail = lead.sharedEmailDomain
    ? ` (e-mail domain ${lead.sharedEmailDomain} is free-mail/ISP)`
    : '';
  return `no account above the threshold for ${parts.join(', ')}${freeMail}`;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
