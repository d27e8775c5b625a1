import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { postalCentroid } from '../../../shared/adapters/postal/centroids.js';
import {
  attributesModelReads,
  routedLeadAllowList,
  routedLeadFields,
} from '../../../shared/domain/audit/routed-lead.js';
import { validateTerritoryConfigText } from '../../../shared/domain/territory/config-file.js';

const ontario = validateTerritoryConfigText(
  readFileSync(new URL('../../../shared/local-stack/ontario-territories.yaml', import.meta.url), 'utf8'),
  { postalCentroid },
);
if (!ontario.ok) throw new Error('example model must be valid');
const model = ontario.model;

/** A lead as an outbound message carries it, with every kind of field an org may add. */
const lead = {
  Id: '00QTR0000000001AAA',
  OwnerId: '00GTR00000000012AA',
  FirstName: 'Jane',
  LastName: 'Doe',
  Name: 'Jane Doe',
  Salutation: 'Dr.',
  Title: 'CFO',
  Phone: '+1 416 555 0100',
  MobilePhone: '+1 416 555 0101',
  Fax: '+1 416 555 0102',
  Street: '1 King St W',
  City: 'Toronto',
  State: 'ON',
  Country: 'Canada',
  PostalCode: 'M5V 3L9',
  Latitude: '43.6',
  Longitude: '-79.4',
  Company: 'Acme Ltd',
  Email: 'jane.doe@acme.com',
  Website: 'acme.com',
  Industry: 'Finance',
  AnnualRevenue: '9000000',
  NumberOfEmployees: '300',
  LeadSource: 'Web',
  Description: 'Called about pricing, daughter starts school in May',
  Product_Interest__c: 'Analytics',
  Home_Phone__c: '+1 416 555 0199',
  Birthday__c: '1980-05-01',
  Segment__c: 'Enterprise',
};

describe('the routed lead an audit record keeps', () => {
  it('lists the attributes the Ontario model reads', () => {
    expect(attributesModelReads(model).sort()).toEqual(
      expect.arrayContaining([
        'AnnualRevenue',
        'Country',
        'NumberOfEmployees',
        'PostalCode',
        'ProductInterest',
      ]),
    );
  });

  it('keeps ids, the fixed routing set and what the model reads; nothing else', () => {
    const kept = routedLeadFields(
      lead,
      routedLeadAllowList([...attributesModelReads(model), 'Product_Interest__c']),
    );
    expect(kept).toEqual({
      Id: lead.Id,
      OwnerId: lead.OwnerId,
      State: 'ON',
      Country: 'Canada',
      PostalCode: 'M5V 3L9',
      Company: 'Acme Ltd',
      Email: '@acme.com',
      AnnualRevenue: '9000000',
      NumberOfEmployees: '300',
      Product_Interest__c: 'Analytics',
      // The Ontario model's named accounts match on company, e-mail domain and website.
      Website: 'acme.com',
    });
  });

  it('drops custom fields no rule reads and keeps one a rule reads', () => {
    const withSegmentRule = {
      ...model,
      territories: [
        ...model.territories,
        {
          ...model.territories[0]!,
          id: 'segment',
          expression: { attribute: 'segment__C', op: 'equals' as const, value: 'Enterprise' },
        },
      ],
    };
    const kept = routedLeadFields(lead, routedLeadAllowList(attributesModelReads(withSegmentRule)));
    expect(kept.Segment__c).toBe('Enterprise');
    expect(kept).not.toHaveProperty('Birthday__c');
    expect(kept).not.toHaveProperty('Home_Phone__c');
  });

  it('never keeps names, phones, street, coordinates or the full e-mail, even when a rule reads them', () => {
    const nosy = {
      ...model,
      territories: [
        ...model.territories,
        ...['LastName', 'Phone', 'Street', 'Home_Phone__c', 'Latitude', 'Description'].map(
          (attribute, i) => ({
            ...model.territories[0]!,
            id: `nosy-${i}`,
            expression: { attribute, op: 'isNotEmpty' as const },
          }),
        ),
      ],
    };
    const kept = routedLeadFields(lead, routedLeadAllowList(attributesModelReads(nosy)));
    for (const field of [
      'FirstName',
      'LastName',
      'Name',
      'Salutation',
      'Phone',
      'MobilePhone',
      'Fax',
      'Street',
      'Latitude',
      'Longitude',
      'Description',
      'Home_Phone__c',
    ]) {
      expect(kept).not.toHaveProperty(field);
    }
    expect(kept.Email).toBe('@acme.com');
    expect(JSON.stringify(kept)).not.toMatch(/jane|doe|555|King St|daughter/i);
  });

  it('keeps the fixed routing set without a model', () => {
    expect(Object.keys(routedLeadFields(lead, routedLeadAllowList([]))).sort()).toEqual(
      ['Company', 'Country', 'Email', 'Id', 'OwnerId', 'PostalCode', 'State'].sort(),
    );
  });

  it('matches field names without case, as Salesforce does', () => {
    expect(routedLeadFields({ postalcode: 'M5V', EMAIL: 'a@b.ca' }, routedLeadAllowList([]))).toEqual({
      postalcode: 'M5V',
      EMAIL: '@b.ca',
    });
  });
});
