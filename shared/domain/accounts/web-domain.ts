import { parse } from 'tldts';
import { hostOf, isSharedDomain } from './host-name.js';

/**
 * Company web domains from e-mail addresses and websites. Matching compares registrable domains
 * (`uk.acme.co.uk` → `acme.co.uk`, from the Public Suffix List via tldts), so a sub-domain of an
 * account's website matches that account; free-mail and ISP domains never identify a company.
 */

export interface WebDomain {
  /** The host as given, without `www.`: `uk.acme.com`. */
  host: string;
  /** The registrable domain: `acme.com`. */
  domain: string;
}

/** `acme.com` from `https://www.Acme.com/contact`, `acme.com:443`, `uk.acme.com`; undefined when not a company domain. */
export function websiteDomain(raw: string | undefined): WebDomain | undefined {
  const host = raw ? hostOf(raw) : undefined;
  if (!host) return undefined;
  const parsed = parse(host, { allowPrivateDomains: true });
  if (!parsed.domain || parsed.isIp || (!parsed.isIcann && !parsed.isPrivate)) return undefined;
  if (isSharedDomain(host) || isSharedDomain(parsed.domain)) return undefined;
  return { host, domain: parsed.domain };
}

/** The domain of `jane@uk.acme.com`; undefined for free-mail/ISP domains and malformed addresses. */
export function emailDomain(raw: string | undefined): WebDomain | undefined {
  if (!raw) return undefined;
  const text = raw.trim();
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return undefined;
  return websiteDomain(text.slice(at + 1));
}

/** `gmail.com` for `jane@gmail.com`: the address's domain when it is free-mail or ISP, else undefined. */
export function sharedEmailDomain(raw: string | undefined): string | undefined {
  const at = raw?.lastIndexOf('@') ?? -1;
  if (!raw || at < 0) return undefined;
  const domain = raw
    .slice(at + 1)
    .trim()
    .toLowerCase();
  const registrable = parse(domain, { allowPrivateDomains: true }).domain ?? domain;
  return isSharedDomain(domain) || isSharedDomain(registrable) ? domain : undefined;
}
