import freeMailProviders from 'email-providers/all.json' with { type: 'json' };

/**
 * Host names as people type them (URLs, addresses, host:port), and the domains that unrelated
 * people share, which never identify a company. Apart from web-domain.ts so that readers that
 * need no registrable domain (named-account rules) do not load the Public Suffix List.
 */

// A maintained list of free-mail and ISP domains (gmail.com, yahoo.co.uk, comcast.net, gmx.de, …).
const FREE_MAIL: ReadonlySet<string> = new Set(freeMailProviders as string[]);

// Profile pages that people type into Website: the path names the company, the domain never does.
const PROFILE_HOSTS: ReadonlySet<string> = new Set([
  'linkedin.com',
  'facebook.com',
  'twitter.com',
  'x.com',
  'instagram.com',
  'youtube.com',
  'crunchbase.com',
]);

/** `uk.acme.com` from `https://www.uk.Acme.com/contact`, `jane@uk.acme.com` or `uk.acme.com:443`; undefined when not a host name. */
export function hostOf(raw: string): string | undefined {
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^[^/@]*@/, '')
    .replace(/[/?#\\].*$/, '')
    .replace(/:\d*$/, '')
    .replace(/\.$/, '');
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(text)) return undefined;
  return text.replace(/^www\d?\./, '');
}

/** Free-mail/ISP providers and profile sites: shared by unrelated people, so never evidence of a company. */
export function isSharedDomain(domain: string): boolean {
  return FREE_MAIL.has(domain) || PROFILE_HOSTS.has(domain);
}
