import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publicHolidays } from '../../../shared/adapters/holidays/public-holidays.js';
import { parseLeadsFile } from '../../../shared/application/territories/leads-file.js';
import { compileModel } from '../../../shared/domain/territory/compile-model.js';
import { validateTerritoryConfigText } from '../../../shared/domain/territory/config-file.js';
import { diffModels, formatModelDiff } from '../../../shared/domain/territory/diff.js';
import { distribute } from '../../../shared/domain/territory/distribution.js';
import type { TerritoryModel } from '../../../shared/domain/territory/model.js';
import {
  coefficientOfVariation,
  formatSimulationReport,
  simulate,
} from '../../../shared/domain/territory/simulation.js';
import { lookup, REVIEW_QUEUE, repId } from './fixtures.js';

const ontarioText = readFileSync(
  new URL('../../../shared/local-stack/ontario-territories.yaml', import.meta.url),
  'utf8',
);
const leads = parseLeadsFile(
  readFileSync(new URL('./ontario-leads.csv', import.meta.url), 'utf8'),
  'ontario-leads.csv',
);

function ontario(edit: (text: string) => string = (t) => t): TerritoryModel {
  const result = validateTerritoryConfigText(edit(ontarioText), { postalCentroid: lookup });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.model;
}

const compile = (model: TerritoryModel) =>
  compileModel(model, { postalCentroid: lookup, holidays: publicHolidays });
const NOW = new Date('2026-11-20T15:00:00Z');

describe('the Ontario demo model', () => {
  const model = compile(ontario());

  it.each([
    ['a downtown Toronto lead', { Country: 'Canada', PostalCode: 'M5V 3L9' }, 'toronto-core', repId(1)],
    ['an Acme lead anywhere', { Company: 'ACME Enterprises', Country: 'USA' }, 'acme-enterprises', repId(1)],
    [
      'a large GTA lead with a product',
      { Country: 'Canada', PostalCode: 'L5B 1A1', ProductInterest: 'Field Service', AnnualRevenue: 9e6 },
      'gta-product-specialists',
      repId(4),
    ],
    ['a Mississauga lead', { Country: 'Canada', PostalCode: 'L5B 1A1' }, 'gta-general', repId(2)],
    ['an Ottawa lead', { Country: 'Canada', PostalCode: 'K2P 1A1' }, 'east', repId(5)],
    ['a Hamilton lead', { Country: 'Canada', PostalCode: 'L8P 4R5' }, 'southwest', repId(7)],
    ['a Sudbury lead', { Country: 'Canada', PostalCode: 'P3A 1A1' }, 'north', repId(10)],
  ])('routes %s', (_name, lead, territoryId, ownerId) => {
    const decision = distribute(model, model.match(lead), lead, undefined, { now: NOW });
    expect(decision.territoryId).toBe(territoryId);
    expect(decision.ownerId).toBe(ownerId);
  });

  it('sends leads outside Canada to the review queue', () => {
    const lead = { Country: 'USA', PostalCode: '10001' };
    expect(distribute(model, model.match(lead), lead, undefined, { now: NOW })).toMatchObject({
      kind: 'default',
      ownerId: REVIEW_QUEUE,
    });
  });

  it('skips Olivia Brown (out of office in November) in the southwest', () => {
    const lead = { Country: 'Canada', PostalCode: 'N2L 3G1' };
    const decision = distribute(
      model,
      model.match(lead),
      lead,
      { version: 2, turns: {}, counts: { 'group:hamilton': 4, 'group:london': 3 } },
      { now: NOW },
    );
    expect(decision.ownerId).not.toBe(repId(9));
    expect(decision.trace.skipped.map((s) => s.detail)).toContain('out of office until 2026-11-30T17:00');
  });
});

