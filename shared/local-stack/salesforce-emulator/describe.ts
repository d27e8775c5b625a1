import type { FieldSpec, FieldType, SObjectSchema } from './schema.js';

/** Describe's field types (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm). */
const DESCRIBE_TYPE: Record<FieldType, string> = {
  id: 'id',
  reference: 'reference',
  string: 'string',
  boolean: 'boolean',
  number: 'double',
  date: 'date',
  datetime: 'datetime',
};

/**
 * `GET /sobjects/{type}/describe`, the subset of DescribeSObjectResult callers read: the object's
 * name and key prefix and, per field, name, type, length, whether it is custom, updateable and
 * what a reference points at. Only the org's fields are listed, so an absent field is absent here too.
 */
export function describeSObject(schema: SObjectSchema) {
  const fields = [...schema.fields.values()].map((spec: FieldSpec & { length?: number }) => ({
    name: spec.name,
    label: spec.name.replace(/__c$/, '').replace(/_/g, ' '),
    type: spec.currency
      ? 'currency'
      : spec.name.endsWith('CurrencyIsoCode')
        ? 'picklist'
        : DESCRIBE_TYPE[spec.type],
    length:
      spec.length ??
      (spec.type === 'string' ? 255 : spec.type === 'id' || spec.type === 'reference' ? 18 : 0),
    custom: spec.name.endsWith('__c'),
    updateable: spec.updateable,
    createable: spec.updateable,
    nillable: spec.type !== 'boolean' && spec.name !== 'Id',
    referenceTo: spec.referenceTo ? [...spec.referenceTo] : [],
    relationshipName: spec.relationshipName ?? null,
  }));
  return {
    name: schema.name,
    label: schema.name,
    keyPrefix: schema.keyPrefix,
    custom: false,
    queryable: true,
    updateable: true,
    fields,
  };
}
