import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryAccountIndex } from '../../../shared/domain/accounts/account-index.js';
import { normaliseCompanyName } from '../../../shared/domain/accounts/company-name.js';
import { normaliseCountry } from '../../../shared/domain/accounts/geography.js';
import {
  accountKeys,
  leadKeys,
  prepareAccount,
  prepareLead,
} from '../../../shared/domain/accounts/lookup-keys.js';
import type { Account, MatchableLead } from '../../../shared/domain/accounts/model.js';
import { jaroWinkler } from '../../../shared/domain/accounts/similarity.js';
import { emailDomain, websiteDomain } from '../../../shared/domain/accounts/web-domain.js';

const ACCOUNTS: Account[] = [
  {
    id: '001000000000000AAA',
    name: 'American Express Company',
    website: 'https://www.americanexpress.com/us/',
    country: 'United States',
  },
  {
    id: '001000000000000AAB',
    name: 'Acme Corporation',
    website: 'acme.com',
    country: 'US',
    postalCode: '94105',
  },
  { id: '001000000000000AAC', name: 'Northwind Traders', website: 'http://northwindtraders.com/about' },
  {
    id: '001000000000000AAD',
    name: 'International Business Machines Corp.',
    website: 'ibm.com',
    country: 'US',
  },
  { id: '001000000000000AAE', name: 'Brightwater Analytics GmbH', country: 'Germany' },
  { id: '001000000000000AAF', name: 'Société Générale S.A.', country: 'FR' },
  { id: '001000000000000AAG', name: 'Microsoft', country: 'US' },
  { id: '001000000000000AAH', name: 'Johnson & Johnson', website: 'www.jnj.com' },
  { id: '001000000000000AAI', name: 'The Coca-Cola Company', website: 'coca-colacompany.com' },
  { id: '001000000000000AAJ', name: 'Nokia Oyj', website: 'nokia.com', country: 'Finland' },
  { id: '001000000000000AAK', name: 'Kestrel Logistics Pty Ltd', country: 'Australia' },
  { id: '001000000000000AAL', name: 'Hawthorne Foods Ltd', website: 'hawthornefoods.co.uk', country: 'UK' },
];
const index = new InMemoryAccountIndex(ACCOUNTS);

