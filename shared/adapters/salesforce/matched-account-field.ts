import type { Connection } from '@jsforce/jsforce-node';
import type { CrmObjectType, OwnerUpdate } from '../../ports/crm.js';
import { SalesforceOrgFields } from './org-fields.js';
import { assertFieldName } from './soql.js';

/**
 * The optional Lead lookup to the matched account (MATCHED_ACCOUNT_FIELD, e.g. `Matched_Account__c`),
 * set in the owner update itself: the field to write on an object, or '' for none. Off when unset;
 * an org without the field (learned once by describe) gets owner updates without it rather than
 * an INVALID_FIELD per record.
 */
export function matchedAccountField(
  connection: () => Promise<Connection>,
  configured: string | undefined,
): (objectType: CrmObjectType) => Promise<string> {
  const name = configured ? assertFieldName(configured) : '';
  const orgFields = new SalesforceOrgFields(connection);
  return async (objectType) =>
    name && objectType === 'Lead' && (await orgFields.has('Lead', name)) ? name : '';
}

/**
 * Codes a real org answers when a lookup's id is refused: not an id (MALFORMED_ID), an id of another
 * object (FIELD_INTEGRITY_EXCEPTION), a record that does not exist or is gone (INVALID_CROSS_REFERENCE_KEY,
 * ENTITY_IS_DELETED) — see https://www.salto.io/blog-posts/invalid-cross-reference-id.
 */
const LOOKUP_REFUSALS = new Set([
  'MALFORMED_ID',
  'FIELD_INTEGRITY_EXCEPTION',
  'INVALID_CROSS_REFERENCE_KEY',
  'ENTITY_IS_DELETED',
]);

/** Whether a per-record failure may be the lookup's fault: the owner is then written again without it. */
export function refusedLookup(
  update: OwnerUpdate,
  field: string,
  error: { errorCode: string; fields?: readonly string[] },
): boolean {
  if (!field || !update.matchedAccountId || !LOOKUP_REFUSALS.has(error.errorCode)) return false;
  const fields = error.fields ?? [];
  return fields.length === 0 || fields.some((f) => f.toLowerCase() === field.toLowerCase());
}

/** What the write-back notes when the owner was written without the refused lookup. */
export function lookupLeftOut(field: string, accountId: string, errorCode: string): string {
  return `${field} not set to ${accountId}: ${errorCode}`;
}
