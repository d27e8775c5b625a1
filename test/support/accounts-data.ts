import { mulberry32 } from '../../shared/adapters/planning/generate.js';
import { normaliseCompanyName } from '../../shared/domain/accounts/company-name.js';
import type { Account, MatchableLead } from '../../shared/domain/accounts/model.js';

/**
 * A labelled lead-to-account evaluation set, generated from a seed: realistic company names and
 * domains in twelve countries, leads that are variants of an account (corporate e-mail, sub-domain,
 * website, suffix/case/accent/&/"The"/punctuation changes, one-letter typos, acronyms) and leads
 * that must match nothing (confusers sharing one word with an account, look-alike names, free-mail
 * with no company, companies not in the org).
 */

export type LeadKind =
  | 'email-domain'
  | 'email-subdomain'
  | 'website'
  | 'name-variant'
  | 'typo'
  | 'acronym'
  | 'confuser-shared-word'
  | 'confuser-lookalike'
  | 'free-mail-only'
  | 'unknown-company'
  | 'unknown-domain';

export interface LabelledLead extends MatchableLead {
  id: string;
  kind: LeadKind;
  /** The account this lead belongs to; undefined when it belongs to none. */
  expectedAccountId: string | undefined;
}

export interface EvaluationSet {
  accounts: Account[];
  leads: LabelledLead[];
}

const ROOTS = [
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Brightwater',
  'Bluefin',
  'Redwood',
  'Ironclad',
  'Silverline',
  'Summit',
  'Pinnacle',
  'Cascade',
  'Evergreen',
  'Horizon',
  'Keystone',
  'Lighthouse',
  'Meridian',
  'Oakridge',
  'Pioneer',
  'Quantum',
  'Sterling',
  'Titan',
  'Vanguard',
  'Westfield',
  'Alder',
  'Aurora',
  'Beacon',
  'Blackstone',
  'Boulder',
  'Cobalt',
  'Copperleaf',
  'Crescent',
  'Driftwood',
  'Eastgate',
  'Elmstead',
  'Falcon',
  'Foxglove',
  'Granite',
  'Harbor',
  'Highland',
  'Juniper',
  'Kestrel',
  'Lakeshore',
  'Larkspur',
  'Magnolia',
  'Maplewood',
  'Monarch',
  'Nimbus',
  'Northgate',
  'Obsidian',
  'Orchard',
  'Osprey',
  'Paragon',
  'Peregrine',
  'Prairie',
  'Quarry',
  'Ravenwood',
  'Ridgeline',
  'Riverbend',
  'Saffron',
  'Sequoia',
  'Shoreline',
  'Skyline',
  'Southport',
  'Stonebridge',
  'Sunridge',
  'Tamarack',
  'Thistle',
  'Timberline',
  'Trident',
  'Tundra',
  'Upland',
  'Valiant',
  'Verdant',
  'Wavecrest',
  'Willow',
  'Windmere',
  'Yellowstone',
  'Zenith',
  'Ashford',
  'Bramble',
  'Cedarbrook',
  'Dunmore',
  'Everett',
  'Glenwood',
  'Hawthorne',
  'Ingleside',
  'Kingsley',
  'Lockwood',
  'Montague',
  'Norcross',
  'Pemberton',
  'Radcliffe',
  'Sheffield',
  'Thornbury',
  'Whitmore',
  'Zürich',
  'Müller',
  'Lefèvre',
  'Almeida',
  'Bergström',
  'Kowalski',
  'Nakamura',
  'Rossi',
  'Van Dijk',
  'Fischer',
  'Dubois',
  'García',
  'Lindqvist',
  'Virtanen',
  'Moreau',
  'Schneider',
];
const INDUSTRIES = [
  'Analytics',
  'Systems',
  'Logistics',
  'Foods',
  'Energy',
  'Capital',
  'Health',
  'Labs',
  'Software',
  'Robotics',
  'Traders',
  'Partners',
  'Consulting',
  'Media',
  'Pharma',
  'Motors',
  'Insurance',
  'Bank',
  'Technologies',
  'Solutions',
  'Networks',
  'Materials',
  'Industries',
  'Ventures',
  'Studios',
  'Outfitters',
  'Brewing',
  'Airlines',
  'Textiles',
  'Semiconductors',
  'Biosciences',
  'Freight',
  'Hospitality',
  'Construction',
  'Engineering',
  'Instruments',
  'Chemicals',
  'Dynamics',
  'Aerospace',
  'Telecom',
  'Mining',
  'Shipping',
  'Publishing',
  'Wireless',
  'Diagnostics',
  'Outdoor',
  'Apparel',
  'Furniture',
  'Packaging',
  'Security',
];
const REGIONS = [
  'International',
  'Pacific',
  'Atlantic',
  'Northern',
  'Southern',
  'Continental',
  'United',
  'Global',
  'Western',
  'Eastern',
  'Central',
  'National',
];
const SURNAMES = [
  'Harrison',
  'Wolfe',
  'Becker',
  'Sullivan',
  'Patel',
  'Okafor',
  'Lindgren',
  'Moreno',
  'Castillo',
  'Reyes',
  'Brennan',
  'Holt',
  'Nguyen',
  'Kaplan',
  'Fischer',
  'Dawson',
  'Mercer',
  'Whitfield',
];

