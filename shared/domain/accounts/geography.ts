/**
 * Country and postal agreement between a lead and an account. Salesforce country fields are often
 * free text, so "United States", "USA" and "US" all read as `US` (ISO 3166 names from the runtime's ICU data).
 */

// Names the runtime's region names don't cover; local names come from its other locales.
const ALIASES: Record<string, string> = {
  usa: 'US',
  'united states of america': 'US',
  america: 'US',
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  deutschland: 'DE',
  holland: 'NL',
  'the netherlands': 'NL',
  'south korea': 'KR',
  korea: 'KR',
  russia: 'RU',
  uae: 'AE',
};

// "España", "Deutschland", "Suomi", "Sverige": country fields are often in the org's language.
const LOCALES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'sv', 'fi', 'da', 'nb', 'pl', 'ja'];

let byName: Map<string, string> | undefined;

function countryNames(): Map<string, string> {
  if (byName) return byName;
  byName = new Map(Object.entries(ALIASES));
  for (const locale of LOCALES) {
    const names = new Intl.DisplayNames([locale], { type: 'region' });
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        const name = names.of(code);
        // Retired codes name their successor ("DD" reads "Germany"): file the name under the current code.
        if (name && name !== code && !byName.has(simplify(name)))
          byName.set(simplify(name), canonicalRegion(code));
      }
    }
  }
  return byName;
}

function simplify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

/** ISO 3166-1 alpha-2 code for `CA`, `Canada`, `USA`; the simplified text when unknown, so equal texts still agree. */
export function normaliseCountry(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const text = simplify(raw);
  if (text === '') return undefined;
  const known = countryNames().get(text);
  if (known) return known;
  return /^[a-z]{2}$/.test(text) ? canonicalRegion(text.toUpperCase()) : text;
}

/** `UK` → `GB`, `DD` → `DE`: the current ISO code for a retired or exceptionally reserved one. */
function canonicalRegion(code: string): string {
  let canonical = canonicalCodes.get(code);
  if (canonical === undefined) {
    try {
      canonical = Intl.getCanonicalLocales(`und-${code}`)[0]?.slice(4) ?? code;
    } catch {
      canonical = code;
    }
    canonicalCodes.set(code, canonical);
  }
  return canonical;
}

const canonicalCodes = new Map<string, string>();

/** A two-letter code, as opposed to free text no name matched (which only agrees with the same text). */
export function isCountryCode(country: string): boolean {
  return /^[A-Z]{2}$/.test(country);
}

/** Upper-case letters and digits: `m5v 3l9` → `M5V3L9`. */
export function normalisePostalCode(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const text = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return text === '' ? undefined : text;
}

/** Same postal area: the first three characters (a Canadian FSA, a US ZIP3, a UK outward code's start). */
export function postalAreasAgree(a: string | undefined, b: string | undefined): boolean {
  return (
    a !== undefined && b !== undefined && a.length >= 3 && b.length >= 3 && a.slice(0, 3) === b.slice(0, 3)
  );
}
