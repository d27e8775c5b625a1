import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import {
  type CustomFields,
  type FieldSpec,
  type FieldValue,
  fieldOf,
  type OrgSchema,
  type SalesforceRecord,
  SEED_COLLECTIONS,
  type SeedData,
  type SeedRecord,
  type SObjectSchema,
  type SObjectType,
} from './schema.js';
import { normalizeFieldValue, toSalesforceDateTime } from './values.js';

/**
 * The emulated org's records, per sObject, keyed by 18-character id. Records hold canonical
 * field names; unset fields read as null. Writes stamp LastModifiedDate and SystemModstamp.
 */
export class RecordStore {
  private readonly tables = new Map<SObjectType, Map<string, SalesforceRecord>>();
  private readonly deletions = new Map<SObjectType, { id: string; deletedDate: string }[]>();
  private generated = 0;

  constructor(
    readonly schema: OrgSchema,
    private readonly now: () => Date,
  ) {}

  /**
   * Load a data set (e.g. `demoData()`). Values of `absentFields` (custom fields the package
   * declares but this org leaves out) are dropped, as if the data had been made in such an org.
   */
  seed(data: SeedData, absentFields: CustomFields = {}): void {
    for (const [collection, type] of Object.entries(SEED_COLLECTIONS)) {
      const records = data[collection as keyof SeedData];
      const absent = new Set(Object.keys(absentFields[type] ?? {}).map((f) => f.toLowerCase()));
      const present = (record: SeedRecord) =>
        Object.fromEntries(Object.entries(record).filter(([field]) => !absent.has(field.toLowerCase())));
      if (records) this.insert(type, absent.size > 0 ? records.map(present) : records);
    }
  }

  /**
   * Insert records as they are (system fields may be given, e.g. a CreatedDate in the past);
   * returns their ids. Throws on an unknown field or a bad value: seed data is code, so fail fast.
   */
  insert(typeName: string, records: SeedRecord | readonly SeedRecord[]): string[] {
    const schema = this.objectSchema(typeName);
    const table = this.table(schema.name);
    const list: readonly SeedRecord[] = Array.isArray(records) ? records : [records as SeedRecord];
    return list.map((input) => {
      const record = this.blankRecord(schema);
      for (const [key, raw] of Object.entries(input)) {
        if (key === 'attributes' || raw === undefined) continue;
        const spec = fieldOf(schema, key);
        if (!spec) {
          throw new Error(
            `No field ${key} on ${schema.name}; declare custom fields with the customFields option`,
          );
        }
        const normalized = normalizeFieldValue(spec, raw, 'json');
        if (!normalized.ok) throw new Error(`Bad value for ${schema.name}.${normalized.message}`);
        record[spec.name] = normalized.value;
      }
      const id = typeof record.Id === 'string' ? record.Id : this.newId(schema);
      if (!id.startsWith(schema.keyPrefix)) {
        throw new Error(`${id} is not a ${schema.name} id (prefix ${schema.keyPrefix})`);
      }
      if (table.has(id)) throw new Error(`Duplicate ${schema.name} id ${id}`);
      const stamp = toSalesforceDateTime(this.now());
      record.Id = id;
      record.CreatedDate ??= stamp;
      record.LastModifiedDate ??= record.CreatedDate;
      record.SystemModstamp ??= record.LastModifiedDate;
      record.LastModifiedById ??= record.CreatedById ?? null;
      deriveFields(schema.name, record);
      table.set(id, record);
      return id;
    });
  }

  /** A copy of one record, or undefined. Accepts 15- or 18-character ids. */
  get(typeName: string, id: string): SalesforceRecord | undefined {
    if (!isSalesforceId(id)) return undefined;
    const record = this.table(this.objectSchema(typeName).name).get(toId18(id));
    return record ? { ...record } : undefined;
  }

  /** Copies of all records of a type, in insertion order. */
  records(typeName: string): SalesforceRecord[] {
    return [...this.table(this.objectSchema(typeName).name).values()].map((r) => ({ ...r }));
  }

  count(typeName: string): number {
    return this.table(this.objectSchema(typeName).name).size;
  }

