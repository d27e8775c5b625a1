import { normaliseCompanyName as companyName } from '../accounts/company-name.js';
import { hostOf } from '../accounts/host-name.js';
import { isSalesforceId, toId18 } from '../salesforce-id.js';

/**
 * Named accounts are recognised by account id, by company name or by email / website domain.
 * Names and domains are read the way the lead-to-account matcher reads them (shared/domain/accounts),
 * so "ACME Enterprises, Inc." = "Acme Enterprises" here as there.
 */

/** The name key: the accounts domain's normalised company name. */
export function normaliseCompanyName(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  return companyName(String(raw))?.text;
}

/** `acme.com` from `https://www.Acme.com/contact`, `acme.com`, or `jane@acme.com`; the host is kept, sub-domain and all. */
export function normaliseDomain(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  return hostOf(String(raw));
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
