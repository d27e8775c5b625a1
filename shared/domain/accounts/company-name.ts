/**
 * Company names reduced to what identifies the company: case, accents, punctuation, `&`/`and`,
 * a leading "The" and trailing legal forms (Inc, GmbH, S.A., K.K., Pty Ltd, …) are dropped, so
 * "The Acme Corporation" = "ACME Corp." = "Acmé, Inc.".
 */

export interface CompanyName {
  /** Tokens joined by one space: `acme widgets`. */
  text: string;
  tokens: readonly string[];
  /** The tokens without spaces: `acmewidgets` ("Micro Soft" = "Microsoft"). */
  compact: string;
  /** First letters of three or more words: `ibm` for International Business Machines. */
  acronym?: string;
}

// Legal forms in several jurisdictions, after dots and slashes are removed ("S.p.A." → "spa", "A/S" → "as").
const LEGAL_FORMS: ReadonlySet<string> = new Set([
  // English-speaking
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'cos',
  'ltd',
  'limited',
  'llc',
  'llp',
  'lp',
  'plc',
  'pc',
  'ulc',
  'pty',
  'pte',
  'pvt',
  'private',
  'lllp',
  'ltee',
  // German, Austrian, Swiss, Dutch, Belgian
  'gmbh',
  'ag',
  'kg',
  'kgaa',
  'ohg',
  'ug',
  'mbh',
  'ev',
  'bv',
  'nv',
  'bvba',
  'vof',
  'se',
  // French, Spanish, Portuguese, Italian, Latin America
  'sa',
  'sas',
  'sasu',
  'sarl',
  'eurl',
  'snc',
  'sca',
  'sl',
  'slu',
  'spa',
  'srl',
  'sapa',
  'scarl',
  'lda',
  'ltda',
  'sab',
  'cv',
  'de',
  'rl',
  // Nordic, Baltic, Central Europe
  'ab',
  'publ',
  'oy',
  'oyj',
  'as',
  'asa',
  'aps',
  'hf',
  'ehf',
  'kft',
  'zrt',
  'nyrt',
  'sro',
  'doo',
  'dd',
  'sp',
  'z',
  'oo',
  // Asia-Pacific
  'kk',
  'gk',
  'yk',
  'bhd',
  'sdn',
  'tbk',
  'pt',
  'jsc',
  'ojsc',
  'pjsc',
  'ooo',
  'zao',
  'nl',
]);

// Parts of multi-word legal forms that are also ordinary words: dropped only after another legal form ("S.A. de C.V.").
const TRAILING_PARTS: ReadonlySet<string> = new Set(['de', 'private', 'pt', 'sp', 'z', 'rl']);

// Web suffixes people append to brand names ("Salesforce.com").
const WEB_SUFFIX = /\.(com|net|org|io|co|ai|biz)\b/g;

const CONNECTIVES: ReadonlySet<string> = new Set(['and', 'of', 'the', 'for', 'et', 'und', 'y', 'e']);

export function normaliseCompanyName(raw: string | undefined): CompanyName | undefined {
  if (!raw) return undefined;
  // Accents are dropped ("Société" = "Societe"); plain ASCII, the common case, skips the decomposition.
  const plain = /^[\x20-\x7e]*$/.test(raw) ? raw : raw.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const words = plain
    .toLowerCase()
    .replace(WEB_SUFFIX, ' ')
    .replace(/&/g, ' and ')
    .replace(/\+/g, ' and ')
    // Apostrophes, dots and slashes join ("McDonald's", "S.A.", "A/S"); other punctuation separates.
    .replace(/['’./]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '' && w !== 'and');
  if (words[0] === 'the' && words.length > 1) words.shift();
  stripLegalForms(words);
  if (words.length === 0) return undefined;
  const text = words.join(' ');
  const significant = words.filter((w) => !CONNECTIVES.has(w));
  const acronym = significant.length >= 3 ? significant.map((w) => w[0]).join('') : undefined;
  return { text, tokens: words, compact: words.join(''), ...(acronym ? { acronym } : {}) };
}

function stripLegalForms(words: string[]): void {
  let stripped = 0;
  while (words.length > 1) {
    const last = words[words.length - 1]!;
    if (!LEGAL_FORMS.has(last)) break;
    if (TRAILING_PARTS.has(last) && stripped === 0) break;
    words.pop();
    stripped++;
  }
}