  /**
   * Change fields the way a person in Salesforce would (no faults, no API call counted), e.g. to
   * simulate an owner changed by hand. Unknown fields and bad values throw.
   */
  update(
    typeName: string,
    id: string,
    fields: Record<string, FieldValue>,
    byUserId?: string,
  ): SalesforceRecord {
    const schema = this.objectSchema(typeName);
    const record = isSalesforceId(id) ? this.table(schema.name).get(toId18(id)) : undefined;
    if (!record) throw new Error(`No ${schema.name} ${id}`);
    const changes = new Map<FieldSpec, FieldValue>();
    for (const [key, raw] of Object.entries(fields)) {
      const spec = fieldOf(schema, key);
      if (!spec) throw new Error(`No field ${key} on ${schema.name}`);
      const normalized = normalizeFieldValue(spec, raw, 'json');
      if (!normalized.ok) throw new Error(`Bad value for ${schema.name}.${normalized.message}`);
      changes.set(spec, normalized.value);
    }
    this.applyChanges(schema, record, changes, byUserId ?? null);
    return { ...record };
  }

  /**
   * Delete a record the way a person would (to the recycle bin): queries stop returning it and
   * sObject Get Deleted lists it with its deletion time.
   */
  delete(typeName: string, id: string): void {
    const schema = this.objectSchema(typeName);
    const id18 = isSalesforceId(id) ? toId18(id) : id;
    if (!this.table(schema.name).delete(id18)) throw new Error(`No ${schema.name} ${id}`);
    const log = this.deletions.get(schema.name) ?? [];
    log.push({ id: id18, deletedDate: toSalesforceDateTime(this.now()) });
    this.deletions.set(schema.name, log);
  }

  /** @internal Deletions of a type with start <= deletedDate < end (the delete log sObject Get Deleted reads). */
  deletedBetween(type: SObjectType, start: Date, end: Date): { id: string; deletedDate: string }[] {
    return (this.deletions.get(type) ?? []).filter((d) => {
      const at = Date.parse(d.deletedDate.replace('+0000', 'Z'));
      return at >= start.getTime() && at < end.getTime();
    });
  }

  /** @internal The live record (no copy), for the emulator's own request handlers. */
  live(type: SObjectType, id18: string): SalesforceRecord | undefined {
    return this.table(type).get(id18);
  }

  /** @internal The live table, for the query engine. */
  table(type: SObjectType): Map<string, SalesforceRecord> {
    let table = this.tables.get(type);
    if (!table) {
      table = new Map();
      this.tables.set(type, table);
    }
    return table;
  }

  /** @internal Apply already validated values and stamp the modification. */
  applyChanges(
    schema: SObjectSchema,
    record: SalesforceRecord,
    changes: Map<FieldSpec, FieldValue>,
    byUserId: string | null,
  ): void {
    for (const [spec, value] of changes) record[spec.name] = value;
    const stamp = toSalesforceDateTime(this.now());
    record.LastModifiedDate = stamp;
    record.SystemModstamp = stamp;
    record.LastModifiedById = byUserId;
    deriveFields(schema.name, record);
  }

  private objectSchema(typeName: string): SObjectSchema {
    const schema = this.schema.object(typeName);
    if (!schema) throw new Error(`sObject type '${typeName}' is not supported by the emulator`);
    return schema;
  }

  private blankRecord(schema: SObjectSchema): SalesforceRecord {
    const record: SalesforceRecord = {};
    for (const spec of schema.fields.values()) {
      // Checkboxes are never null in Salesforce; users are active unless said otherwise.
      if (spec.type === 'boolean') record[spec.name] = schema.name === 'User' && spec.name === 'IsActive';
    }
    // A multi-currency org stamps every record with a currency; the corporate one unless given.
    const corporate = this.schema.currencies?.corporate;
    if (corporate && fieldOf(schema, 'CurrencyIsoCode')) record.CurrencyIsoCode = corporate;
    if (corporate && fieldOf(schema, 'DefaultCurrencyIsoCode')) record.DefaultCurrencyIsoCode = corporate;
    return record;
  }

  private newId(schema: SObjectSchema): string {
    // 'EM' marks emulator-made ids so they never collide with the demo data set's 'TR' ids.
    this.generated += 1;
    return toId18(`${schema.keyPrefix}EM${String(this.generated).padStart(10, '0')}`);
  }
}

/** Fields Salesforce computes: full names, and an opportunity's closed/won flags from its stage. */
function deriveFields(type: SObjectType, record: SalesforceRecord): void {
  if (type === 'Lead' || type === 'User' || type === 'Contact') {
    const parts = [record.FirstName, record.LastName].filter((p) => typeof p === 'string' && p !== '');
    if (parts.length > 0) record.Name = parts.join(' ');
  }
  if (type === 'Opportunity' && typeof record.StageName === 'string') {
    record.IsClosed = record.StageName.startsWith('Closed');
    record.IsWon = record.StageName === 'Closed Won';
  }
}
