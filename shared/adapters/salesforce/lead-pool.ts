import type { Connection } from '@jsforce/jsforce-node';
import { type RoutingFieldMap, routingLead } from '../../application/routing/lead-fields.js';
import { toId18 } from '../../domain/salesforce-id.js';
import type { FieldValue } from '../../domain/territory/lead.js';
import type { PoolLead } from '../../domain/topup/allocate.js';
import type { CrmLeadPool, LeadPoolQuery, LeadPoolRead } from '../../ports/crm.js';
import { toSalesforceError } from './errors.js';
import { missingFieldNote, SalesforceOrgFields } from './org-fields.js';
import { assertFieldName, soqlIdList, soqlString } from './soql.js';

/** Standard Lead fields territory rules test (see domain/territory/attributes.ts); read as they are. */
const ROUTING_FIELDS = [
  'Company',
  'Email',
  'Title',
  'Industry',
  'LeadSource',
  'Status',
  'Rating',
  'City',
  'State',
  'PostalCode',
  'Country',
  'Latitude',
  'Longitude',
  'AnnualRevenue',
  'NumberOfEmployees',
] as const;

export interface LeadPoolOptions {
  /** Number field that ranks leads for the `score` order, e.g. `Lead_Score__c`. */
  scoreField: string;
  /** Where routing attributes that are not standard fields live (the same map intake uses). */
  routingFields: RoutingFieldMap;
  /** Custom fields the rules test as they are, e.g. `Segment__c`. */
  extraFields?: string[];
}

/**
 * The unassigned pool: open leads owned by the intake queue(s), oldest first or best-scored
 * first, paged with jsforce's autoFetch up to the limit. Only fields routing needs are read, and
 * only those the org has (described once): without the score field the pool is read oldest first,
 * without a routing field rules on it see no value, each with a note.
 */
export class SalesforceLeadPool implements CrmLeadPool {
  private readonly scoreField: string;
  private readonly routingFields: RoutingFieldMap;
  private readonly customFields: string[];
  private readonly orgFields: SalesforceOrgFields;

  constructor(
    private readonly connection: () => Promise<Connection>,
    options: LeadPoolOptions,
  ) {
    this.scoreField = assertFieldName(options.scoreField);
    this.routingFields = options.routingFields;
    this.customFields = [
      ...new Set([
        assertFieldName(this.routingFields.ProductInterest),
        ...(options.extraFields ?? []).map(assertFieldName),
      ]),
    ];
    this.orgFields = new SalesforceOrgFields(connection);
  }

  async unassignedLeads(query: LeadPoolQuery): Promise<LeadPoolRead> {
    if (query.queueIds.length === 0 || query.limit <= 0) return { leads: [], order: query.order, notes: [] };
    const notes: string[] = [];
    const present = await this.orgFields.present('Lead', [this.scoreField, ...this.customFields]);
    const has = (field: string) => present.some((p) => p.toLowerCase() === field.toLowerCase());
    const scored = has(this.scoreField);
    let order = query.order;
    if (order === 'score' && !scored) {
      order = 'oldest';
      notes.push(missingFieldNote('Lead', this.scoreField, 'the pool is read oldest first (CreatedDate)'));
    }
    const customFields = this.customFields.filter(has);
    for (const field of this.customFields.filter((f) => !has(f)))
      notes.push(missingFieldNote('Lead', field, 'territory rules on it see no value'));

    const fields = [
      ...new Set([
        'Id',
        'OwnerId',
        'CreatedDate',
        ...(scored ? [this.scoreField] : []),
        ...ROUTING_FIELDS,
        ...customFields,
      ]),
    ];
    const closed = query.closedStatuses.length
      ? ` AND Status NOT IN (${query.closedStatuses.map(soqlString).join(',')})`
      : '';
    const orderBy =
      order === 'score'
        ? `${this.scoreField} DESC NULLS LAST, CreatedDate ASC, Id ASC`
        : 'CreatedDate ASC, Id ASC';
    const soql =
      `SELECT ${fields.join(', ')} FROM Lead ` +
      `WHERE OwnerId IN (${soqlIdList(query.queueIds)}) AND IsConverted = false${closed} ` +
      `ORDER BY ${orderBy} LIMIT ${Math.floor(query.limit)}`;
    const conn = await this.connection();
    let records: Array<Record<string, unknown>>;
    try {
      // Pages of up to 2,000 records; jsforce follows `nextRecordsUrl` up to maxFetch.
      const result = await conn.query<Record<string, unknown>>(soql, {
        autoFetch: true,
        maxFetch: query.limit,
      });
      records = result.records;
    } catch (error) {
      throw toSalesforceError(error);
    }
    return {
      leads: records.map((r) => this.toPoolLead(r, customFields, scored)),
      order,
      notes,
    };
  }

  private toPoolLead(record: Record<string, unknown>, customFields: string[], scored: boolean): PoolLead {
    const id = toId18(String(record.Id));
    const ownerId = toId18(String(record.OwnerId));
    const raw: Record<string, string | null> = { Id: id, OwnerId: ownerId };
    for (const name of [...ROUTING_FIELDS, ...customFields]) raw[name] = text(record[name]);
    const fields: Record<string, FieldValue> = { ...routingLead(raw, this.routingFields) };
    // Numbers stay numbers for range rules (AnnualRevenue >= 5000000).
    for (const name of ['Latitude', 'Longitude', 'AnnualRevenue', 'NumberOfEmployees']) {
      const value = record[name];
      if (typeof value === 'number') fields[name] = value;
    }
    const score = scored ? record[this.scoreField] : undefined;
    return {
      id,
      ownerId,
      createdAtMs: salesforceDateTime(record.CreatedDate),
      score: typeof score === 'number' && Number.isFinite(score) ? score : null,
      fields,
    };
  }
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** `2026-11-20T14:00:00.000+0000` (Salesforce's form, which Date.parse does not read everywhere). */
function salesforceDateTime(value: unknown): number {
  if (typeof value !== 'string') return 0;
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : 0;
}
