import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toId18 } from '../../../shared/domain/salesforce-id.js';
import { validateTerritoryConfigText } from '../../../shared/domain/territory/config-file.js';
import { BUILT_IN_PLUGINS } from '../../../shared/domain/territory/plugins.js';
import { validateTerritoryConfig } from '../../../shared/domain/territory/validate.js';
import { config, lookup, REVIEW_QUEUE, repId, validModel } from './fixtures.js';

const ONTARIO = new URL('../../../shared/local-stack/ontario-territories.yaml', import.meta.url);

function problemsOf(input: unknown, plugins = BUILT_IN_PLUGINS) {
  const result = validateTerritoryConfig(input, { postalCentroid: lookup, plugins });
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems;
}

describe('validating a territory config', () => {
  it('accepts the Ontario demo model and carries 18-character ids', () => {
    const result = validateTerritoryConfigText(readFileSync(ONTARIO, 'utf8'), { postalCentroid: lookup });
    if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
    const { model } = result;
    expect(model.reps).toHaveLength(12);
    expect(model.reps.map((r) => r.id)).toEqual(Array.from({ length: 12 }, (_, i) => repId(i + 1)));
    expect(model.defaultOwner).toBe(REVIEW_QUEUE);
    expect(
      model.territories
        .flatMap((t) => t.groups.flatMap((g) => g.participants))
        .every((id) => id.length === 18),
    ).toBe(true);
    expect(model.reps.filter((r) => !r.active).map((r) => r.key)).toEqual(['rep11', 'rep12']);
    expect(result.warnings).toEqual([]);
  });

  it('lists every problem with its path, not only the first', () => {
    const problems = problemsOf(
      config({
        categories: [
          { id: 'a', parent: 'b' },
          { id: 'b', parent: 'a' },
          { id: 'c', parent: 'nowhere' },
        ],
        territories: [
          {
            id: 'split',
            priority: 1,
            expression: 'PostCode STARTS WITH "M5"',
            distribution: { method: 'weighted' },
            groups: [
              { id: 'g1', weight: 60, participants: ['rep01'] },
              { id: 'g2', weight: 30, participants: ['rep99'] },
            ],
          },
          { id: 'split', priority: 2, participants: ['rep01'], category: 'a' },
          {
            id: 'near',
            priority: 3,
            distribution: { method: 'proximity', mode: 'radius', radiusMiles: 25 },
            groups: [{ id: 'nowhere', participants: ['rep02'] }],
          },
          {
            id: 'plug',
            priority: 4,
            distribution: { method: 'custom', plugin: 'magic' },
            participants: ['rep03'],
          },
        ],
      }),
    );
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath['territories[0].distribution']).toBe(
      'territory "split": weighted percentages add up to 90, not 100 (g1 60, g2 30)',
    );
    expect(byPath['territories[0].expression']).toMatch(
      /^1:1: unknown attribute "PostCode" \(did you mean PostalCode\?\); known attributes: .*PostalCode/,
    );
    expect(byPath['territories[0].groups[1].participants[0]']).toMatch(
      /participant "rep99" is not a known rep \(known: rep01, rep02/,
    );
    expect(byPath['territories[1].id']).toBe('duplicate territory id "split"');
    expect(byPath['categories[0].parent']).toBe('category cycle: a > b > a');
    expect(byPath['categories[2].parent']).toBe('unknown parent category "nowhere" (known: a, b, c)');
    expect(byPath['territories[2].groups[0]']).toContain('group "nowhere" has no coordinates');
    expect(byPath['territories[3].distribution.plugin']).toBe(
      'territory "plug": no distribution plug-in "magic" is registered (registered: fewest-leads)',
    );
    expect(problems).toHaveLength(8);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'duplicate rep ids',
      {
        reps: [
          { id: repId(1), name: 'A' },
          { id: repId(1).slice(0, 15), name: 'B' },
        ],
      },
      'reps[1].id',
      'duplicate id',
    ],
    [
      'a rep id that is not a user id',
      { reps: [{ id: REVIEW_QUEUE, name: 'Q' }] },
      'reps[0].id',
      'should be a user id',
    ],
    [
      'an unknown default owner',
      { defaultOwner: 'nobody' },
      'defaultOwner',
      '"nobody" is not a known rep or queue',
    ],
    ['an unknown time zone', { timeZone: 'Mars/Base' }, 'timeZone', 'unknown time zone'],
    [
      'an out-of-office window that ends before it starts',
      { reps: [{ id: repId(1), name: 'A', outOfOffice: [{ from: '2026-12-01', to: '2026-11-01' }] }] },
      'reps[0].outOfOffice[0]',
      'ends (2026-11-01) before it starts',
    ],
    [
      'an out-of-office bound that is not a date',
      { reps: [{ id: repId(1), name: 'A', outOfOffice: [{ from: 'soon', to: '2026-11-01' }] }] },
      'reps[0].outOfOffice[0].from',
      'is not a date',
    ],
    ['an unknown field (typo)', { territorys: [] }, '', 'unknown field "territorys"'],
    [
      'a radius territory without radiusMiles',
      {
        territories: [
          {
            id: 't',
            priority: 1,
            distribution: { method: 'proximity', mode: 'radius' },
            groups: [{ id: 'g', participants: ['rep01'], location: { postalCode: 'M5V' } }],
          },
        ],
      },
      'territories[0].distribution',
      'radius distribution needs radiusMiles',
    ],
    [
      'a product radius without coordinates',
      {
        territories: [
          {
            id: 't',
            priority: 1,
            distribution: { method: 'by-product' },
            groups: [{ id: 'g', participants: ['rep02'], products: [{ product: 'X', radiusMiles: 10 }] }],
          },
        ],
      },
      'territories[0].groups[0]',
      'a product radius needs them',
    ],
    [
      'a product association naming both product and category',
      {
        territories: [
          {
            id: 't',
            priority: 1,
            distribution: { method: 'by-product' },
            groups: [{ id: 'g', participants: ['rep01'], products: [{ product: 'X', category: 'Y' }] }],
          },
        ],
      },
      'territories[0].groups[0].products[0]',
      'exactly one of product or category',
    ],
    [
      'a named-account domain of a free email provider',
      {
        territories: [
          { id: 't', priority: 1, namedAccounts: { domains: ['gmail.com'] }, participants: ['rep01'] },
        ],
      },
      'territories[0].namedAccounts.domains[0]',
      'free email provider',
    ],
    [
      "a named-account domain of an ISP mail service (from the accounts domain's free-mail list)",
      {
        territories: [
          { id: 't', priority: 1, namedAccounts: { domains: ['comcast.net'] }, participants: ['rep01'] },
        ],
      },
      'territories[0].namedAccounts.domains[0]',
      'free email provider',
    ],
    [
      'a territory with both participants and groups',
      {
        territories: [
          { id: 't', priority: 1, participants: ['rep01'], groups: [{ id: 'g', participants: ['rep01'] }] },
        ],
      },
      'territories[0]',
      'either participants or groups',
    ],
    [
      'a participant listed twice in one group',
      { territories: [{ id: 't', priority: 1, participants: ['rep01', repId(1)] }] },
      'territories[0].participants[1]',
      'duplicate participant',
    ],
    [
      'a priority below 1',
      { territories: [{ id: 't', priority: 0, participants: ['rep01'] }] },
      'territories[0].priority',
      '>=1',
    ],
    [
      'an expression tree with an unknown attribute',
      {
        territories: [
          {
            id: 't',
            priority: 1,
            expression: {
              and: [
                { attribute: 'Country', op: 'equals', value: 'CA' },
                { attribute: 'Nope', op: 'isEmpty' },
              ],
            },
            participants: ['rep01'],
          },
        ],
      },
      'territories[0].expression',
      'and[1]: unknown attribute "Nope"',
    ],
    [
      'an expression tree with the wrong shape for its operator',
      {
        territories: [
          {
            id: 't',
            priority: 1,
            expression: { attribute: 'Industry', op: 'in', value: 'x' },
            participants: ['rep01'],
          },
        ],
      },
      'territories[0].expression',
      '',
    ],
  ])('reports %s', (_name, parts, path, message) => {
    const problems = problemsOf(config(parts));
    const problem = problems.find((p) => p.path === path);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem!.message).toContain(message);
  });

  it('resolves rep keys, 15-character ids and text expressions into the model', () => {
    const model = validModel(
      config({
        territories: [
          {
            id: 't',
            priority: 1,
            expression: 'country = "CA"',
            participants: ['rep01', repId(2).slice(0, 15)],
          },
        ],
      }),
    );
    expect(model.territories[0]!.groups).toEqual([
      { id: 'main', name: 'main', active: true, participants: [repId(1), repId(2)] },
    ]);
    expect(model.territories[0]!.expression).toEqual({ attribute: 'Country', op: 'equals', value: 'CA' });
    // A validated model is itself a valid config: stored models go through the same validator.
    expect(validModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
  });

  it('warns about a territory that would match every lead', () => {
    const result = validateTerritoryConfig(
      config({ territories: [{ id: 'all', priority: 9, participants: ['rep01'] }] }),
    );
    expect(result.ok).toBe(true);
    expect(result.warnings[0]?.message).toContain('matches every lead');
  });

  it('points at file lines and columns, inside multi-line expressions too', () => {
    const yaml = [
      'name: T',
      `defaultOwner: ${toId18('005TR0000000001')}`,
      'reps:',
      `  - { id: ${toId18('005TR0000000001')}, name: A }`,
      'territories:',
      '  - id: t',
      '    priority: 1',
      '    expression: |',
      '      Country = "CA" AND',
      '        (PostalCode STARTS WITH "M" OR Industri = "x")',
      '    participants: [nobody]',
    ].join('\n');
    const result = validateTerritoryConfigText(yaml);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.objectContaining({ path: 'territories[0].expression', line: 10, column: 40 }),
      expect.objectContaining({ path: 'territories[0].participants[0]', line: 11, column: 20 }),
    ]);
    expect(result.problems[0]!.message).toMatch(
      /^2:34: unknown attribute "Industri" \(did you mean Industry\?\)/,
    );
  });

  it('reports YAML syntax errors with their line', () => {
    const result = validateTerritoryConfigText('name: T\nreps: [\n  - x\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.line).toBeGreaterThan(1);
  });

  it('reads JSON config files too', () => {
    const json = JSON.stringify(
      config({
        territories: [{ id: 't', priority: 1, participants: ['rep01'], expression: 'Country = "CA"' }],
      }),
    );
    expect(validateTerritoryConfigText(json).ok).toBe(true);
  });
});
