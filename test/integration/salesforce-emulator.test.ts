import type { Connection } from '@jsforce/jsforce-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import {
  type SalesforceError,
  SalesforceRateLimitedError,
  SalesforceUnavailableError,
  toSalesforceError,
} from '../../shared/adapters/salesforce/errors.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { demoData } from '../../shared/local-stack/demo-data.js';
import type { SaveResult } from '../../shared/local-stack/salesforce-emulator/index.js';
import {
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';

const REP = toId18('005TR0000000001');
const OTHER_REP = toId18('005TR0000000002');
const INACTIVE_REP = toId18('005TR0000000011');
const QUEUE = toId18('00GTR0000000001');
const UNKNOWN_LEAD = toId18('00QTR9999999999');

let sf: SalesforceEmulator;

async function start(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  await sf?.close();
  sf = await startSalesforceEmulator(options);
  return sf;
}

beforeEach(async () => {
  forgetSalesforceSessions();
  await start();
  sf.store.insert('User', [
    { Id: REP, FirstName: 'Joe', LastName: 'Tremblay', IsActive: true },
    { Id: OTHER_REP, FirstName: 'Priya', LastName: 'Sharma', IsActive: true },
    { Id: INACTIVE_REP, FirstName: 'Nadia', LastName: 'Haddad', IsActive: false },
  ]);
  sf.store.insert('Group', { Id: QUEUE, Name: 'Lead Intake', Type: 'Queue' });
});

afterEach(async () => {
  await sf.close();
});

function connect(): Promise<Connection> {
  return salesforceConnection({
    loginUrl: sf.loginUrl,
    clientId: sf.credentials.clientId,
    clientSecret: sf.credentials.clientSecret,
    apiVersion: '62.0',
  });
}

function insertLeads(count: number, ownerId = QUEUE): string[] {
  return sf.store.insert(
    'Lead',
    Array.from({ length: count }, (_, i) => ({
      LastName: `Lead ${String(i).padStart(5, '0')}`,
      Company: `Company ${i}`,
      Status: 'Open - Not Contacted',
      OwnerId: ownerId,
    })),
  );
}

async function rejection(promise: PromiseLike<unknown>): Promise<SalesforceError> {
  try {
    await promise;
  } catch (error) {
    return toSalesforceError(error);
  }
  throw new Error('expected the call to fail');
}

describe('SOQL queries through jsforce', () => {
  it('pages past 2,000 records with queryMore and reports the total', async () => {
    insertLeads(4500);
    const conn = await connect();
    sf.resetCalls();

    const first = await conn.query<{ Id: string; LastName: string }>(
      'SELECT Id, LastName FROM Lead ORDER BY LastName',
    );
    expect(first).toMatchObject({ totalSize: 4500, done: false });
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g\w{15}-2000$/);
    const second = await conn.queryMore(first.nextRecordsUrl!);
    expect(second.records[0]?.LastName).toBe('Lead 02000');

    const all = await conn.query('SELECT Id FROM Lead', { autoFetch: true, maxFetch: 10_000 });
    expect(all).toMatchObject({ totalSize: 4500, done: true });
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(4500);
    expect(sf.calls()).toEqual({ query: 2, queryMore: 3 });
  });

  it('counts leads by owner and status with a GROUP BY aggregate', async () => {
    await start({ seed: demoData() });
    const conn = await connect();
    const result = await conn.query<{ OwnerId: string; Status: string; cnt: number }>(
      `SELECT OwnerId, Status, COUNT(Id) cnt FROM Lead WHERE OwnerId IN ('${REP}', '${toId18('005TR0000000003')}') GROUP BY OwnerId, Status ORDER BY OwnerId, Status`,
    );
    expect(result.totalSize).toBe(8);
    expect(result.records[0]).toEqual({
      attributes: { type: 'AggregateResult' },
      OwnerId: REP,
      Status: 'Closed - Converted',
      cnt: 45,
    });
    const rep3New = result.records.find(
      (r) => r.OwnerId === toId18('005TR0000000003') && r.Status === 'Open - Not Contacted',
    );
    expect(rep3New?.cnt).toBe(44);
  });

  it('answers MALFORMED_QUERY for SOQL outside the supported subset and INVALID_FIELD for unknown fields', async () => {
    const conn = await connect();
    const mixed = await rejection(
      conn.query("SELECT Id FROM Lead WHERE Status = 'a' AND Company = 'b' OR Name = 'c'"),
    );
    expect(mixed).toMatchObject({ errorCode: 'MALFORMED_QUERY', statusCode: 400, retryable: false });
    expect(mixed.message).toContain("unexpected token: 'OR'");
    const having = await rejection(
      conn.query('SELECT Status, COUNT(Id) FROM Lead GROUP BY Status HAVING COUNT(Id) > 1'),
    );
    expect(having.message).toContain('HAVING is not supported by the Salesforce emulator');
    expect(await rejection(conn.query('SELECT Id, Color__c FROM Lead'))).toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    expect(await rejection(conn.query('SELECT Id FROM Widget__c'))).toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
  });

  it('parses Sforce-Limit-Info into conn.limitInfo and enforces the daily limit', async () => {
    await start({ dailyApiLimit: 3 });
    const conn = await connect();
    await conn.query('SELECT Id FROM Lead');
    await conn.query('SELECT Id FROM Lead');
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 2, limit: 3 } });
    await conn.query('SELECT Id FROM Lead');
    const error = await rejection(conn.query('SELECT Id FROM Lead'));
    expect(error).toBeInstanceOf(SalesforceRateLimitedError);
    expect(sf.apiUsage()).toEqual({ used: 3, limit: 3 });
  });
});

