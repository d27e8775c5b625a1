import type { Connection } from '@jsforce/jsforce-node';
import type { ObjectType, OpenOpportunity } from '../../domain/guardrails/model.js';
import type { RecordSnapshot, UserSnapshot } from '../../domain/reassign/model.js';
import { toId18 } from '../../domain/salesforce-id.js';
import type { CrmReassignmentReader } from '../../ports/reassignment.js';
import { toSalesforceError } from './errors.js';
import { missingFieldNote, SalesforceOrgFields } from './org-fields.js';
import { assertFieldName, soqlIdList } from './soql.js';

/** sObject Collections retrieve: up to 2,000 ids in a POST body (a GET is bounded by URL length). */
const RETRIEVE_LIMIT = 2000;
/** An 18-character id costs 27 bytes URL-encoded in a SOQL GET; 500 stay under the 16 KB URI limit. */
const IDS_PER_QUERY = 500;

export interface ReassignmentReaderOptions {
  /** Account checkbox marking named accounts; an org without it gets no named-account guardrail. */
  namedField: string;
  /** Account currency field with annual recurring revenue; an org without it reports ARR as 0. */
  arrField: string;
}

type Row = Record<string, unknown> | null;

/**
 * What bulk reassignment reads from Salesforce, in as few calls as the API allows: records and
 * users by id through sObject Collections retrieve (2,000 a call), open opportunities and book
 * sizes through SOQL with IN lists sized for the URI limit. Optional Account fields are read when
 * the org has them (described once); in a multi-currency org deal amounts are converted to the
 * integration user's currency, so the deal-owner threshold compares like with like.
 */
export class SalesforceReassignmentReader implements CrmReassignmentReader {
  private readonly namedField: string;
  private readonly arrField: string;
  private readonly orgFields: SalesforceOrgFields;

  constructor(
    private readonly connection: () => Promise<Connection>,
    options: ReassignmentReaderOptions,
  ) {
    this.namedField = assertFieldName(options.namedField);
    this.arrField = assertFieldName(options.arrField);
    this.orgFields = new SalesforceOrgFields(connection);
  }

  async orgNotes(): Promise<string[]> {
    const notes: string[] = [];
    if (!(await this.orgFields.has('Account', this.namedField)))
      notes.push(missingFieldNote('Account', this.namedField, 'the named-account guardrail is skipped'));
    if (!(await this.orgFields.has('Account', this.arrField)))
      notes.push(missingFieldNote('Account', this.arrField, 'ARR moving is reported as 0'));
    return notes;
  }

  async records(objectType: ObjectType, ids: readonly string[]): Promise<RecordSnapshot[]> {
    const optional =
      objectType === 'Account'
        ? await this.orgFields.present('Account', [this.namedField, this.arrField])
        : [];
    const named = optional.includes(this.namedField) ? this.namedField : undefined;
    const arr = optional.includes(this.arrField) ? this.arrField : undefined;
    const fields =
      objectType === 'Account'
        ? ['Id', 'Name', 'OwnerId', 'ParentId', ...optional]
        : ['Id', 'Name', 'OwnerId'];
    const rows = await this.retrieve(objectType, ids, fields);
    return rows.map((r) => ({
      id: toId18(String(r.Id)),
      objectType,
      ownerId: typeof r.OwnerId === 'string' ? toId18(r.OwnerId) : null,
      named: named !== undefined && r[named] === true,
      parentId: typeof r.ParentId === 'string' ? toId18(r.ParentId) : null,
      arr: arr !== undefined ? Number(r[arr] ?? 0) || 0 : 0,
      ...(typeof r.Name === 'string' && r.Name ? { name: r.Name } : {}),
    }));
  }

  async currentOwners(objectType: ObjectType, ids: readonly string[]): Promise<Map<string, string | null>> {
    const rows = await this.retrieve(objectType, ids, ['Id', 'OwnerId']);
    return new Map(
      rows.map((r) => [toId18(String(r.Id)), typeof r.OwnerId === 'string' ? toId18(r.OwnerId) : null]),
    );
  }

  async openOpportunities(accountIds: readonly string[]): Promise<OpenOpportunity[]> {
    // convertCurrency() answers in the Amount key; SELECT only (refused in WHERE, not for aggregates).
    const amount = (await this.orgFields.multiCurrency()) ? 'convertCurrency(Amount)' : 'Amount';
    const rows = await this.queryInChunks<{
      Id: string;
      AccountId: string;
      OwnerId: string;
      Amount: number | null;
      Name: string;
    }>(
      accountIds,
      (list) =>
        `SELECT Id, AccountId, OwnerId, ${amount}, Name FROM Opportunity WHERE IsClosed = false AND AccountId IN (${list})`,
    );
    return rows.map((r) => ({
      id: toId18(r.Id),
      accountId: toId18(r.AccountId),
      ownerId: toId18(r.OwnerId),
      amount: Number(r.Amount ?? 0),
      name: r.Name,
    }));
  }

  async bookSizes(repIds: readonly string[]): Promise<Record<string, number>> {
    const rows = await this.queryInChunks<{ OwnerId: string; accounts: number }>(
      repIds,
      (list) => `SELECT OwnerId, COUNT(Id) accounts FROM Account WHERE OwnerId IN (${list}) GROUP BY OwnerId`,
    );
    const sizes: Record<string, number> = Object.fromEntries(repIds.map((id) => [toId18(id), 0]));
    for (const r of rows) sizes[toId18(r.OwnerId)] = Number(r.accounts);
    return sizes;
  }

  async users(ids: readonly string[]): Promise<UserSnapshot[]> {
    const rows = await this.retrieve('User', ids, ['Id', 'Name', 'IsActive']);
    return rows.map((r) => ({
      id: toId18(String(r.Id)),
      name: String(r.Name ?? r.Id),
      active: r.IsActive !== false,
    }));
  }

  private async retrieve(
    type: string,
    ids: readonly string[],
    fields: string[],
  ): Promise<Record<string, unknown>[]> {
    const unique = [...new Set(ids.map(toId18))];
    if (unique.length === 0) return [];
    const conn = await this.connection();
    const found: Record<string, unknown>[] = [];
    for (let i = 0; i < unique.length; i += RETRIEVE_LIMIT) {
      try {
        // Missing or inaccessible ids come back as null in their position.
        const rows = (await conn.retrieve(type, unique.slice(i, i + RETRIEVE_LIMIT), {
          fields,
        })) as unknown as Row[];
        for (const r of rows) if (r) found.push(r);
      } catch (error) {
        throw toSalesforceError(error);
      }
    }
    return found;
  }

  private async queryInChunks<T>(ids: readonly string[], soql: (idList: string) => string): Promise<T[]> {
    const unique = [...new Set(ids.map(toId18))];
    if (unique.length === 0) return [];
    const conn = await this.connection();
    const rows: T[] = [];
    for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
      try {
        const result = await conn.query<T & Record<string, unknown>>(
          soql(soqlIdList(unique.slice(i, i + IDS_PER_QUERY))),
          {
            autoFetch: true,
            maxFetch: 1_000_000,
          },
        );
        rows.push(...result.records);
      } catch (error) {
        throw toSalesforceError(error);
      }
    }
    return rows;
  }
}