describe('lead-to-account matching rules', () => {
  const cases: { rule: string; lead: MatchableLead; account: string; reason: RegExp }[] = [
    {
      rule: 'e-mail domain = account website',
      lead: { company: 'Amex', email: 'jane@americanexpress.com' },
      account: 'AAA',
      reason: /email domain americanexpress\.com = account website americanexpress\.com/,
    },
    {
      rule: 'e-mail sub-domain of the account website',
      lead: { email: 'bob@uk.acme.com' },
      account: 'AAB',
      reason: /sub-domain of account website acme\.com/,
    },
    {
      rule: 'website with scheme, www and path',
      lead: { website: 'HTTPS://WWW.NorthwindTraders.com/contact?x=1', email: 'a@gmail.com' },
      account: 'AAC',
      reason: /website northwindtraders\.com/,
    },
    {
      rule: 'website on a country-code second-level domain',
      lead: { email: 'x@sales.hawthornefoods.co.uk' },
      account: 'AAL',
      reason: /hawthornefoods\.co\.uk/,
    },
    {
      rule: 'name with a different legal suffix and case',
      lead: { company: 'ACME CORP.', email: 'b@gmail.com' },
      account: 'AAB',
      reason: /name "acme"/,
    },
    {
      rule: 'accents dropped',
      lead: { company: 'Societe Generale' },
      account: 'AAF',
      reason: /name "societe generale"/,
    },
    {
      rule: '& and "and" are the same',
      lead: { company: 'Johnson and Johnson Inc' },
      account: 'AAH',
      reason: /name "johnson johnson"/,
    },
    {
      rule: 'leading "The" and trailing Company dropped',
      lead: { company: 'Coca Cola' },
      account: 'AAI',
      reason: /name "coca cola"/,
    },
    { rule: 'Nordic legal form (Oyj)', lead: { company: 'Nokia' }, account: 'AAJ', reason: /name "nokia"/ },
    {
      rule: 'Australian legal form (Pty Ltd)',
      lead: { company: 'Kestrel Logistics Pty. Ltd.' },
      account: 'AAK',
      reason: /name "kestrel logistics"/,
    },
    {
      rule: 'acronym of a three-word name',
      lead: { company: 'IBM', email: 'x@hotmail.com' },
      account: 'AAD',
      reason: /acronym IBM/,
    },
    {
      rule: 'one-letter typo (swap)',
      lead: { company: 'Microsfot' },
      account: 'AAG',
      reason: /similarity 0\.9/,
    },
    {
      rule: 'one-letter typo in one word of two',
      lead: { company: 'Brightwater Analytcs', country: 'DE' },
      account: 'AAE',
      reason: /country DE agrees/,
    },
    {
      rule: 'spacing inside a name',
      lead: { company: 'Micro Soft' },
      account: 'AAG',
      reason: /name "micro soft"/,
    },
  ];
  it.each(cases)('matches by $rule', ({ lead, account, reason }) => {
    const result = index.match(lead);
    expect(result.match?.account.id).toBe(`001000000000000${account}`);
    expect(result.match?.confidence).toBeGreaterThanOrEqual(0.85);
    expect(result.match?.confidence).toBeLessThanOrEqual(1);
    expect(result.reason).toMatch(reason);
  });

  const confusers: { what: string; lead: MatchableLead; reason: RegExp }[] = [
    {
      what: 'a company sharing only its first word (Acme Widgets vs Acme Corporation)',
      lead: { company: 'Acme Widgets', email: 'x@gmail.com' },
      reason: /free-mail/,
    },
    {
      what: 'a look-alike name (Northwest vs Northwind Traders)',
      lead: { company: 'Northwest', email: 'x@yahoo.com' },
      reason: /no account above the threshold/,
    },
    {
      what: 'a company sharing its last word (Eastgate Traders vs Northwind Traders)',
      lead: { company: 'Eastgate Traders' },
      reason: /no account/,
    },
    {
      what: 'one word of a two-word account (Northwind vs Northwind Traders)',
      lead: { company: 'Northwind' },
      reason: /no account/,
    },
    {
      what: 'a free-mail address and no company',
      lead: { email: 'jane@gmail.com' },
      reason: /gmail\.com is free-mail/,
    },
    {
      what: 'an ISP address with a company not in the org',
      lead: { company: 'Zorvex Robotics', email: 'z@comcast.net' },
      reason: /comcast\.net is free-mail\/ISP/,
    },
    {
      what: 'a free-mail domain given as the website',
      lead: { website: 'https://mail.yahoo.com/', company: '' },
      reason: /no company name/,
    },
    {
      what: 'a short name with a typo (too ambiguous to guess)',
      lead: { company: 'Acne' },
      reason: /no account/,
    },
    {
      what: 'a profile page as the website',
      lead: { website: 'https://www.linkedin.com/company/acme' },
      reason: /no company name/,
    },
  ];
  it.each(confusers)('does not match $what', ({ lead, reason }) => {
    const result = index.match(lead);
    expect(result.match).toBeUndefined();
    expect(result.reason).toMatch(reason);
  });

  it('lowers name confidence when the countries disagree and raises it when country and postal area agree', () => {
    const agree = index.match({ company: 'Acme', country: 'United States', postalCode: '94107' });
    const disagree = index.match({ company: 'Acme', country: 'Canada' });
    const unknown = index.match({ company: 'Acme' });
    expect(agree.match?.confidence).toBeGreaterThan(unknown.match!.confidence);
    expect(disagree.match?.confidence).toBeLessThan(unknown.match!.confidence);
    expect(agree.reason).toMatch(/country US and postal area 941 agree/);
  });

  it('does not guess between two accounts with the same acronym', () => {
    const ambiguous = new InMemoryAccountIndex([
      { id: '001A', name: 'Pacific Gas Electric' },
      { id: '001B', name: 'Peak Growth Equity' },
    ]);
    const result = ambiguous.match({ company: 'PGE' });
    expect(result.match).toBeUndefined();
    expect(result.reason).toMatch(/acronym PGE fits 2 accounts/);
  });

  it('breaks ties between accounts on the same domain by country, then customer type, then top level', () => {
    const group = new InMemoryAccountIndex([
      { id: '001C', name: 'Globex Germany GmbH', website: 'globex.com', country: 'DE', parentId: '001A' },
      { id: '001A', name: 'Globex Corporation', website: 'globex.com', country: 'US' },
      {
        id: '001B',
        name: 'Globex UK Ltd',
        website: 'globex.com',
        country: 'GB',
        type: 'Customer',
        parentId: '001A',
      },
    ]);
    expect(group.match({ email: 'x@globex.com', country: 'Deutschland' }).match?.account.id).toBe('001C');
    const noCountry = group.match({ email: 'x@globex.com' });
    expect(noCountry.match?.account.id).toBe('001B');
    expect(noCountry.reason).toMatch(/chosen over 2 close candidate\(s\) by customer type/);
  });

  it('lets the threshold trade recall for precision', () => {
    expect(index.match({ company: 'Mircosoft' }).match?.account.id).toBe('001000000000000AAG');
    const strict = index.match(
      { company: 'Mircosoft' },
      { minConfidence: 0.95, minNameSimilarity: 0.92, minWordSimilarity: 0.9 },
    );
    expect(strict.match).toBeUndefined();
  });
});

