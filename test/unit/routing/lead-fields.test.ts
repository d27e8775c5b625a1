import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publicHolidays } from '../../../shared/adapters/holidays/public-holidays.js';
import { postalCentroid } from '../../../shared/adapters/postal/centroids.js';
import { routingLead } from '../../../shared/application/routing/lead-fields.js';
import { territoryRouter } from '../../../shared/application/routing/territory-router.js';
import { parseLeadsFile } from '../../../shared/application/territories/leads-file.js';
import { simulateDraft } from '../../../shared/application/territories/review.js';
import { capacityConfigSchema } from '../../../shared/domain/capacity/capacity.js';
import { compileModel } from '../../../shared/domain/territory/compile-model.js';
import { validateTerritoryConfigText } from '../../../shared/domain/territory/config-file.js';
import type { Lead } from '../../../shared/domain/territory/lead.js';
import type { TerritoryStore } from '../../../shared/ports/territory-store.js';

const text = readFileSync(
  new URL('../../../shared/local-stack/ontario-territories.yaml', import.meta.url),
  'utf8',
);
const validated = validateTerritoryConfigText(text, { postalCentroid });
if (!validated.ok) throw new Error('example model must be valid');
const model = validated.model;
const intake = territoryRouter(
  compileModel(model, { postalCentroid, holidays: publicHolidays }),
  capacityConfigSchema.parse({}),
);
const now = new Date('2026-11-24T15:00:00Z');

/** The draft is the production model: only how the leads are read can make the two disagree. */
const store = {
  getDraft: async () => ({ model, revision: 1, savedAt: now.toISOString(), checksum: 'x' }),
  getProduction: async () => undefined,
} as unknown as TerritoryStore;

async function simulatedOwners(fileText: string, fileName: string) {
  const leads = parseLeadsFile(fileText, fileName);
  const report = await simulateDraft({ store, postalCentroid, holidays: publicHolidays }, { leads, now });
  return report.draft.decisions.map((d) => ({ territoryId: d.territoryId, ownerId: d.ownerId }));
}

function intakeOwner(fields: Record<string, string | null>) {
  const decision = intake.decide(fields, { snapshot: undefined, counters: new Map(), now });
  return {
    territoryId: decision.territoryId,
    ownerId: decision.candidates[0]?.repId ?? decision.fallback.ownerId,
  };
}

// A by-product lead (North York, enterprise size) and a plain Toronto Core lead.
const outboundFields: Array<Record<string, string | null>> = [
  { Country: 'Canada', PostalCode: 'M2N 6K1', AnnualRevenue: '9000000', Product_Interest__c: 'Analytics' },
  { Country: 'Canada', PostalCode: 'M5V 3L9', Industry: 'Finance', Product_Interest__c: null },
];

describe('one lead-field mapping for intake and simulate', () => {
  it('routes a CSV with Salesforce API names as intake routes the outbound message', async () => {
    const csv = [
      'Country,PostalCode,AnnualRevenue,Industry,Product_Interest__c',
      'Canada,M2N 6K1,9000000,,Analytics',
      'Canada,M5V 3L9,,Finance,',
    ].join('\n');
    const expected = outboundFields.map(intakeOwner);
    expect(expected[0]!.territoryId).not.toBe(expected[1]!.territoryId);
    await expect(simulatedOwners(csv, 'leads.csv')).resolves.toEqual(expected);
  });

  it('routes the model attribute names, in any case, the same way', async () => {
    const csv = [
      'country,postalcode,annualrevenue,industry,ProductInterest',
      'Canada,M2N 6K1,9000000,,Analytics',
      'Canada,M5V 3L9,,Finance,',
    ].join('\n');
    await expect(simulatedOwners(csv, 'leads.csv')).resolves.toEqual(outboundFields.map(intakeOwner));
  });

  it('routes JSON leads and intake-history leads (Salesforce names, as audit records keep them) the same way', async () => {
    const json = JSON.stringify({ leads: outboundFields });
    await expect(simulatedOwners(json, 'history.json')).resolves.toEqual(outboundFields.map(intakeOwner));
  });

  it('prefers a lead that already carries the model attribute, and reads a configured product field', () => {
    expect(
      routingLead({ ProductInterest: 'Analytics', Product_Interest__c: 'Platform' }).ProductInterest,
    ).toBe('Analytics');
    expect(
      routingLead<Lead>({ Interest__c: 'Platform' }, { ProductInterest: 'Interest__c' }).ProductInterest,
    ).toBe('Platform');
    const untouched = { PostalCode: 'M5V', Segment__c: 'SMB' };
    expect(routingLead(untouched)).toBe(untouched);
  });
});