interface CountrySpec {
  code: string;
  names: string[];
  tld: string;
  suffixes: string[];
  postal: (r: () => number) => string;
}
const digits = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
const letter = (r: () => number) => 'ABCEGHJKLMNPRSTVXY'[Math.floor(r() * 18)]!;
const COUNTRIES: CountrySpec[] = [
  {
    code: 'US',
    names: ['United States', 'USA', 'US'],
    tld: 'com',
    suffixes: ['Inc.', 'Inc', 'LLC', 'Corp.', 'Corporation', 'Incorporated'],
    postal: (r) => digits(r, 5),
  },
  {
    code: 'CA',
    names: ['Canada', 'CA'],
    tld: 'ca',
    suffixes: ['Inc.', 'Ltd.', 'Corp.', 'ULC'],
    postal: (r) => `${letter(r)}${digits(r, 1)}${letter(r)} ${digits(r, 1)}${letter(r)}${digits(r, 1)}`,
  },
  {
    code: 'GB',
    names: ['United Kingdom', 'UK', 'GB'],
    tld: 'co.uk',
    suffixes: ['Ltd', 'Limited', 'PLC', 'LLP'],
    postal: (r) => `${letter(r)}${letter(r)}${digits(r, 1)} ${digits(r, 1)}${letter(r)}${letter(r)}`,
  },
  {
    code: 'DE',
    names: ['Germany', 'Deutschland', 'DE'],
    tld: 'de',
    suffixes: ['GmbH', 'AG', 'SE', 'GmbH & Co. KG'],
    postal: (r) => digits(r, 5),
  },
  {
    code: 'FR',
    names: ['France', 'FR'],
    tld: 'fr',
    suffixes: ['SAS', 'SARL', 'S.A.'],
    postal: (r) => digits(r, 5),
  },
  {
    code: 'IT',
    names: ['Italy', 'IT'],
    tld: 'it',
    suffixes: ['S.p.A.', 'S.r.l.'],
    postal: (r) => digits(r, 5),
  },
  {
    code: 'NL',
    names: ['Netherlands', 'NL'],
    tld: 'nl',
    suffixes: ['B.V.', 'N.V.'],
    postal: (r) => `${digits(r, 4)} ${letter(r)}${letter(r)}`,
  },
  {
    code: 'AU',
    names: ['Australia', 'AU'],
    tld: 'com.au',
    suffixes: ['Pty Ltd', 'Pty. Ltd.', 'Limited'],
    postal: (r) => digits(r, 4),
  },
  {
    code: 'JP',
    names: ['Japan', 'JP'],
    tld: 'co.jp',
    suffixes: ['K.K.', 'Co., Ltd.'],
    postal: (r) => `${digits(r, 3)}-${digits(r, 4)}`,
  },
  { code: 'FI', names: ['Finland', 'FI'], tld: 'fi', suffixes: ['Oy', 'Oyj'], postal: (r) => digits(r, 5) },
  {
    code: 'SE',
    names: ['Sweden', 'SE'],
    tld: 'se',
    suffixes: ['AB', 'AB (publ)'],
    postal: (r) => `${digits(r, 3)} ${digits(r, 2)}`,
  },
  {
    code: 'ES',
    names: ['Spain', 'España', 'ES'],
    tld: 'es',
    suffixes: ['S.L.', 'S.A.'],
    postal: (r) => digits(r, 5),
  },
];
const FREE_MAIL = [
  'gmail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'icloud.com',
  'aol.com',
  'gmx.de',
  'web.de',
  'yahoo.co.uk',
  'hotmail.fr',
  'orange.fr',
  'libero.it',
  'comcast.net',
  'shaw.ca',
  'bigpond.com',
  'protonmail.com',
];
const FIRST_NAMES = [
  'jane',
  'john',
  'maria',
  'wei',
  'priya',
  'lars',
  'sofia',
  'omar',
  'kenji',
  'emma',
  'luca',
  'anna',
];
// Eighty syllables, two to four per brand: about 41 million brands, so a million accounts stay as sparse as real names.
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ra',
  've',
  'zu',
  'no',
  'ti',
  'sa',
  'be',
  'qu',
  'do',
  'fe',
  'gri',
  'hal',
  'jor',
  'kes',
  'lum',
  'mar',
  'nev',
  'or',
  'pra',
  'ros',
  'sil',
  'tav',
  'und',
  'vor',
  'wen',
  'xan',
  'yel',
  'zor',
  'bri',
  'cal',
  'dra',
  'el',
  'fin',
  'gal',
  'hol',
  'ist',
  'kor',
  'ba',
  'ce',
  'di',
  'fo',
  'gu',
  'ha',
  'je',
  'ki',
  'lu',
  'ma',
  'ne',
  'po',
  'ri',
  'su',
  'te',
  'vi',
  'wa',
  'ya',
  'zen',
  'bor',
  'cyn',
  'del',
  'eth',
  'far',
  'gon',
  'hel',
  'ith',
  'jun',
  'kal',
  'lor',
  'mon',
  'nar',
  'oth',
  'pel',
  'quo',
  'rin',
  'sto',
  'tor',
  'ulm',
  'vel',
];