describe('diffing two models', () => {
  it('finds nothing between a model and itself', () => {
    expect(diffModels(ontario(), ontario()).identical).toBe(true);
    expect(formatModelDiff(diffModels(ontario(), ontario()))).toBe('No differences.');
  });

  it('lists added, removed and changed territories with what changed', () => {
    const before = ontario();
    const after = ontario((text) =>
      text
        .replace(
          'priority: 2\n    expression: PostalCode STARTS WITH ("M5", "M4")',
          'priority: 3\n    expression: PostalCode STARTS WITH "M5"',
        )
        .replace('participants: [rep01, rep02, rep03, rep11]', 'participants: [rep01, rep02, rep03, rep04]')
        .replace(/ {2}- id: globex[\s\S]*?participants: \[rep05\]\n/, '')
        .replace('{ id: senior, name: Senior, weight: 60', '{ id: senior, name: Senior, weight: 70')
        .replace(
          '{ id: associates, name: Associates, weight: 40',
          '{ id: associates, name: Associates, weight: 30',
        ),
    );
    const diff = diffModels(before, after);
    expect(diff.identical).toBe(false);
    expect(diff.territories.removed).toEqual(['globex "Globex (named)" (priority 1)']);
    const toronto = diff.territories.changed.find((c) => c.id === 'toronto-core')!;
    expect(toronto.changes).toEqual([
      'priority: 2 → 3',
      'expression: PostalCode STARTS WITH ("M5", "M4") → PostalCode STARTS WITH "M5"',
      'group main participants: +Mei Chen, -Nadia Haddad',
    ]);
    expect(diff.territories.changed.find((c) => c.id === 'gta-general')!.changes).toEqual([
      'group senior weight: 60 → 70',
      'group associates weight: 40 → 30',
    ]);
    expect(formatModelDiff(diff)).toContain('  - globex "Globex (named)" (priority 1)');
  });
});

describe('simulating a draft against production', () => {
  it('reports per-territory and per-rep counts, balance and unmatched leads', () => {
    const report = simulate({ draft: compile(ontario()), leads, now: NOW });
    expect(report.leads).toBe(60);
    const { draft } = report;
    const routed = draft.perTerritory.reduce((sum, t) => sum + t.leads, 0);
    expect(routed + draft.unmatched.length).toBe(60);
    expect(draft.perRep.reduce((sum, r) => sum + r.leads, 0)).toBe(60 - draft.toDefaultOwner);
    // The demo file has leads from Quebec and New York: nobody's territory.
    expect(draft.unmatched.length).toBeGreaterThan(0);
    expect(draft.loadCv).toBeCloseTo(coefficientOfVariation(draft.perRep.map((r) => r.leads)), 10);
    expect(draft.balanceScore).toBe(Math.max(0, 100 - 400 * draft.loadCv));
    // Inactive reps take part in nothing.
    expect(draft.perRep.map((r) => r.repId)).not.toContain(repId(11));
    expect(report.ownerChanges).toEqual([]);
  });

  it('lists the leads whose owner would change', () => {
    const production = compile(ontario());
    const draft = compile(
      ontario((text) => text.replace('participants: [rep10, rep06]', 'participants: [rep08]')),
    );
    const report = simulate({ draft, production, leads, now: NOW });
    // Northern leads of named accounts stay with their named-account rep.
    const northLeads = leads.filter((l) => production.match(l).territory?.id === 'north').length;
    expect(northLeads).toBeGreaterThan(0);
    expect(report.ownerChanges).toHaveLength(northLeads);
    expect(
      report.ownerChanges.every((c) => c.after.ownerName === 'Daniel Kim' && c.after.territory === 'North'),
    ).toBe(true);
    const text = formatSimulationReport(report);
    expect(text).toContain(`${northLeads} lead(s) would change owner:`);
    expect(text).toContain('→ Daniel Kim (North)');
  });

  it('computes the coefficient of variation of per-rep load', () => {
    expect(coefficientOfVariation([10, 10, 10])).toBe(0);
    expect(coefficientOfVariation([0, 0])).toBe(0);
    expect(coefficientOfVariation([5, 15])).toBeCloseTo(0.5);
  });
});
