import { describe, expect, it } from 'vitest';
import { toId18 } from '../../../shared/domain/salesforce-id.js';
import { compileExpression, indexHints } from '../../../shared/domain/territory/expression-compile.js';
import { parseExpressionOrThrow } from '../../../shared/domain/territory/expression-text.js';
import type { Lead } from '../../../shared/domain/territory/lead.js';
import { evaluate } from './naive-matcher.js';

const ACCOUNT_15 = '001TR0000000001';

/** [expression, lead, expected]: every operator, its empty-value behaviour and the normalisations. */
const cases: [string, Lead, boolean][] = [
  ['Country = "Canada"', { Country: 'canada' }, true],
  ['Country = "Canada"', { Country: '  CANADA ' }, true],
  ['Country = "Canada"', { Country: 'Canadas' }, false],
  ['Country = "Canada"', {}, false],
  ['City = "New York"', { City: 'new   york' }, true],
  ['Country != "Canada"', { Country: 'USA' }, true],
  ['Country != "Canada"', { Country: 'CANADA' }, false],
  ['Country != "Canada"', {}, true],
  ['Industry IN ("Finance", "Legal")', { Industry: 'legal' }, true],
  ['Industry IN ("Finance", "Legal")', { Industry: 'Retail' }, false],
  ['Industry IN ("Finance", "Legal")', { Industry: null }, false],
  ['Industry NOT IN ("Finance", "Legal")', { Industry: 'Retail' }, true],
  ['Industry NOT IN ("Finance", "Legal")', { Industry: 'FINANCE' }, false],
  ['Industry NOT IN ("Finance", "Legal")', {}, true],
  ['PostalCode STARTS WITH "M5"', { PostalCode: 'm5v 3l9' }, true],
  ['PostalCode STARTS WITH "m5v3"', { PostalCode: 'M5V 3L9' }, true],
  ['PostalCode STARTS WITH "M5"', { PostalCode: 'L5M 1A1' }, false],
  ['PostalCode STARTS WITH ("K", "M5")', { PostalCode: 'k1p 1j1' }, true],
  ['PostalCode = "m5v 3l9"', { PostalCode: 'M5V3L9' }, true],
  ['PostalCode = "M5V3L9"', { PostalCode: 'M5V-3L9' }, true],
  ['PostalCode IN ("10001", "10002")', { PostalCode: 10001 }, true],
  ['PostalCode = 10001', { PostalCode: '10001' }, true],
  ['Title CONTAINS "director"', { Title: 'Sales Director, EMEA' }, true],
  ['Title CONTAINS ("vp", "chief")', { Title: 'Chief Revenue Officer' }, true],
  ['Title CONTAINS "director"', { Title: 'Manager' }, false],
  ['Title STARTS WITH "dir"', {}, false],
  ['AnnualRevenue < 1000', { AnnualRevenue: 999 }, true],
  ['AnnualRevenue < 1000', { AnnualRevenue: 1000 }, false],
  ['AnnualRevenue < 1000', {}, false],
  ['AnnualRevenue <= 1000', { AnnualRevenue: '1000' }, true],
  ['AnnualRevenue > 1000', { AnnualRevenue: '1000.01' }, true],
  ['AnnualRevenue > 1000', { AnnualRevenue: 'lots' }, false],
  ['AnnualRevenue >= 1000', { AnnualRevenue: 1000 }, true],
  ['AnnualRevenue >= 1000', { AnnualRevenue: 999 }, false],
  ['NumberOfEmployees BETWEEN 10 AND 20', { NumberOfEmployees: 10 }, true],
  ['NumberOfEmployees BETWEEN 10 AND 20', { NumberOfEmployees: 20 }, true],
  ['NumberOfEmployees BETWEEN 10 AND 20', { NumberOfEmployees: 21 }, false],
  ['NumberOfEmployees BETWEEN 10 AND 20', {}, false],
  ['NumberOfEmployees = 50', { NumberOfEmployees: '50.0' }, true],
  ['NumberOfEmployees != 50', {}, true],
  ['NumberOfEmployees IN (10, 50)', { NumberOfEmployees: 50 }, true],
  ['NumberOfEmployees NOT IN (10, 50)', { NumberOfEmployees: 11 }, true],
  ['Email IS EMPTY', {}, true],
  ['Email IS EMPTY', { Email: '   ' }, true],
  ['Email IS EMPTY', { Email: null }, true],
  ['Email IS EMPTY', { Email: 'a@b.co' }, false],
  ['Email IS NOT EMPTY', { Email: 'a@b.co' }, true],
  ['AnnualRevenue IS EMPTY', { AnnualRevenue: 'n/a' }, true],
  ['Segment__c = "SMB"', { Segment__c: 'smb' }, true],
  ['Score__c > 50', { Score__c: '75' }, true],
  ['Score__c = 5', { Score__c: '5.0' }, true],
  ['Account.Segment__c IN ("A", "B")', { 'Account.Segment__c': 'b' }, true],
  [`Account.Id = "${ACCOUNT_15}"`, { 'Account.Id': toId18(ACCOUNT_15) }, true],
  [`Account.Id = "${toId18(ACCOUNT_15)}"`, { 'Account.Id': ACCOUNT_15 }, true],
  ['Account.Name = "Acme"', { 'Account.Name': 'ACME' }, true],
  ['ProductInterest = "RouteIQ Starter"', { ProductInterest: 'routeiq starter' }, true],
  ['History.TimesRouted >= 2', { 'History.TimesRouted': 3 }, true],
  ['Country = "CA" AND State = "ON"', { Country: 'ca', State: 'on' }, true],
  ['Country = "CA" AND State = "ON"', { Country: 'ca', State: 'qc' }, false],
  ['Country = "CA" OR State = "ON"', { State: 'on' }, true],
  ['NOT Country = "CA"', { Country: 'US' }, true],
  ['NOT (Country = "CA" OR Country = "US")', { Country: 'MX' }, true],
  ['NOT (Country = "CA" OR Country = "US")', { Country: 'us' }, false],
  ['IsActive__c = "true"', { IsActive__c: true }, true],
];

