import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import {
  type CustomFieldSpec,
  type CustomFields,
  type FieldType,
  SOBJECT_TYPES,
  type SObjectType,
} from './schema.js';

/** The Salesforce package's source (salesforce/force-app), whose custom fields the emulated org has. */
export const PACKAGE_SOURCE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'salesforce',
  'force-app',
  'main',
  'default',
);

/** Which of the package's fields an emulated org has: all of them (the demo org) or only the required one. */
export type PackageFieldSet = 'all' | 'required';

/** Metadata API field types → the emulator's value types (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm). */
const FIELD_TYPES: Record<string, FieldType> = {
  Text: 'string',
  TextArea: 'string',
  LongTextArea: 'string',
  Html: 'string',
  Email: 'string',
  Phone: 'string',
  Url: 'string',
  Picklist: 'string',
  MultiselectPicklist: 'string',
  Number: 'number',
  Currency: 'number',
  Percent: 'number',
  Checkbox: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Lookup: 'reference',
  MasterDetail: 'reference',
};

/** Length of text types without a <length> element (https://help.salesforce.com/s/articleView?id=sf.custom_field_types.htm). */
const DEFAULT_LENGTH: Record<string, number> = {
  TextArea: 255,
  Email: 80,
  Phone: 40,
  Url: 255,
  Picklist: 255,
};

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

/**
 * The custom fields declared in the package's `objects/<Object>/fields/*.field-meta.xml`, by
 * object: name, type, text length, lookup target. A field is required when its description
 * starts with "Required." (the package's convention, checked by its test); with `required`,
 * only those are returned.
 */
export function packageCustomFields(set: PackageFieldSet = 'all', source = PACKAGE_SOURCE): CustomFields {
  const fields: CustomFields = {};
  const objectsDir = join(source, 'objects');
  for (const object of readdirSync(objectsDir)) {
    const type = SOBJECT_TYPES.find((t) => t === object);
    if (!type) throw new Error(`The package declares fields on ${object}, which the emulator does not model`);
    const fieldsDir = join(objectsDir, object, 'fields');
    if (!existsSync(fieldsDir)) continue;
    for (const file of readdirSync(fieldsDir)
      .filter((f) => f.endsWith('.field-meta.xml'))
      .sort()) {
      const xml = parser.parse(readFileSync(join(fieldsDir, file), 'utf8')) as {
        CustomField?: Record<string, string | undefined>;
      };
      const field = xml.CustomField;
      if (!field?.fullName || !field.type) throw new Error(`${object}/${file} is not a CustomField`);
      if (set === 'required' && !field.description?.startsWith('Required.')) continue;
      fields[type] = { ...fields[type], [field.fullName]: fieldSpec(type, field) };
    }
  }
  return fields;
}

function fieldSpec(object: SObjectType, field: Record<string, string | undefined>): CustomFieldSpec {
  const salesforceType = field.type ?? '';
  const type = FIELD_TYPES[salesforceType];
  if (!type) throw new Error(`${object}.${field.fullName}: field type ${salesforceType} is not emulated`);
  if (type === 'reference') {
    const target = SOBJECT_TYPES.find((t) => t === field.referenceTo);
    if (!target) throw new Error(`${object}.${field.fullName} looks up ${field.referenceTo}, not emulated`);
    // The lead's own path to the account is `Matched_Account__r` (<relationshipName> names the reverse).
    return { type, referenceTo: [target], relationshipName: field.fullName?.replace(/__c$/, '__r') };
  }
  if (salesforceType === 'Currency') return { type, currency: true };
  if (type !== 'string') return { type };
  const length = Number(field.length ?? DEFAULT_LENGTH[salesforceType]);
  return Number.isInteger(length) && length > 0 ? { type, length } : { type };
}