type Rng = () => number;
const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

/** A pronounceable made-up brand (`Kalumvor`), so a million accounts still have distinct, realistic-looking names. */
function brand(r: Rng): string {
  const n = 2 + Math.floor(r() * 3);
  const word = Array.from({ length: n }, () => pick(r, SYLLABLES)).join('');
  return word[0]!.toUpperCase() + word.slice(1);
}

interface GeneratedAccount extends Account {
  base: string;
  words: string[];
  country: string;
  spec: CountrySpec;
  domain: string | undefined;
}

function makeAccount(r: Rng, id: string, useBrands: boolean): GeneratedAccount {
  const spec = pick(r, COUNTRIES);
  const root = useBrands && r() < 0.85 ? brand(r) : pick(r, ROOTS);
  const shape = r();
  let words: string[];
  if (shape < 0.62) words = [root, pick(r, INDUSTRIES)];
  else if (shape < 0.8) words = [pick(r, REGIONS), root, pick(r, INDUSTRIES)];
  else if (shape < 0.9) words = [pick(r, SURNAMES), '&', useBrands ? brand(r) : pick(r, SURNAMES)];
  else if (shape < 0.95) words = [root, pick(r, INDUSTRIES), pick(r, INDUSTRIES)];
  else words = [root.length >= 6 ? root : `${root}ex`];
  const base = words.join(' ');
  const name = r() < 0.8 ? `${base} ${pick(r, spec.suffixes)}` : base;
  const slug = words
    .filter((w) => w !== '&')
    .join('')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
  const domain = r() < 0.8 ? `${slug}.${r() < 0.6 ? 'com' : spec.tld}` : undefined;
  const website = domain
    ? pick(r, [`https://www.${domain}/`, domain, `http://${domain}/about-us`, `www.${domain}`])
    : undefined;
  return {
    id,
    name,
    base,
    words,
    ...(website ? { website } : {}),
    domain,
    country: pick(r, spec.names),
    spec,
    postalCode: spec.postal(r),
    ownerId: `005${String(Math.floor(r() * 500)).padStart(15, '0')}`,
    type: r() < 0.3 ? 'Customer' : 'Prospect',
  };
}