describe('evaluating compiled expressions', () => {
  it.each(cases)('%s with %j is %s', (source, lead, expected) => {
    const tree = parseExpressionOrThrow(source);
    expect(compileExpression(tree).test(lead)).toBe(expected);
    // The reference interpreter used by the matcher property test agrees on every case.
    expect(evaluate(tree, lead)).toBe(expected);
  });

  it('explains a match by the criteria that held, naming the value hit in a list', () => {
    const compiled = compileExpression(
      parseExpressionOrThrow(
        'Country = "Canada" AND (PostalCode STARTS WITH ("M5", "M4") OR Industry IN ("Legal", "Finance"))',
      ),
    );
    expect(compiled.explain({ Country: 'Canada', PostalCode: 'M4W 1A1' })).toEqual([
      'Country = "Canada"',
      'PostalCode starts with "M4"',
    ]);
    expect(compiled.explain({ Country: 'Canada', Industry: 'finance' })).toEqual([
      'Country = "Canada"',
      'Industry = "Finance"',
    ]);
    expect(compiled.explain({ Country: 'USA' })).toEqual([]);
  });

  it('offers index hints only where a key is necessary for a match', () => {
    const hints = (source: string) => indexHints(parseExpressionOrThrow(source));
    expect(hints('PostalCode STARTS WITH ("m5", "M4")')).toEqual([
      [
        { kind: 'prefix', attribute: 'PostalCode', value: 'M5' },
        { kind: 'prefix', attribute: 'PostalCode', value: 'M4' },
      ],
    ]);
    expect(hints('Country = "Canada" AND Industry = "Legal"')).toHaveLength(2);
    expect(hints('Country = "Canada" OR Industry = "Legal"')).toEqual([
      [
        { kind: 'equals', attribute: 'Country', value: 'canada' },
        { kind: 'equals', attribute: 'Industry', value: 'legal' },
      ],
    ]);
    expect(hints('Country = "Canada" OR AnnualRevenue > 5')).toEqual([]);
    expect(hints('NOT Country = "Canada"')).toEqual([]);
    expect(hints('Country != "Canada"')).toEqual([]);
    expect(hints('Score__c = 5')).toEqual([]);
  });
});
