import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toId18 } from '../../../shared/domain/salesforce-id.js';
import { compileModel } from '../../../shared/domain/territory/compile-model.js';
import type { Lead } from '../../../shared/domain/territory/lead.js';
import { config, validModel } from './fixtures.js';
import { naiveMatch } from './naive-matcher.js';

const ACME_ACCOUNT = '001TR0000000001';

const geography = {
  categories: [
    { id: 'canada', name: 'Canada', expression: 'Country IN ("Canada", "CA")' },
    {
      id: 'ontario',
      name: 'Ontario',
      parent: 'canada',
      expression: 'PostalCode STARTS WITH ("K", "L", "M", "N", "P")',
    },
    { id: 'gta', name: 'GTA', parent: 'ontario', expression: 'PostalCode STARTS WITH ("M", "L4", "L5")' },
  ],
  territories: [
    {
      id: 'acme',
      name: 'Acme (named)',
      priority: 1,
      namedAccounts: {
        accountIds: [ACME_ACCOUNT],
        companies: ['Acme Enterprises Inc.'],
        domains: ['acme.com'],
      },
      participants: ['rep01'],
    },
    {
      id: 'toronto-core',
      name: 'Toronto Core',
      category: 'gta',
      priority: 2,
      expression: 'PostalCode STARTS WITH "M5"',
      participants: ['rep02'],
    },
    {
      id: 'gta-finance',
      name: 'GTA Finance',
      category: 'gta',
      priority: 2,
      expression: 'Industry = "Finance"',
      participants: ['rep03'],
    },
    { id: 'gta', name: 'GTA', category: 'gta', priority: 5, participants: ['rep04'] },
    { id: 'ontario', name: 'Ontario', category: 'ontario', priority: 9, participants: ['rep05'] },
    { id: 'retired', name: 'Retired', priority: 1, active: false, participants: ['rep06'] },
  ],
};

describe.each(['index', 'scan'] as const)('matching a lead to its territory (%s)', (matchStrategy) => {
  const model = compileModel(validModel(config(geography)), { matchStrategy });
  const compiled = (input: unknown) => compileModel(validModel(input), { matchStrategy });

  it.each<[string, Lead, string | undefined, string[]]>([
    [
      'a downtown Toronto lead',
      { Country: 'Canada', PostalCode: 'm5v 3l9' },
      'toronto-core',
      ['PostalCode starts with "M5"'],
    ],
    [
      'a Mississauga lead (GTA by an L prefix)',
      { Country: 'CA', PostalCode: 'L5B 1A1' },
      'gta',
      ['PostalCode starts with "L5"'],
    ],
    [
      'an Ottawa lead (Ontario only)',
      { Country: 'Canada', PostalCode: 'K1P 1J1' },
      'ontario',
      ['PostalCode starts with "K"'],
    ],
    ['a lead outside Canada', { Country: 'USA', PostalCode: 'M5V' }, undefined, []],
    ['a lead with no fields', {}, undefined, []],
    [
      'a named account by company name, wherever it is',
      { Company: 'ACME ENTERPRISES, LLC', Country: 'USA' },
      'acme',
      ['named account (company "acme enterprises")'],
    ],
    [
      'a named account by account id (15 or 18)',
      { 'Account.Id': toId18(ACME_ACCOUNT) },
      'acme',
      [`named account (account id ${toId18(ACME_ACCOUNT).toLowerCase()})`],
    ],
    [
      'a named account by email subdomain',
      { Email: 'jo@eu.acme.com' },
      'acme',
      ['named account (domain acme.com)'],
    ],
    [
      'a named account by website',
      { Website: 'https://www.acme.com/x' },
      'acme',
      ['named account (domain acme.com)'],
    ],
  ])('routes %s', (_name, lead, territoryId, matchedBy) => {
    const result = model.match(lead);
    expect(result.territory?.id).toBe(territoryId);
    expect(result.matchedBy).toEqual(matchedBy);
  });

  it('gives ties in priority to the territory listed first', () => {
    const lead = { Country: 'Canada', PostalCode: 'M5V 3L9', Industry: 'Finance' };
    expect(model.match(lead).territory?.id).toBe('toronto-core');
    const swapped = compiled(
      config({
        ...geography,
        territories: [geography.territories[2], geography.territories[1], ...geography.territories.slice(3)],
      }),
    );
    expect(swapped.match(lead).territory?.id).toBe('gta-finance');
  });

  it('puts the highest priority (1) first whatever the order in the file', () => {
    const reversed = compiled(config({ ...geography, territories: [...geography.territories].reverse() }));
    expect(
      reversed.match({ Company: 'Acme Enterprises', Country: 'Canada', PostalCode: 'M5V' }).territory?.id,
    ).toBe('acme');
  });

  it('ANDs every ancestor category: a GTA territory needs Canada too', () => {
    expect(
      model.match({ Country: 'USA', PostalCode: 'M5V 3L9', Industry: 'Finance' }).territory,
    ).toBeUndefined();
  });

  it('skips inactive territories', () => {
    expect(model.territories.map((t) => t.id)).not.toContain('retired');
  });

  it.runIf(matchStrategy === 'index')(
    'evaluates only candidate territories found through its indexes',
    () => {
      expect(model.indexStats).toMatchObject({ strategy: 'index', indexed: 5, unindexed: 0 });
      // Ottawa: the Toronto territory (filed under M5) and the Acme one are never looked at.
      expect(model.match({ Country: 'Canada', PostalCode: 'K1P 1J1' }).evaluated).toBeLessThanOrEqual(2);
      expect(model.match({ Country: 'USA' }).evaluated).toBe(0);
    },
  );

  it('reports the category chain and priority for the reason', () => {
    const { territory } = model.match({ Country: 'Canada', PostalCode: 'M5V 3L9' });
    expect(territory).toMatchObject({
      name: 'Toronto Core',
      priority: 2,
      path: ['Canada', 'Ontario', 'GTA'],
    });
  });
});

