import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { FaultSwitches } from './faults.js';
import {
  type FieldSpec,
  type FieldValue,
  fieldOf,
  type SalesforceRecord,
  type SObjectSchema,
} from './schema.js';
import type { RecordStore } from './store.js';
import { normalizeFieldValue } from './values.js';

/** One error of a per-record result, as sObject Collections return it. */
export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** Salesforce omits `id` on failed results: callers correlate results with records by position. */
export type SaveResult = { id: string; success: true; errors: [] } | { success: false; errors: SaveError[] };

export interface RecordUpdate {
  /** The sObject named by the request: `attributes.type`, the URL, or the Bulk job's object. */
  type: string | undefined;
  id: unknown;
  fields: Record<string, unknown>;
}

export interface UpdateOptions {
  allOrNone: boolean;
  /** JSON carries typed values; Bulk CSV carries text (empty = unchanged, `#N/A` = null). */
  source: 'json' | 'csv';
  /** Stamped as LastModifiedById. */
  userId: string;
}

type Plan =
  | {
      ok: true;
      id: string;
      schema: SObjectSchema;
      record: SalesforceRecord;
      changes: Map<FieldSpec, FieldValue>;
    }
  | { ok: false; errors: SaveError[] };

const ROLLED_BACK: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

/**
 * Record updates with Salesforce's per-record rules, shared by sObject Collections, the
 * single-record PATCH and Bulk API 2.0 so every path fails the same way for the same reason.
 */
export class RecordWriter {
  constructor(
    private readonly store: RecordStore,
    private readonly faults: FaultSwitches,
    private readonly onCommit?: (store: RecordStore) => void,
  ) {}

  update(updates: readonly RecordUpdate[], options: UpdateOptions): SaveResult[] {
    const plans = updates.map((update) => this.lockFault(this.plan(update, options.source)));
    if (options.allOrNone && plans.some((p) => !p.ok)) {
      return plans.map((p) => ({ success: false, errors: p.ok ? [ROLLED_BACK] : p.errors }));
    }
    const results = plans.map((p): SaveResult => {
      if (!p.ok) return { success: false, errors: p.errors };
      this.store.applyChanges(p.schema, p.record, p.changes, options.userId);
      return { id: p.id, success: true, errors: [] };
    });
    if (results.some((r) => r.success)) this.onCommit?.(this.store);
    return results;
  }

  private lockFault(plan: Plan): Plan {
    if (!plan.ok || !this.faults.takeLock(plan.id)) return plan;
    return {
      ok: false,
      errors: [
        {
          statusCode: 'UNABLE_TO_LOCK_ROW',
          message: 'unable to obtain exclusive access to this record',
          fields: [],
        },
      ],
    };
  }