describe('matching is deterministic and independent of account order', () => {
  const leads: MatchableLead[] = [
    { email: 'x@globex.com' },
    { company: 'Globex' },
    { company: 'Globx Corp' },
    { company: 'PGE' },
    { company: 'Initech', country: 'US' },
    { company: 'Initech', country: 'CA', postalCode: 'M5V 3L9' },
  ];
  const pool: Account[] = [
    { id: '001A', name: 'Globex Corporation', website: 'globex.com', country: 'US' },
    { id: '001B', name: 'Globex UK Ltd', website: 'globex.com', country: 'GB', type: 'Customer' },
    { id: '001C', name: 'Globex', country: 'CA' },
    { id: '001D', name: 'Pacific Gas Electric', country: 'US' },
    { id: '001E', name: 'Peak Growth Equity' },
    { id: '001F', name: 'Initech Inc', country: 'US' },
    { id: '001G', name: 'Initech Ltd', country: 'CA', postalCode: 'M5V 1A1' },
    { id: '001H', name: 'Globe Exports' },
  ];

  it('gives the same result for every permutation and subset order of the accounts', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(pool, { minLength: 1 }),
        fc.integer({ min: 0, max: 1000 }),
        (subset, seed) => {
          const shuffled = [...subset].sort(
            (a, b) => ((a.id.charCodeAt(3) * seed) % 7) - ((b.id.charCodeAt(3) * seed) % 7),
          );
          const sorted = [...subset].sort((a, b) => a.id.localeCompare(b.id));
          const x = new InMemoryAccountIndex(shuffled);
          const y = new InMemoryAccountIndex(sorted);
          for (const lead of leads) expect(x.match(lead)).toEqual(y.match(lead));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives the same result when run twice on arbitrary names', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 12 }),
        fc.string({ maxLength: 30 }),
        (names, company) => {
          const accounts = names.map((name, i) => ({
            id: `001${String(i).padStart(3, '0')}`,
            name: name || 'x',
          }));
          const forward = new InMemoryAccountIndex(accounts).match({ company });
          const backward = new InMemoryAccountIndex([...accounts].reverse()).match({ company });
          expect(backward).toEqual(forward);
          if (forward.match) expect(forward.match.confidence).toBeGreaterThanOrEqual(0.85);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('lookup keys', () => {
  const typoCandidates = (accounts: Account[], company: string) => {
    const byKey = new Map<string, string[]>();
    for (const account of accounts) {
      for (const key of accountKeys(prepareAccount(account)))
        byKey.set(key, [...(byKey.get(key) ?? []), account.id]);
    }
    const keys = leadKeys(prepareLead({ company }));
    return new Set(keys.fuzzy.flatMap((key) => byKey.get(key) ?? []));
  };

  it('finds a name with one typo of any kind in any word', () => {
    const accounts: Account[] = [{ id: 'a', name: 'Stonebridge Airlines Ltd' }];
    for (const typo of [
      'Stonebrideg Airlines', // swapped neighbours at the end of a word
      'Stonbridge Airlines', // a letter left out
      'Stonebridge Airlnies',
      'Stonebridgge Airlines', // a letter doubled
      'Stonebriage Airlines', // a letter replaced
      'Ttonebridge Airlines', // even the first letter of a long word
    ]) {
      expect(typoCandidates(accounts, typo), typo).toEqual(new Set(['a']));
    }
  });

  it('does not hand a lead every account that shares a common word', () => {
    const accounts: Account[] = Array.from({ length: 2000 }, (_, i) => ({
      id: `x${i}`,
      name: `${String.fromCharCode(97 + (i % 26))}${'abcdefghij'[Math.floor(i / 26) % 10]}${'klmnopqrst'[Math.floor(i / 260) % 10]}ridge Systems`,
    }));
    accounts.push({ id: 'target', name: 'Stonebridge Systems' });
    const candidates = typoCandidates(accounts, 'Stonebrdge Systems');
    expect(candidates.has('target')).toBe(true);
    // Keying on halves of the whole name filed every "…ridge Systems" together; the other words now narrow it.
    expect(candidates.size).toBeLessThan(20);
  });
});

describe('normalisation', () => {
  it.each([
    ['The Acme Corporation', 'acme'],
    ['ACME Corp.', 'acme'],
    ['Acmé, Inc.', 'acme'],
    ['Procter & Gamble Co.', 'procter gamble'],
    ['Salesforce.com, Inc.', 'salesforce'],
    ['Siemens AG', 'siemens'],
    ['Allianz SE', 'allianz'],
    ['Bosch GmbH & Co. KG', 'bosch'],
    ['Danone S.A.', 'danone'],
    ['Ferrari S.p.A.', 'ferrari'],
    ['Philips N.V.', 'philips'],
    ['ASML Holding B.V.', 'asml holding'],
    ['Sony K.K.', 'sony'],
    ['Volvo AB (publ)', 'volvo'],
    ['Maersk A/S', 'maersk'],
    ['Fomento Económico Mexicano S.A.B. de C.V.', 'fomento economico mexicano'],
    ['Orange SAS', 'orange'],
    ['Acme SARL', 'acme'],
    ['Acme Sp. z o.o.', 'acme'],
    ["McDonald's Corporation", 'mcdonalds'],
    ['Co', 'co'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseCompanyName(raw)?.text).toBe(expected);
  });

  it('takes the acronym of three or more significant words', () => {
    expect(normaliseCompanyName('International Business Machines Corporation')?.acronym).toBe('ibm');
    expect(normaliseCompanyName('Bank of America')?.acronym).toBeUndefined();
  });

  it.each([
    ['https://www.Acme.com/contact', 'acme.com', 'acme.com'],
    ['acme.com:443', 'acme.com', 'acme.com'],
    ['uk.acme.co.uk', 'uk.acme.co.uk', 'acme.co.uk'],
    ['shop.acme.myshopify.com', 'shop.acme.myshopify.com', 'acme.myshopify.com'],
  ])('website %s → host %s, domain %s', (raw, host, domain) => {
    expect(websiteDomain(raw)).toEqual({ host, domain });
  });

  it.each([
    'gmail.com',
    'https://yahoo.co.uk',
    'comcast.net',
    'gmx.de',
    'not a url',
    '10.0.0.1',
    'localhost',
    '',
  ])('has no company domain for %s', (raw) => expect(websiteDomain(raw)).toBeUndefined());

  it('reads e-mail domains and refuses malformed addresses', () => {
    expect(emailDomain('Jane.Doe@EU.Acme.com')).toEqual({ host: 'eu.acme.com', domain: 'acme.com' });
    expect(emailDomain('jane@')).toBeUndefined();
    expect(emailDomain('@acme.com')).toBeUndefined();
    expect(emailDomain('jane@googlemail.com')).toBeUndefined();
  });

  it.each([
    ['USA', 'US'],
    ['United States', 'US'],
    ['UK', 'GB'],
    ['Germany', 'DE'],
    ['Deutschland', 'DE'],
    ['España', 'ES'],
    ['France', 'FR'],
    ['ca', 'CA'],
  ])('country %s → %s', (raw, code) => expect(normaliseCountry(raw)).toBe(code));

  it('scores Jaro–Winkler like the published examples', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
});