describe('indexed matcher against the naive reference (property)', () => {
  it('scans small models and indexes large ones unless told otherwise', () => {
    const model = validModel(config(geography));
    expect(compileModel(model).indexStats.strategy).toBe('scan');
    const many = validModel(
      config({
        territories: Array.from({ length: 30 }, (_, i) => ({
          id: `t${i}`,
          priority: 1,
          expression: `City = "C${i}"`,
          participants: ['rep01'],
        })),
      }),
    );
    expect(compileModel(many).indexStats).toMatchObject({ strategy: 'index', indexed: 30 });
  });

  const postal = [
    'M5V 3L9',
    'm5v3l9',
    'M4W 1A1',
    'L5B 1A1',
    'L8P 4R5',
    'K1P 1J1',
    'N2L 3G1',
    '10001',
    '10001-2345',
    'M5',
    '',
  ];
  const prefixes = ['M', 'M5', 'M5V', 'm5v 3', 'L', 'L5', 'K1P', 'N', '1000', '10001', 'M5V3L9'];
  const countries = ['Canada', 'CA', 'canada ', 'USA', 'US'];
  const industries = ['Finance', 'Legal', 'Retail', 'legal'];
  const companies = [
    'Acme Enterprises Inc.',
    'ACME ENTERPRISES, LLC',
    'Globex Corp',
    'Initech',
    'The Globex Corporation',
  ];
  const emails = ['a@acme.com', 'b@eu.globex.com', 'c@initech.io', 'd@gmail.com'];
  const accounts = ['001TR0000000001', '001TR0000000002', toId18('001TR0000000003')];
  const segments = ['SMB', 'Enterprise', 'smb'];

  const criterion = fc.oneof(
    fc.record({
      attribute: fc.constant('PostalCode'),
      op: fc.constantFrom('startsWith', 'equals'),
      value: fc.constantFrom(...prefixes),
    }),
    fc.record({
      attribute: fc.constant('PostalCode'),
      op: fc.constantFrom('startsWith', 'in', 'notIn'),
      values: fc.subarray(prefixes, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      attribute: fc.constant('Country'),
      op: fc.constantFrom('equals', 'notEquals'),
      value: fc.constantFrom(...countries),
    }),
    fc.record({
      attribute: fc.constant('Industry'),
      op: fc.constantFrom('in', 'notIn'),
      values: fc.subarray(industries, { minLength: 1 }),
    }),
    fc.record({
      attribute: fc.constant('Industry'),
      op: fc.constantFrom('equals', 'contains'),
      value: fc.constantFrom(...industries, 'in'),
    }),
    fc.record({
      attribute: fc.constant('Segment__c'),
      op: fc.constant('equals'),
      value: fc.constantFrom(...segments),
    }),
    fc.record({
      attribute: fc.constant('Score__c'),
      op: fc.constantFrom('equals', 'gt'),
      value: fc.integer({ min: 0, max: 3 }),
    }),
    fc.record({
      attribute: fc.constant('Account.Id'),
      op: fc.constant('equals'),
      value: fc.constantFrom(...accounts),
    }),
    fc.record({
      attribute: fc.constant('AnnualRevenue'),
      op: fc.constantFrom('gt', 'lte'),
      value: fc.constantFrom(0, 100, 1000),
    }),
    fc.record({
      attribute: fc.constantFrom('Email', 'Industry', 'PostalCode'),
      op: fc.constantFrom('isEmpty', 'isNotEmpty'),
    }),
  );
  const { expression } = fc.letrec<{ expression: unknown }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small' },
      criterion,
      criterion,
      fc.record({ and: fc.array(tie('expression'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ or: fc.array(tie('expression'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie('expression') }),
    ),
  }));
  const named = fc
    .record({
      accountIds: fc.subarray(accounts, { maxLength: 1 }),
      companies: fc.subarray(companies, { maxLength: 2 }),
      domains: fc.subarray(['acme.com', 'globex.com', 'eu.globex.com'], { maxLength: 1 }),
    })
    .filter((n) => n.accountIds.length + n.companies.length + n.domains.length > 0);

  const modelArbitrary = fc
    .record({
      categories: fc.array(fc.option(expression, { nil: undefined }), { maxLength: 4 }),
      territories: fc.array(
        fc.record({
          priority: fc.integer({ min: 1, max: 4 }),
          active: fc.boolean(),
          expression: fc.option(expression, { nil: undefined }),
          category: fc.option(fc.nat(3), { nil: undefined }),
          namedAccounts: fc.option(named, { nil: undefined, freq: 4 }),
        }),
        { minLength: 1, maxLength: 30 },
      ),
      parents: fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: 4, maxLength: 4 }),
    })
    .map(({ categories, territories, parents }) =>
      config({
        categories: categories.map((expression, i) => ({
          id: `c${i}`,
          // Parents point backwards only, so there are no cycles.
          ...(i > 0 && parents[i] !== undefined ? { parent: `c${parents[i]! % i}` } : {}),
          ...(expression ? { expression } : {}),
        })),
        territories: territories.map((t, i) => ({
          id: `t${i}`,
          priority: t.priority,
          active: t.active,
          participants: ['rep01'],
          ...(t.expression ? { expression: t.expression } : {}),
          ...(t.category !== undefined && t.category < categories.length
            ? { category: `c${t.category}` }
            : {}),
          ...(t.namedAccounts ? { namedAccounts: t.namedAccounts } : {}),
        })),
      }),
    );

  const leadArbitrary = fc.record(
    {
      PostalCode: fc.constantFrom(...postal),
      Country: fc.constantFrom(...countries),
      Industry: fc.constantFrom(...industries),
      Segment__c: fc.constantFrom(...segments),
      Score__c: fc.constantFrom(0, 1, '2', 3),
      'Account.Id': fc.constantFrom(...accounts),
      AnnualRevenue: fc.constantFrom(0, 50, 100, 5000),
      Company: fc.constantFrom(...companies),
      Email: fc.constantFrom(...emails),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<Lead>;

  it('always picks the same territory as evaluating every territory in priority order', () => {
    fc.assert(
      fc.property(
        modelArbitrary,
        fc.array(leadArbitrary, { minLength: 1, maxLength: 25 }),
        (input, leads) => {
          const model = validModel(input);
          const indexed = compileModel(model, { matchStrategy: 'index' });
          const scanned = compileModel(model, { matchStrategy: 'scan' });
          for (const lead of leads) {
            const expected = naiveMatch(model, lead);
            expect(indexed.match(lead).territory?.id).toBe(expected);
            expect(scanned.match(lead).territory?.id).toBe(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