describe('sObject Collections update', () => {
  it('applies the good records and reports per-record failures when allOrNone is false', async () => {
    const [a, b, c] = insertLeads(3);
    sf.faults.set({ lockedRows: { ids: [b!] } });
    const conn = await connect();
    sf.resetCalls();

    const results = (await conn
      .sobject('Lead')
      .update(
        [
          { Id: a!, OwnerId: REP, Routing_Reason__c: 'Territory Toronto Core' },
          { Id: b!, OwnerId: REP },
          { Id: UNKNOWN_LEAD, OwnerId: REP },
          { Id: c!, Color__c: 'red' } as never,
        ],
        { allOrNone: false },
      )) as unknown as SaveResult[];

    expect(results).toEqual([
      { id: a, success: true, errors: [] },
      {
        success: false,
        errors: [
          {
            statusCode: 'UNABLE_TO_LOCK_ROW',
            message: 'unable to obtain exclusive access to this record',
            fields: [],
          },
        ],
      },
      {
        success: false,
        errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
      },
      {
        success: false,
        errors: [
          {
            statusCode: 'INVALID_FIELD',
            message: "No such column 'Color__c' on sobject of type Lead",
            fields: [],
          },
        ],
      },
    ]);
    expect(sf.store.get('Lead', a!)).toMatchObject({
      OwnerId: REP,
      Routing_Reason__c: 'Territory Toronto Core',
      LastModifiedById: sf.credentials.runAsUserId,
    });
    expect(sf.store.get('Lead', b!)?.OwnerId).toBe(QUEUE);
    expect(sf.calls()).toEqual({ collections: 1 });
  });

  it('rolls every record back when allOrNone is true and one fails', async () => {
    const [a, b] = insertLeads(2);
    const conn = await connect();
    const results = (await conn.sobject('Lead').update(
      [
        { Id: a!, OwnerId: REP },
        { Id: b!, OwnerId: INACTIVE_REP },
      ],
      { allOrNone: true },
    )) as unknown as SaveResult[];
    expect(results).toEqual([
      {
        success: false,
        errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })],
      },
      {
        success: false,
        errors: [expect.objectContaining({ statusCode: 'INACTIVE_OWNER_OR_USER' })],
      },
    ]);
    expect(sf.store.get('Lead', a!)?.OwnerId).toBe(QUEUE);
  });

  it('fails a locked row only as many times as asked, so a retry succeeds', async () => {
    const [a] = insertLeads(1);
    sf.faults.set({ lockedRows: { ids: [a!.slice(0, 15)], times: 1 } });
    const conn = await connect();
    const update = () => conn.sobject('Lead').update([{ Id: a!, OwnerId: REP }], { allOrNone: false });
    expect(await update()).toEqual([expect.objectContaining({ success: false })]);
    expect(await update()).toEqual([{ id: a, success: true, errors: [] }]);
  });

  it('rejects more than 200 records with EXCEEDED_ID_LIMIT', async () => {
    const ids = insertLeads(201);
    const conn = await connect();
    const error = await rejection(conn.sobject('Lead').update(ids.map((Id) => ({ Id, OwnerId: REP }))));
    expect(error).toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT', retryable: false });
    expect(sf.store.get('Lead', ids[0]!)?.OwnerId).toBe(QUEUE);
  });

  it('checks owners: queues and active users only', async () => {
    const [a, b, c] = insertLeads(3);
    const account = sf.store.insert('Account', { Name: 'Acme Enterprises Inc.', OwnerId: REP });
    const conn = await connect();
    const results = (await conn.sobject('Lead').update(
      [
        { Id: a!, OwnerId: QUEUE },
        { Id: b!, OwnerId: account[0]! },
        { Id: c!, OwnerId: null as never },
      ],
      { allOrNone: false },
    )) as unknown as SaveResult[];
    expect(results.map((r) => (r.success ? 'ok' : r.errors[0]?.statusCode))).toEqual([
      'ok',
      'INVALID_CROSS_REFERENCE_KEY',
      'REQUIRED_FIELD_MISSING',
    ]);
  });

  it('updates and reads a single record', async () => {
    const [a] = insertLeads(1);
    const conn = await connect();
    expect(await conn.sobject('Lead').update({ Id: a!, Status: 'Working - Contacted' })).toEqual({
      id: a,
      success: true,
      errors: [],
    });
    const record = await conn
      .sobject('Lead')
      .retrieve(a!, { fields: ['Status', 'LastModifiedById'] } as never);
    expect(record).toMatchObject({
      Status: 'Working - Contacted',
      LastModifiedById: sf.credentials.runAsUserId,
    });
    expect(await rejection(conn.sobject('Lead').update({ Id: UNKNOWN_LEAD, Status: 'x' }))).toMatchObject({
      errorCode: 'NOT_FOUND',
      statusCode: 404,
    });
    expect(sf.calls()).toMatchObject({ sobject: 3 });
  });

  it('retrieves several records by id, null for the missing ones', async () => {
    const [a, b] = insertLeads(2);
    const conn = await connect();
    const records = await conn
      .sobject('Lead')
      .retrieve([a!, UNKNOWN_LEAD, b!], { fields: ['LastName', 'OwnerId'] });
    expect(records).toEqual([
      expect.objectContaining({ LastName: 'Lead 00000', OwnerId: QUEUE }),
      null,
      expect.objectContaining({ LastName: 'Lead 00001' }),
    ]);
    expect(sf.calls()).toMatchObject({ collections: 1 });
  });
});

