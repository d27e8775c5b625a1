import { toId18 } from '../../domain/salesforce-id.js';

/** A SOQL string literal: quotes and backslashes escaped. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `'id1','id2',…` in the 18-character form, for an `IN (…)` list. */
export function soqlIdList(ids: readonly string[]): string {
  return ids.map((id) => soqlString(toId18(id))).join(',');
}

/** A field name the query may interpolate (letters, digits, underscores, one relationship dot). */
export function assertFieldName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/.test(name)) {
    throw new Error(`Not a Salesforce field name: ${JSON.stringify(name)}`);
  }
  return name;
}
