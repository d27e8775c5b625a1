import type { Connection } from '@jsforce/jsforce-node';
import { toId18 } from '../../domain/salesforce-id.js';
import type { AccountSource, SyncedAccount } from '../../ports/account-index.js';
import { toSalesforceError } from './errors.js';

/** Account fields the index keeps: what matching and account-owner routing read, nothing personal. */
const FIELDS = [
  'Id',
  'Name',
  'Website',
  'BillingCountry',
  'BillingPostalCode',
  'OwnerId',
  'Type',
  'Industry',
  'ParentId',
  'SystemModstamp',
] as const;

type AccountRow = { [K in (typeof FIELDS)[number]]?: string };

/**
 * Accounts from Salesforce through jsforce: SOQL pages (up to 2,000 records each, followed by
 * `nextRecordsUrl`) ordered by SystemModstamp so an interrupted sync resumes where it stopped, and
 * deletions from the delete log (sObject Get Deleted).
 */
export class SalesforceAccountSource implements AccountSource {
  constructor(private readonly connection: () => Promise<Connection>) {}

  async *changedSince(since: string | undefined): AsyncGenerator<SyncedAccount[]> {
    const conn = await this.connection();
    // SOQL date-time literals take no milliseconds: flooring to the second re-reads at most a second of changes.
    const where = since
      ? ` WHERE SystemModstamp >= ${new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z')}`
      : '';
    const soql = `SELECT ${FIELDS.join(', ')} FROM Account${where} ORDER BY SystemModstamp, Id`;
    try {
      let page = await conn.query<AccountRow>(soql, { autoFetch: false });
      for (;;) {
        yield page.records.flatMap(toSyncedAccount);
        if (page.done || !page.nextRecordsUrl) return;
        page = await conn.queryMore<AccountRow>(page.nextRecordsUrl);
      }
    } catch (error) {
      throw toSalesforceError(error);
    }
  }

  async deletedBetween(start: Date, end: Date): Promise<string[]> {
    const conn = await this.connection();
    try {
      const result = await conn.sobject('Account').deleted(start, end);
      return result.deletedRecords.map((d) => toId18(d.id));
    } catch (error) {
      throw toSalesforceError(error);
    }
  }
}

function toSyncedAccount(row: AccountRow): SyncedAccount[] {
  if (!row.Id || !row.Name || !row.SystemModstamp) return [];
  const text = (v: string | null | undefined): string | undefined =>
    v === null || v === undefined || v === '' ? undefined : v;
  return [
    {
      id: toId18(row.Id),
      name: row.Name,
      website: text(row.Website),
      country: text(row.BillingCountry),
      postalCode: text(row.BillingPostalCode),
      ownerId: text(row.OwnerId),
      type: text(row.Type),
      industry: text(row.Industry),
      parentId: text(row.ParentId),
      systemModstamp: new Date(row.SystemModstamp.replace(/\+0000$/, 'Z')).toISOString(),
    },
  ];
}