describe('Bulk API 2.0 ingest', () => {
  it('runs a CSV update job and returns successful and failed results', async () => {
    const ids = insertLeads(5);
    sf.faults.set({ lockedRows: { ids: [ids[1]!] } });
    const conn = await connect();
    sf.resetCalls();

    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Lead',
      operation: 'update',
      input: [
        ...ids.map((Id) => ({ Id, OwnerId: REP, Routing_Reason__c: 'reassign run 7' })),
        { Id: UNKNOWN_LEAD, OwnerId: REP, Routing_Reason__c: 'reassign run 7' },
      ],
      pollInterval: 20,
      pollTimeout: 10_000,
    });

    expect(results.successfulResults).toHaveLength(4);
    expect(results.successfulResults[0]).toEqual({
      sf__Id: ids[0],
      sf__Created: 'false',
      Id: ids[0],
      OwnerId: REP,
      Routing_Reason__c: 'reassign run 7',
    });
    expect(results.failedResults.map((r) => [r.sf__Id, r.sf__Error])).toEqual([
      [ids[1], 'UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--'],
      [UNKNOWN_LEAD, 'ENTITY_IS_DELETED:entity is deleted:--'],
    ]);
    expect(results.unprocessedRecords).toEqual([]);
    expect(sf.store.get('Lead', ids[4]!)).toMatchObject({
      OwnerId: REP,
      Routing_Reason__c: 'reassign run 7',
    });
    expect(sf.store.get('Lead', ids[1]!)?.OwnerId).toBe(QUEUE);
    // create, upload, close, one poll, three result downloads
    expect(sf.calls()).toEqual({ bulk: 7 });
  });

  it('fails the whole job when the CSV names an unknown column', async () => {
    const [a] = insertLeads(1);
    const conn = await connect();
    const job = conn.bulk2.createJob({ object: 'Lead', operation: 'update' });
    await job.open();
    await job.uploadData(`Id,Color__c\n${a},red\n`);
    await job.close();
    await expect(job.poll(20, 5000)).rejects.toThrow('InvalidBatch : Field name not found : Color__c');
  });

  it('accepts CSV header names in any case and echoes them in the results', async () => {
    const [a] = insertLeads(1);
    const conn = await connect();
    const job = conn.bulk2.createJob({ object: 'Lead', operation: 'update', lineEnding: 'CRLF' });
    await job.open();
    await job.uploadData(`id,ownerid\r\n${a},${REP}\r\n`);
    await job.close();
    await job.poll(20, 5000);
    expect(await job.getSuccessfulResults()).toEqual([
      { sf__Id: a, sf__Created: 'false', id: a, ownerid: REP },
    ]);
    expect(await job.check()).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 1,
      numberRecordsFailed: 0,
    });
  });

  it('keeps the rows of an aborted job as unprocessed', async () => {
    await start({ bulkProcessingDelayMs: 60_000 });
    const [lead] = insertLeads(1);
    const conn = await connect();
    const job = conn.bulk2.createJob({ object: 'Lead', operation: 'update' });
    await job.open();
    await job.uploadData(`Id,OwnerId\n${lead},${QUEUE}\n`);
    await job.close();
    await job.abort();
    expect(await job.getUnprocessedRecords()).toEqual([{ Id: lead, OwnerId: QUEUE }]);
    expect(await job.getSuccessfulResults()).toEqual([]);
  });
});

