import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from '@jsforce/jsforce-node';
import { MATCHED_ACCOUNT_FIELDS } from '../../domain/accounts/model.js';
import { toId18 } from '../../domain/salesforce-id.js';
import type { AccountSource, SyncedAccount } from '../../ports/account-index.js';
import { SalesforceError, toSalesforceError } from './errors.js';
import { HttpApi } from './jsforce.js';

/** Account fields the index keeps: what matching and account-owner routing read, nothing personal. */
const FIELDS = [...MATCHED_ACCOUNT_FIELDS, 'Type', 'Industry', 'ParentId', 'SystemModstamp'] as const;

type AccountRow = { [K in (typeof FIELDS)[number]]?: string };

export interface AccountSourceOptions {
  /** A full load of more accounts than this reads them with one Bulk API 2.0 query job. */
  bulkThreshold: number;
  /** Records per Bulk API result page (`maxRecords`). */
  bulkPageSize: number;
  bulkPollIntervalMs: number;
  bulkPollTimeoutMs: number;
}

export const DEFAULT_ACCOUNT_SOURCE_OPTIONS: AccountSourceOptions = {
  bulkThreshold: 100_000,
  bulkPageSize: 50_000,
  bulkPollIntervalMs: 2_000,
  bulkPollTimeoutMs: 600_000,
};

// The index stores accounts in batches of this many, however large a Bulk result page is.
const UPSERT_BATCH = 2_000;

/**
 * Accounts from Salesforce through jsforce: SOQL pages (up to 2,000 records each, followed by
 * `nextRecordsUrl`) ordered by SystemModstamp so an interrupted sync resumes where it stopped, and
 * deletions from the delete log (sObject Get Deleted). A full load of a large org is one Bulk API
 * 2.0 query job instead (a million accounts is 500 REST pages but 20 result pages), unordered:
 * a full load does not resume, it starts again.
 */
export class SalesforceAccountSource implements AccountSource {
  private readonly options: AccountSourceOptions;

  constructor(
    private readonly connection: () => Promise<Connection>,
    options: Partial<AccountSourceOptions> = {},
  ) {
    this.options = { ...DEFAULT_ACCOUNT_SOURCE_OPTIONS, ...options };
  }

  async *changedSince(since: string | undefined): AsyncGenerator<SyncedAccount[]> {
    const conn = await this.connection();
    try {
      if (since === undefined && (await this.count(conn)) > this.options.bulkThreshold) {
        yield* this.bulkQuery(conn, `SELECT ${FIELDS.join(', ')} FROM Account`);
        return;
      }
      // SOQL date-time literals take no milliseconds: flooring to the second re-reads at most a second of changes.
      const where = since
        ? ` WHERE SystemModstamp >= ${new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z')}`
        : '';
      const soql = `SELECT ${FIELDS.join(', ')} FROM Account${where} ORDER BY SystemModstamp, Id`;
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

  private async count(conn: Connection): Promise<number> {
    return (await conn.query('SELECT COUNT() FROM Account')).totalSize;
  }

  /** Create a query job, wait for it, then read its CSV pages by `Sforce-Locator` until "null". */
  private async *bulkQuery(conn: Connection, soql: string): AsyncGenerator<SyncedAccount[]> {
    const base = `/services/data/v${conn.version}/jobs/query`;
    const job = await conn.request<{ id: string }>({
      method: 'POST',
      url: base,
      body: JSON.stringify({ operation: 'query', query: soql, contentType: 'CSV', lineEnding: 'LF' }),
      headers: { 'Content-Type': 'application/json' },
    });
    try {
      const deadline = Date.now() + this.options.bulkPollTimeoutMs;
      for (;;) {
        const info = await conn.request<{ state: string; errorMessage?: string }>(`${base}/${job.id}`);
        if (info.state === 'JobComplete') break;
        if (info.state === 'Failed' || info.state === 'Aborted') {
          throw new SalesforceError(
            `Bulk API query job ${job.id} ended ${info.state}${info.errorMessage ? `: ${info.errorMessage}` : ''}`,
            { errorCode: 'BULK_QUERY_FAILED', retryable: true },
          );
        }
        if (Date.now() > deadline) {
          throw new SalesforceError(`Bulk API query job ${job.id} still ${info.state} after polling`, {
            errorCode: 'JOB_POLLING_TIMEOUT',
            retryable: true,
          });
        }
        await sleep(this.options.bulkPollIntervalMs);
      }
      let locator: string | undefined;
      do {
        const page = await this.resultPage(conn, `${base}/${job.id}/results`, locator);
        for (let i = 0; i < page.records.length; i += UPSERT_BATCH) {
          yield page.records.slice(i, i + UPSERT_BATCH).flatMap(toSyncedAccount);
        }
        locator = page.locator;
      } while (locator !== undefined);
    } finally {
      // Results are kept for days otherwise; a job stopped half-way is deleted too (nothing resumes it).
      await conn.request({ method: 'DELETE', url: `${base}/${job.id}` }).catch(() => undefined);
    }
  }

  private async resultPage(
    conn: Connection,
    url: string,
    locator: string | undefined,
  ): Promise<{ records: AccountRow[]; locator: string | undefined }> {
    const api = new HttpApi(conn, {});
    let next: string | undefined;
    api.on('response', (response: { headers: Record<string, string | undefined> }) => {
      const header = response.headers['sforce-locator'];
      next = header && header !== 'null' ? header : undefined;
    });
    const query = new URLSearchParams({ maxRecords: String(this.options.bulkPageSize) });
    if (locator) query.set('locator', locator);
    const records = await api.request<AccountRow[]>({
      method: 'GET',
      url: `${conn.instanceUrl}${url}?${query}`,
      headers: { Accept: 'text/csv' },
    });
    return { records, locator: next };
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