function salesforceId(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(15, '0')}`;
}

function typo(r: Rng, word: string): string {
  const i = 1 + Math.floor(r() * (word.length - 2));
  const kind = r();
  if (kind < 0.3) return word.slice(0, i) + word.slice(i + 1);
  if (kind < 0.6) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  const c = 'aeiourstnl'[Math.floor(r() * 10)]!;
  if (kind < 0.8) return word.slice(0, i) + c + word.slice(i + 1);
  return word.slice(0, i) + c + word.slice(i);
}

function nameVariant(r: Rng, a: GeneratedAccount): string {
  const v = Math.floor(r() * 8);
  const base = a.base;
  switch (v) {
    case 0:
      return base.toUpperCase();
    case 1:
      return `${base} ${pick(r, a.spec.suffixes)}`;
    case 2:
      return `The ${base}`;
    case 3:
      return base.includes('&') ? base.replace('&', 'and') : `${base}, ${pick(r, a.spec.suffixes)}`;
    case 4:
      return base
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase();
    case 5:
      return `${base.replace(/ /g, '-')}`;
    case 6:
      return `${base.toLowerCase()} ${pick(r, ['inc', 'ltd', 'gmbh', 'llc'])}`;
    default:
      return a.name;
  }
}

function person(r: Rng): string {
  return `${pick(r, FIRST_NAMES)}.${pick(r, FIRST_NAMES)}${Math.floor(r() * 100)}`;
}

/** `accounts` accounts and `leads` leads; about 65% of leads belong to an account. */
export function generateEvaluationSet(spec: {
  accounts: number;
  leads: number;
  seed?: number;
  brands?: boolean;
}): EvaluationSet {
  const r = mulberry32(spec.seed ?? 15);
  const generated: GeneratedAccount[] = [];
  const byCompact = new Map<string, string>();
  const acronyms = new Map<string, number>();
  for (let i = 0; generated.length < spec.accounts && i < spec.accounts * 4; i++) {
    const a = makeAccount(
      r,
      salesforceId('001', generated.length + 1),
      spec.brands ?? spec.accounts > 20_000,
    );
    const normalised = normaliseCompanyName(a.name);
    const compact = normalised?.compact;
    if (!compact || byCompact.has(compact)) continue;
    byCompact.set(compact, a.id);
    const acronym = normalised?.acronym;
    if (acronym) acronyms.set(acronym, (acronyms.get(acronym) ?? 0) + 1);
    generated.push(a);
  }
  const domains = new Set(generated.map((a) => a.domain).filter(Boolean));
  const acronymAccounts = generated.filter((a) => {
    const acr = normaliseCompanyName(a.name)?.acronym;
    return acr !== undefined && acronyms.get(acr) === 1 && !byCompact.has(acr);
  });

  const leads: LabelledLead[] = [];
  /** The account a made-up lead company really is, if the generator happened to produce an existing name. */
  const truthFor = (company: string): string | undefined => {
    const c = normaliseCompanyName(company)?.compact;
    return c ? byCompact.get(c) : undefined;
  };
  for (let i = 0; leads.length < spec.leads; i++) {
    const id = salesforceId('00Q', i + 1);
    const a = pick(r, generated);
    const country = r() < 0.6 ? pick(r, a.spec.names) : undefined;
    const postalCode = country && r() < 0.5 ? a.postalCode : undefined;
    const free = `${person(r)}@${pick(r, FREE_MAIL)}`;
    const roll = r();
    const push = (lead: Omit<LabelledLead, 'id'>) => leads.push({ id, ...lead });
    if (roll < 0.14 && a.domain) {
      push({
        kind: 'email-domain',
        company: r() < 0.5 ? nameVariant(r, a) : pick(r, ['', 'n/a', a.words[0]!]),
        email: `${person(r)}@${a.domain}`,
        country,
        postalCode,
        expectedAccountId: a.id,
      });
    } else if (roll < 0.2 && a.domain) {
      push({
        kind: 'email-subdomain',
        company: nameVariant(r, a),
        email: `${person(r)}@${pick(r, ['eu', 'mail', 'us', 'corp', 'uk'])}.${a.domain}`,
        country,
        expectedAccountId: a.id,
      });
    } else if (roll < 0.26 && a.domain) {
      push({
        kind: 'website',
        company: '',
        email: free,
        website: pick(r, [
          `https://${a.domain}/contact`,
          `www.${a.domain}`,
          `http://www.${a.domain}/en/products?ref=x`,
        ]),
        country,
        expectedAccountId: a.id,
      });
    } else if (roll < 0.44) {
      push({
        kind: 'name-variant',
        company: nameVariant(r, a),
        email: free,
        country,
        postalCode,
        expectedAccountId: a.id,
      });
    } else if (roll < 0.56) {
      const words = a.base.split(' ');
      const longest = words.reduce((w, x, k) => (x.length > words[w]!.length ? k : w), 0);
      if (words[longest]!.length < 6) continue;
      words[longest] = typo(r, words[longest]!);
      const company = words.join(' ');
      const truth = truthFor(company);
      push({ kind: 'typo', company, email: free, country, postalCode, expectedAccountId: truth ?? a.id });
    } else if (roll < 0.62 && acronymAccounts.length > 0) {
      const b = pick(r, acronymAccounts);
      const acr = normaliseCompanyName(b.name)!.acronym!.toUpperCase();
      push({
        kind: 'acronym',
        company: r() < 0.5 ? acr : `${acr} ${pick(r, b.spec.suffixes)}`,
        email: free,
        country: pick(r, b.spec.names),
        expectedAccountId: b.id,
      });
    } else if (roll < 0.74) {
      // Shares one word with an account: "Northwind Robotics" when the org has "Northwind Traders".
      const words = a.base.split(' ').filter((w) => w !== '&');
      const company =
        r() < 0.5 ? `${words[0]} ${pick(r, INDUSTRIES)}` : `${pick(r, ROOTS)} ${words[words.length - 1]}`;
      const truth = truthFor(company);
      const email =
        r() < 0.5 ? free : `${person(r)}@${company.toLowerCase().replace(/[^a-z]/g, '')}-group.com`;
      push({ kind: 'confuser-shared-word', company, email, country, expectedAccountId: truth });
    } else if (roll < 0.8) {
      // Looks like an account at a glance: two or more letters changed in its distinctive word.
      const words = a.base.split(' ');
      const w = words[0]!;
      if (w.length < 6) continue;
      words[0] = `${w.slice(0, 3)}${pick(r, ['vest', 'field', 'ton', 'side', 'mark'])}`;
      // A look-alike differs in several letters; one or two would be a typo of the real account.
      if (editDistance(words[0].toLowerCase(), w.toLowerCase()) < 3) continue;
      const company = words.join(' ');
      push({
        kind: 'confuser-lookalike',
        company,
        email: free,
        country,
        expectedAccountId: truthFor(company),
      });
    } else if (roll < 0.88) {
      push({
        kind: 'free-mail-only',
        company: pick(r, ['', 'Self-employed', 'N/A', 'none', 'Student']),
        email: free,
        country,
        expectedAccountId: undefined,
      });
    } else if (roll < 0.94) {
      const company = `${brand(r)} ${pick(r, INDUSTRIES)}`;
      push({ kind: 'unknown-company', company, email: free, country, expectedAccountId: truthFor(company) });
    } else {
      const company = `${brand(r)} ${pick(r, INDUSTRIES)}`;
      const domain = `${company.toLowerCase().replace(/[^a-z]/g, '')}.io`;
      if (domains.has(domain)) continue;
      push({
        kind: 'unknown-domain',
        company,
        email: `${person(r)}@${domain}`,
        country,
        expectedAccountId: truthFor(company),
      });
    }
  }
  const accounts: Account[] = generated.map(
    ({ base: _b, words: _w, spec: _s, domain: _d, ...account }) => account,
  );
  return { accounts, leads };
}

export interface Scores {
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  byKind: Record<string, { leads: number; correct: number }>;
}

/** Precision = right matches / all matches made; recall = right matches / leads that have an account. */
export function scoreMatches(leads: LabelledLead[], predicted: (string | undefined)[]): Scores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const byKind: Scores['byKind'] = {};
  leads.forEach((lead, i) => {
    const got = predicted[i];
    const kind = byKind[lead.kind] ?? { leads: 0, correct: 0 };
    byKind[lead.kind] = kind;
    kind.leads++;
    if (got === lead.expectedAccountId) kind.correct++;
    if (got !== undefined && got === lead.expectedAccountId) tp++;
    else if (got !== undefined) fp++;
    if (lead.expectedAccountId !== undefined && got !== lead.expectedAccountId) fn++;
  });
  return {
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    byKind,
  };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