describe('the emulated org', () => {
  it('declares custom fields and stamps writes with its clock and the API user', async () => {
    const at = new Date('2026-11-22T10:15:00.000Z');
    await start({ clock: () => at, customFields: { Lead: { Assignment_Reason__c: 'string' } } });
    const [lead] = sf.store.insert('Lead', { LastName: 'Lead', Company: 'Acme Enterprises Inc.' });
    const conn = await connect();
    await conn.sobject('Lead').update({ Id: lead!, Assignment_Reason__c: 'named account: Acme' } as never);
    expect(sf.store.get('Lead', lead!)).toMatchObject({
      Assignment_Reason__c: 'named account: Acme',
      LastModifiedDate: '2026-11-22T10:15:00.000+0000',
      SystemModstamp: '2026-11-22T10:15:00.000+0000',
      LastModifiedById: sf.credentials.runAsUserId,
    });
  });

  it('lets a test change a record the way a person would, outside the API', async () => {
    const [lead] = insertLeads(1);
    sf.store.update('Lead', lead!, { OwnerId: OTHER_REP }, REP);
    expect(sf.query(`SELECT OwnerId, LastModifiedById FROM Lead WHERE Id = '${lead}'`).records).toEqual([
      expect.objectContaining({ OwnerId: OTHER_REP, LastModifiedById: REP }),
    ]);
    expect(sf.calls()).toEqual({});
  });
});