  private plan(update: RecordUpdate, source: 'json' | 'csv'): Plan {
    const fail = (statusCode: string, message: string, fields: string[] = []): Plan => ({
      ok: false,
      errors: [{ statusCode, message, fields }],
    });
    if (!update.type) return fail('INVALID_TYPE', 'Must specify a type in attributes');
    const schema = this.store.schema.object(update.type);
    if (!schema) return fail('INVALID_TYPE', `sObject type '${update.type}' is not supported.`);
    const rawId = update.id;
    if (rawId === undefined || rawId === null || rawId === '') {
      return fail('MISSING_ARGUMENT', 'Id not specified in an update call');
    }
    // Salesforce words a bad id (characters, length, checksum or another object's prefix) the same way.
    if (typeof rawId !== 'string' || !isSalesforceId(rawId) || !toId18(rawId).startsWith(schema.keyPrefix))
      return fail('MALFORMED_ID', `${schema.name} ID: id value of incorrect type: ${String(rawId)}`, ['Id']);
    const id = toId18(rawId);
    const record = this.store.live(schema.name, id);
    if (!record) return fail('ENTITY_IS_DELETED', 'entity is deleted');
    // A converted lead is read-only to the API, whatever the fields.
    if (schema.name === 'Lead' && record.IsConverted === true) {
      return fail('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
    }

    const errors: SaveError[] = [];
    const changes = new Map<FieldSpec, FieldValue>();
    for (const [key, raw] of Object.entries(update.fields)) {
      if (key === 'attributes' || key.toLowerCase() === 'id') continue;
      if (source === 'csv' && raw === '') continue;
      const spec = fieldOf(schema, key);
      if (!spec) {
        errors.push({
          statusCode: 'INVALID_FIELD',
          message: `No such column '${key}' on sobject of type ${schema.name}`,
          fields: [],
        });
        continue;
      }
      if (!spec.updateable) {
        errors.push({
          statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
          message: `Unable to create/update fields: ${spec.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          fields: [spec.name],
        });
        continue;
      }
      const normalized = normalizeFieldValue(spec, raw, source);
      if (!normalized.ok) {
        const statusCode = spec.type === 'reference' ? 'MALFORMED_ID' : 'INVALID_TYPE_ON_FIELD_IN_RECORD';
        errors.push({ statusCode, message: normalized.message, fields: [spec.name] });
        continue;
      }
      const value = normalized.value;
      if (spec.length !== undefined && typeof value === 'string' && value.length > spec.length) {
        errors.push({
          statusCode: 'STRING_TOO_LONG',
          message: `${fieldLabel(spec.name)}: data value too large: ${value} (max length=${spec.length})`,
          fields: [spec.name],
        });
        continue;
      }
      const referenceError = this.checkReference(schema, spec, normalized.value);
      if (referenceError) {
        errors.push(referenceError);
        continue;
      }
      changes.set(spec, normalized.value);
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, id, schema, record, changes };
  }

  /** A lookup must point at an existing record of an allowed type; owners must be active users or queues. */
  private checkReference(schema: SObjectSchema, spec: FieldSpec, value: FieldValue): SaveError | undefined {
    if (spec.type !== 'reference') return undefined;
    if (value === null) {
      return spec.name === 'OwnerId'
        ? {
            statusCode: 'REQUIRED_FIELD_MISSING',
            message: 'Required fields are missing: [OwnerId]',
            fields: ['OwnerId'],
          }
        : undefined;
    }
    const invalid: SaveError = {
      statusCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: 'invalid cross reference id',
      fields: [],
    };
    const target = this.store.schema.objectForId(String(value));
    if (!target) return invalid;
    // An existing record of another object in a lookup is a FIELD_INTEGRITY_EXCEPTION
    // (https://www.salto.io/blog-posts/invalid-cross-reference-id); owners keep the cross-reference error.
    if (!spec.referenceTo?.includes(target.name) && spec.name !== 'OwnerId') {
      if (!this.store.live(target.name, String(value))) return invalid;
      return {
        statusCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: `${fieldLabel(spec.name.replace(/Id$/, ' ID'))}: id value of incorrect type: ${String(value)}`,
        fields: [spec.name],
      };
    }
    if (!spec.referenceTo?.includes(target.name)) return invalid;
    const referenced = this.store.live(target.name, String(value));
    if (!referenced) return invalid;
    if (target.name === 'Group' && referenced.Type !== 'Queue') return invalid;
    if (spec.name === 'OwnerId' && target.name === 'User' && referenced.IsActive === false) {
      return {
        statusCode: 'INACTIVE_OWNER_OR_USER',
        message: `operation performed with inactive user [${String(value)}] as owner of ${schema.name.toLowerCase()}`,
        fields: [],
      };
    }
    return undefined;
  }
}

/** A custom field's label as its API name suggests it (`Routing_Reason__c` → `Routing Reason`). */
function fieldLabel(name: string): string {
  return name.replace(/__c$/, '').replace(/_/g, ' ');
}

/** Bulk API 2.0's one-line form of a record's errors: `CODE:message:--` or `CODE:message:Field --`. */
export function formatBulkError(errors: SaveError[]): string {
  return errors
    .map((e) => `${e.statusCode}:${e.message}:${e.fields.length > 0 ? `${e.fields.join(',')} ` : ''}--`)
    .join(' ');
}
