import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageCustomFields } from '../../shared/local-stack/salesforce-emulator/package-fields.js';

const scratch = mkdtempSync(join(tmpdir(), 'tr-fields-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A one-field package source in a scratch folder. */
function sourceWith(object: string, xml: string): string {
  const dir = join(scratch, `${object}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(dir, 'objects', object, 'fields'), { recursive: true });
  writeFileSync(join(dir, 'objects', object, 'fields', 'X__c.field-meta.xml'), xml);
  return dir;
}

describe('the emulated org schema from the Salesforce package', () => {
  it('reads every custom field with its type, text length and lookup target', () => {
    const fields = packageCustomFields();
    expect(fields.Lead).toEqual({
      Lead_Score__c: { type: 'number' },
      Matched_Account__c: {
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Matched_Account__r',
      },
      Product_Interest__c: { type: 'string', length: 255 },
      Routing_Reason__c: { type: 'string', length: 255 },
    });
    expect(fields.Account).toMatchObject({
      Named_Account__c: { type: 'boolean' },
      ARR__c: { type: 'number' },
      Revenue_Potential__c: { type: 'number' },
      Growth_Potential__c: { type: 'number' },
      Routing_Reason__c: { type: 'string', length: 255 },
    });
    expect(fields.User).toEqual({ Industry_Specialization__c: { type: 'string', length: 255 } });
  });

  it('keeps only the required field for SF_EMULATOR_FIELDS=required', () => {
    expect(packageCustomFields('required')).toEqual({
      Lead: { Routing_Reason__c: { type: 'string', length: 255 } },
    });
  });

  it('refuses a field type the emulator does not model, naming it', () => {
    const source = sourceWith(
      'Lead',
      '<CustomField><fullName>X__c</fullName><type>Location</type></CustomField>',
    );
    expect(() => packageCustomFields('all', source)).toThrow(
      /Lead.X__c: field type Location is not emulated/,
    );
  });

  it('refuses fields on an object the emulator does not model', () => {
    const source = sourceWith(
      'Case',
      '<CustomField><fullName>X__c</fullName><type>Text</type></CustomField>',
    );
    expect(() => packageCustomFields('all', source)).toThrow(/fields on Case/);
  });
});
