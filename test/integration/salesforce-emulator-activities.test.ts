import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceConnection } from '../../shared/adapters/salesforce/connection.js';
import { SalesforceLeadTouches } from '../../shared/adapters/salesforce/lead-touches.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';

/**
 * Activities (Task, Event) and what the SLA sweep asks of Salesforce: parent-to-child subqueries,
 * a query sent in a Composite body, and the limits a real org enforces on both. Each case cites
 * Salesforce's doc.
 */
const QUEUE = toId18('00GTR0000000001');
const REP = toId18('005TR0000000001');
let sf: SalesforceEmulator;
let token = '';
let leads: string[] = [];

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sf.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}
const query = (soql: string) => call('GET', `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`);

beforeAll(async () => {
  sf = await startSalesforceEmulator();
  sf.store.insert('User', { Id: REP, FirstName: 'Joe', LastName: 'Tremblay', IsActive: true });
  sf.store.insert('Group', { Id: QUEUE, Name: 'Lead Intake', Type: 'Queue' });
  leads = sf.store.insert(
    'Lead',
    Array.from({ length: 2000 }, (_, i) => ({
      LastName: `L${i}`,
      Company: `C${i}`,
      OwnerId: REP,
      Status: 'Open - Not Contacted',
    })),
  );
  // The first 1,000 leads have two tasks each and one event: 3,000 child rows.
  sf.store.insert('Task', [
    ...leads
      .slice(0, 1000)
      .map((WhoId) => ({ WhoId, Subject: 'Call', CreatedDate: '2026-11-24T14:05:00.000+0000' })),
    ...leads
      .slice(0, 1000)
      .map((WhoId) => ({ WhoId, Subject: 'Email', CreatedDate: '2026-11-24T14:09:00.000+0000' })),
  ]);
  sf.store.insert(
    'Event',
    leads
      .slice(0, 1000)
      .map((WhoId) => ({ WhoId, Subject: 'Meeting', CreatedDate: '2026-11-24T15:00:00.000+0000' })),
  );
  const res = await fetch(`${sf.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sf.credentials.clientId,
      client_secret: sf.credentials.clientSecret,
    }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
}, 60_000);

afterAll(async () => {
  await sf?.close();
});

describe('parent-to-child subqueries', () => {
  // https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_using.htm
  it('nests each lead’s tasks as a query result, and answers null for a lead without any', async () => {
    const soql = `SELECT Id, (SELECT Subject, CreatedDate FROM Tasks ORDER BY CreatedDate DESC LIMIT 1) FROM Lead WHERE Id IN ('${leads[0]}', '${leads[1999]}')`;
    const { status, body } = await query(soql);
    expect(status).toBe(200);
    const records = (body as { records: Array<Record<string, unknown>> }).records;
    const withTask = records.find((r) => r.Id === leads[0])!;
    expect(withTask.Tasks).toMatchObject({
      totalSize: 1,
      done: true,
      records: [{ attributes: { type: 'Task' }, Subject: 'Email' }],
    });
    expect(records.find((r) => r.Id === leads[1999])!.Tasks).toBeNull();
  });

  it('refuses a relationship the object does not have with INVALID_TYPE', async () => {
    const { status, body } = await query('SELECT Id, (SELECT Id FROM Taskz) FROM Lead');
    expect(status).toBe(400);
    expect(body).toEqual([
      {
        errorCode: 'INVALID_TYPE',
        message: expect.stringContaining(
          "Didn't understand relationship 'Taskz' in FROM part of query call.",
        ),
      },
    ]);
  });

  // https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm
  // "2,000 results per request … This limit includes results from child objects."
  it('counts child records toward the 2,000 rows of a page and pages on with nextRecordsUrl', async () => {
    const { body } = await query('SELECT Id, (SELECT Id FROM Tasks), (SELECT Id FROM Events) FROM Lead');
    const page = body as { done: boolean; records: unknown[]; nextRecordsUrl?: string; totalSize: number };
    // 1,000 leads with 3 children each are 4,000 rows: the first page holds 500 of them.
    expect(page.records).toHaveLength(500);
    expect(page.done).toBe(false);
    let total = page.records.length;
    let next = page.nextRecordsUrl;
    while (next) {
      const more = (await call('GET', next)).body as { records: unknown[]; nextRecordsUrl?: string };
      total += more.records.length;
      next = more.nextRecordsUrl;
    }
    expect(total).toBe(2000);
  });
});

describe('the query the SLA sweep sends', () => {
  // https://help.salesforce.com/s/articleView?id=000386264&type=1 — URI and headers at most 16,384 bytes; a longer URI is 414.
  it('refuses a GET query whose URI passes 16,384 bytes (2,000 ids in an IN list) with 414', async () => {
    const ids = leads.map((id) => `'${id}'`).join(',');
    const { status } = await query(`SELECT Id FROM Lead WHERE Id IN (${ids})`);
    expect(status).toBe(414);
  });

  // https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite-post.html
  it('answers the same query in a Composite body, one API call', async () => {
    const ids = leads.map((id) => `'${id}'`).join(',');
    const { status, body } = await call('POST', '/services/data/v62.0/composite', {
      compositeRequest: [
        {
          method: 'GET',
          url: `/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM Lead WHERE Id IN (${ids})`)}`,
          referenceId: 'q',
        },
      ],
    });
    expect(status).toBe(200);
    const [sub] = (
      body as {
        compositeResponse: Array<{
          httpStatusCode: number;
          referenceId: string;
          body: { totalSize: number };
        }>;
      }
    ).compositeResponse;
    expect(sub).toMatchObject({ httpStatusCode: 200, referenceId: 'q', body: { totalSize: 2000 } });
  });

  it('answers a refused subrequest with its own status and Salesforce’s error body', async () => {
    const { status, body } = await call('POST', '/services/data/v62.0/composite', {
      compositeRequest: [
        {
          method: 'GET',
          url: `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Nope FROM Lead')}`,
          referenceId: 'q',
        },
      ],
    });
    expect(status).toBe(200);
    expect((body as { compositeResponse: unknown[] }).compositeResponse[0]).toMatchObject({
      httpStatusCode: 400,
      body: [{ errorCode: 'INVALID_FIELD' }],
    });
  });

  it('observes 2,000 leads with their latest activity in one Composite call and the pages child rows need', async () => {
    const touches = new SalesforceLeadTouches(() => salesforceConnection(emulatorConnectionOptions(sf)));
    sf.resetCalls();
    const seen = await touches.observe(leads);
    expect(seen.size).toBe(2000);
    expect(seen.get(leads[0]!)).toMatchObject({
      ownerId: REP,
      status: 'Open - Not Contacted',
      lastActivityMs: Date.parse('2026-11-24T15:00:00Z'),
    });
    expect(seen.get(leads[1999]!)?.lastActivityMs).toBeUndefined();
    // 1,000 leads × (1 + latest task + latest event) + 1,000 × 1 = 4,000 rows: pages of 1,998, 2,000 and 2.
    expect(sf.calls()).toMatchObject({ composite: 1, queryMore: 2 });
  });
});
