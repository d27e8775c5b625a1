import type { Connection } from '@jsforce/jsforce-node';
import { toId18 } from '../../domain/salesforce-id.js';
import type { LeadObservation } from '../../domain/sla/index.js';
import type { LeadTouchReader } from '../../ports/sla.js';
import { toSalesforceError } from './errors.js';
import { soqlIdList } from './soql.js';

/** Leads per query: Salesforce returns at most 2,000 rows a request (child rows included). */
export const LEADS_PER_TOUCH_QUERY = 2000;

interface ActivityRows {
  records: Array<{ CreatedDate: string }>;
}

interface LeadRow {
  Id: string;
  Status: string | null;
  OwnerId: string | null;
  IsConverted: boolean;
  LastModifiedDate: string | null;
  Tasks: ActivityRows | null;
  Events: ActivityRows | null;
}

interface QueryPage<T> {
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

interface CompositeAnswer {
  compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string | null }>;
}

/**
 * Reads the leads whose SLA clocks are due: one SOQL per 2,000 leads with the latest Task and Event
 * of each as child subqueries (`(SELECT CreatedDate FROM Tasks ORDER BY CreatedDate DESC LIMIT 1)`).
 * The query goes in a Composite request body: 2,000 ids make a SOQL text of about 44,000 characters,
 * under SOQL's 100,000 but far over the 16,384 bytes a GET query's URI may have. Child rows count
 * toward a page's 2,000 rows, so a page may end early; the rest follows nextRecordsUrl.
 */
export class SalesforceLeadTouches implements LeadTouchReader {
  constructor(private readonly connection: () => Promise<Connection>) {}

  async observe(leadIds: readonly string[]): Promise<Map<string, LeadObservation>> {
    const out = new Map<string, LeadObservation>();
    for (let i = 0; i < leadIds.length; i += LEADS_PER_TOUCH_QUERY) {
      const ids = leadIds.slice(i, i + LEADS_PER_TOUCH_QUERY);
      const soql =
        'SELECT Id, Status, OwnerId, IsConverted, LastModifiedDate, ' +
        '(SELECT CreatedDate FROM Tasks ORDER BY CreatedDate DESC LIMIT 1), ' +
        '(SELECT CreatedDate FROM Events ORDER BY CreatedDate DESC LIMIT 1) ' +
        `FROM Lead WHERE Id IN (${soqlIdList(ids)})`;
      for (const row of await this.queryAll<LeadRow>(soql)) {
        const id = toId18(row.Id);
        const activity = [row.Tasks, row.Events]
          .flatMap((rows) => rows?.records ?? [])
          .map((r) => Date.parse(r.CreatedDate))
          .filter((ms) => Number.isFinite(ms));
        const lastModifiedMs = row.LastModifiedDate ? Date.parse(row.LastModifiedDate) : Number.NaN;
        out.set(id, {
          id,
          status: row.Status,
          ownerId: row.OwnerId ? toId18(row.OwnerId) : null,
          isConverted: row.IsConverted === true,
          ...(Number.isFinite(lastModifiedMs) ? { lastModifiedMs } : {}),
          ...(activity.length > 0 ? { lastActivityMs: Math.max(...activity) } : {}),
        });
      }
    }
    return out;
  }

  async managers(userIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < userIds.length; i += LEADS_PER_TOUCH_QUERY) {
      const soql = `SELECT Id, ManagerId FROM User WHERE Id IN (${soqlIdList(userIds.slice(i, i + LEADS_PER_TOUCH_QUERY))})`;
      for (const row of await this.queryAll<{ Id: string; ManagerId: string | null }>(soql)) {
        if (row.ManagerId) out.set(toId18(row.Id), toId18(row.ManagerId));
      }
    }
    return out;
  }

  /** One Composite call for the query, then nextRecordsUrl pages (short GETs) until done. */
  private async queryAll<T>(soql: string): Promise<T[]> {
    const conn = await this.connection();
    try {
      const base = `/services/data/v${conn.version}`;
      const answer = await conn.request<CompositeAnswer>({
        method: 'POST',
        url: `${base}/composite`,
        body: JSON.stringify({
          allOrNone: false,
          compositeRequest: [
            { method: 'GET', url: `${base}/query?q=${encodeURIComponent(soql)}`, referenceId: 'query' },
          ],
        }),
        headers: { 'content-type': 'application/json' },
      });
      const sub = answer.compositeResponse[0];
      if (!sub) throw new Error('Composite answered without a subrequest result');
      if (sub.httpStatusCode >= 300) throw subrequestError(sub.body, sub.httpStatusCode);
      let page = sub.body as QueryPage<T>;
      const rows = [...page.records];
      while (!page.done && page.nextRecordsUrl) {
        page = await conn.request<QueryPage<T>>(page.nextRecordsUrl);
        rows.push(...page.records);
      }
      return rows;
    } catch (error) {
      throw toSalesforceError(error);
    }
  }
}

/** A failed subrequest carries Salesforce's usual `[{errorCode, message}]` body. */
function subrequestError(body: unknown, status: number): unknown {
  const first = Array.isArray(body) ? (body[0] as { errorCode?: unknown; message?: unknown }) : undefined;
  return {
    errorCode: typeof first?.errorCode === 'string' ? first.errorCode : `ERROR_HTTP_${status}`,
    message: typeof first?.message === 'string' ? first.message : `Composite subrequest failed (${status})`,
  };
}
