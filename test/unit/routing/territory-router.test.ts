import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publicHolidays } from '../../../shared/adapters/holidays/public-holidays.js';
import { postalCentroid } from '../../../shared/adapters/postal/centroids.js';
import { territoryRouter } from '../../../shared/application/routing/territory-router.js';
import { capacityConfigSchema } from '../../../shared/domain/capacity/capacity.js';
import { toId18 } from '../../../shared/domain/salesforce-id.js';
import { compileModel } from '../../../shared/domain/territory/compile-model.js';
import { validateTerritoryConfigText } from '../../../shared/domain/territory/config-file.js';
import type { RepCounters } from '../../../shared/ports/assignment-ledger.js';

const text = readFileSync(
  new URL('../../../shared/local-stack/ontario-territories.yaml', import.meta.url),
  'utf8',
);
const validated = validateTerritoryConfigText(text, { postalCentroid });
if (!validated.ok) throw new Error('example model must be valid');
const model = compileModel(validated.model, { postalCentroid, holidays: publicHolidays });
const capacity = capacityConfigSchema.parse({});
const router = territoryRouter(model, capacity);
const now = new Date('2026-11-24T15:00:00Z');
const rep = (n: number) => toId18(`005TR00000000${String(n).padStart(2, '0')}`);
const counters = (entries: Array<[number, Partial<RepCounters>]> = []) =>
  new Map(
    entries.map(([n, c]) => [
      rep(n),
      { repId: rep(n), openLeads: 0, newLeads: 0, inProgressLeads: 0, newLimitByRatio: 1000, ...c },
    ]),
  );

describe('the intake router over the Ontario example model', () => {
  it('reads the product from Product_Interest__c for by-product territories', () => {
    const lead = {
      Country: 'Canada',
      PostalCode: 'M2N 6K1',
      AnnualRevenue: '9000000',
      Product_Interest__c: 'Analytics',
    };
    const decision = router.decide(lead, { snapshot: undefined, counters: counters(), now });
    expect(decision.territoryId).toBe(router.territoryOf(lead));
    expect(decision.candidates[0]?.repId).toBe(rep(3));
    expect(decision.candidates[0]?.reason).toMatch(/By product "Analytics"/);
  });

  it('skips a rep at capacity with the reason and offers the next one', () => {
    const lead = { Country: 'Canada', PostalCode: 'M5V 3L9', Company: 'Small Co' };
    const full = counters([[1, { openLeads: 60, newLeads: 40, inProgressLeads: 20 }]]);
    const decision = router.decide(lead, { snapshot: undefined, counters: full, now });
    expect(decision.candidates.map((c) => c.repId)).not.toContain(rep(1));
    expect(decision.candidates[0]?.reason).toMatch(/skipped Joe Tremblay/);
  });

  it('falls back to the review queue with the reason when nothing matches', () => {
    const decision = router.decide(
      { Country: 'France', PostalCode: '75001' },
      { snapshot: undefined, counters: counters(), now },
    );
    expect(decision.candidates).toHaveLength(0);
    expect(decision.fallback.ownerId).toBe(toId18('00GTR0000000002'));
    expect(decision.fallback.reason).toMatch(/^→ Lead Review queue: no territory matched/);
  });
});
