import { isSalesforceId, toId18 } from '../salesforce-id.js';

/**
 * Named accounts are recognised by account id, by company name (ignoring case, punctuation and
 * legal suffixes, so "ACME Enterprises, Inc." = "Acme Enterprises") or by email / website domain.
 */
const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'ltd',
  'limited',
  'ltee',
  'llc',
  'llp',
  'lp',
  'plc',
  'pc',
  'ulc',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'ab',
  'oy',
  'pty',
  'kk',
]);

/** Domains shared by unrelated people: a named-account rule on one of them would catch everyone. */
export const FREE_EMAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.ca',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'mail.com',
]);

export function normaliseCompanyName(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const text = String(raw);
  // Accents are dropped ("Société" = "Societe"); plain ASCII, the common case, needs no decomposition.
  const plain = /^[\x20-\x7e]*$/.test(text) ? text : text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const words = plain
    .toLowerCase()
    .replace(/&/g, ' and ')
    // Dots join abbreviations ("S.A.", "Co.") rather than separate words.
    .replace(/\./g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  if (words[0] === 'the' && words.length > 1) words.shift();
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return words.length > 0 ? words.join(' ') : undefined;
}

/** `acme.com` from `https://www.Acme.com/contact`, `acme.com`, or `jane@acme.com`. */
export function normaliseDomain(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  let text = String(raw).trim().toLowerCase();
  const at = text.lastIndexOf('@');
  if (at >= 0) text = text.slice(at + 1);
  text = text
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(text) ? text : undefined;
}

/** The domain and its parents down to two labels: `eu.mail.acme.com` → …, `mail.acme.com`, `acme.com`. */
export function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}

/** Salesforce ids compare in their 18-character form, lower-cased; anything else as trimmed lower-case text. */
export function normaliseRecordId(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const text = String(raw).trim();
  if (text === '') return undefined;
  return (isSalesforceId(text) ? toId18(text) : text).toLowerCase();
}