describe('sessions and faults', () => {
  it('refreshes an expired session transparently', async () => {
    insertLeads(3);
    const conn = await connect();
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    const before = conn.accessToken;

    sf.faults.set({ expireSessions: true });
    const result = await conn.query('SELECT Id FROM Lead');

    expect(result.totalSize).toBe(3);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).not.toBe(before);
    expect(sf.calls()).toEqual({ token: 2, query: 2 });
  });

  it('re-authenticates after a one-off INVALID_SESSION_ID', async () => {
    const conn = await connect();
    sf.faults.set({ invalidSession: 1 });
    await conn.query('SELECT Id FROM Lead');
    expect(sf.calls()).toEqual({ token: 2, query: 2 });
  });

  it('surfaces REQUEST_LIMIT_EXCEEDED as SalesforceRateLimitedError, then recovers', async () => {
    const conn = await connect();
    sf.faults.set({ requestLimitExceeded: 1 });
    const error = await rejection(conn.query('SELECT Id FROM Lead'));
    expect(error).toBeInstanceOf(SalesforceRateLimitedError);
    expect(error).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', statusCode: 403, retryable: true });
    expect(error.message).toBe('TotalRequests Limit exceeded.');
    await expect(conn.query('SELECT Id FROM Lead')).resolves.toMatchObject({ totalSize: 0 });
  });

  it('answers 503 for the next calls: jsforce retries a GET, a PATCH fails as SalesforceUnavailableError', async () => {
    const [a] = insertLeads(1);
    const conn = await connect();
    sf.faults.set({ unavailable: 1 });
    await expect(conn.query('SELECT Id FROM Lead')).resolves.toMatchObject({ totalSize: 1 });
    expect(sf.calls()).toMatchObject({ query: 2 });

    sf.faults.set({ unavailable: 1 });
    const error = await rejection(conn.sobject('Lead').update([{ Id: a!, OwnerId: REP }]));
    expect(error).toBeInstanceOf(SalesforceUnavailableError);
    expect(error).toMatchObject({ errorCode: 'SERVER_UNAVAILABLE', statusCode: 503 });
  });

  it('adds latency to every call', async () => {
    const conn = await connect();
    sf.faults.set({ latencyMs: 150 });
    const started = Date.now();
    await conn.query('SELECT Id FROM Lead');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("rejects a missing or unknown token with Salesforce's 401 body", async () => {
    const response = await fetch(`${sf.url}/services/data/v62.0/query?q=SELECT+Id+FROM+Lead`, {
      headers: { Authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  it('switches faults and reads call counts over HTTP', async () => {
    const control = (path: string, init?: RequestInit) => fetch(`${sf.url}/__emulator/${path}`, init);
    const post = (path: string, body: unknown) =>
      control(path, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });

    const set = await post('faults', {
      requestLimitExceeded: 2,
      lockedRows: { ids: [UNKNOWN_LEAD], times: 3 },
    });
    expect(await set.json()).toMatchObject({ requestLimitExceeded: 2, lockedRows: { [UNKNOWN_LEAD]: 3 } });
    expect((await post('faults', { requestLimitExceeded: 'lots' })).status).toBe(400);

    const conn = await connect();
    await rejection(conn.query('SELECT Id FROM Lead'));
    expect(await (await control('calls')).json()).toEqual({
      calls: { token: 1, query: 1 },
      apiUsage: { used: 0, limit: 15000 },
    });

    await post('reset-calls', {});
    expect(sf.calls()).toEqual({});
    await control('faults', { method: 'DELETE' });
    expect(sf.faults.current()).toEqual({
      lockedRows: {},
      requestLimitExceeded: 0,
      invalidSession: 0,
      unavailable: 0,
      latencyMs: 0,
    });
  });
});
