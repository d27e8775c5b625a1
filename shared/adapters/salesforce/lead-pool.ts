import type { Connection } from '@jsforce/jsforce-node';
import {
  DEFAULT_ROUTING_FIELDS,
  type RoutingFieldMap,
  routingLead,
} from '../../application/routing/lead-fields.js';
import { toId18 } from '../../domain/salesforce-id.js';
import type { FieldValue } from '../../domain/territory/lead.js';
import type { PoolLead } from '../../domain/topup/allocate.js';
import type { CrmLeadPool, LeadPoolQuery } from '../../ports/crm.js';
import { toSalesforceError } from './errors.js';
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
  routingFields?: RoutingFieldMap;
  /** Custom fields the rules test as they are, e.g. `Segment__c`. */
  extraFields?: string[];
}

/**
 * The unassigned pool: open leads owned by the intake queue(s), oldest first or best-scored
 * first, paged with jsforce's autoFetch up to the limit. Only fields routing needs are read.
 */
export class SalesforceLeadPool implements CrmLeadPool {
  private readonly scoreField: string;
  private readonly routingFields: RoutingFieldMap;
  private readonly extraFields: string[];

  constructor(
    private readonly connection: () => Promise<Connection>,
    options: LeadPoolOptions,
  ) {
    this.scoreField = assertFieldName(options.scoreField);
    this.routingFields = options.routingFields ?? DEFAULT_ROUTING_FIELDS;
    this.extraFields = [
      assertFieldName(this.routingFields.ProductInterest),
      ...(options.extraFields ?? []).map(assertFieldName),
    ];
  }

  async unassignedLeads(query: LeadPoolQuery): Promise<PoolLead[]> {
    if (query.queueIds.length === 0 || query.limit <= 0) return [];
    const fields = [
      ...new Set(['Id', 'OwnerId', 'CreatedDate', this.scoreField, ...ROUTING_FIELDS, ...this.extraFields]),
    ];
    const closed = query.closedStatuses.length
      ? ` AND Status NOT IN (${query.closedStatuses.map(soqlString).join(',')})`
      : '';
    const order =
      query.order === 'score'
        ? `${this.scoreField} DESC NULLS LAST, CreatedDate ASC, Id ASC`
        : 'CreatedDate ASC, Id ASC';
    const soql =
      `SELECT ${fields.join(', ')} FROM Lead ` +
      `WHERE OwnerId IN (${soqlIdList(query.queueIds)}) AND IsConverted = false${closed} ` +
      `ORDER BY ${order} LIMIT ${Math.floor(query.limit)}`;
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
    return records.map((r) => this.toPoolLead(r));
  }

  private toPoolLead(record: Record<string, unknown>): PoolLead {
    const id = toId18(String(record.Id));
    const ownerId = toId18(String(record.OwnerId));
    const raw: Record<string, string | null> = { Id: id, OwnerId: ownerId };
    for (const name of [...ROUTING_FIELDS, ...this.extraFields]) raw[name] = text(record[name]);
    const fields: Record<string, FieldValue> = { ...routingLead(raw, this.routingFields) };
    // Numbers stay numbers for range rules (AnnualRevenue >= 5000000).
    for (const name of ['Latitude', 'Longitude', 'AnnualRevenue', 'NumberOfEmployees']) {
      const value = record[name];
      if (typeof value === 'number') fields[name] = value;
    }
    const score = record[this.scoreField];
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
