import { randomUUID } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { DynamoAccountIndex } from '../../shared/adapters/dynamodb/account-index.js';
import { SalesforceAccountSource } from '../../shared/adapters/salesforce/account-reader.js';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { matchLeadToAccount } from '../../shared/application/accounts/match-lead.js';
import { syncAccounts } from '../../shared/application/accounts/sync.js';
import { InMemoryAccountIndex } from '../../shared/domain/accounts/account-index.js';
import {
  accountKeys,
  leadKeys,
  prepareAccount,
  prepareLead,
} from '../../shared/domain/accounts/lookup-keys.js';
import { localDynamoClient } from '../../shared/local-stack/dynamodb-local.js';
import { localContext } from '../../shared/local-stack/http-gateway.js';
import { localObservability } from '../../shared/local-stack/observability.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { createAccountSyncHandler } from '../../shared/runtime/handlers/account-sync.js';
import { generateEvaluationSet } from '../support/accounts-data.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';

const db = useDynamoDbLocal();
let sf: SalesforceEmulator;
let clock = new Date('2026-12-01T09:00:00Z');

beforeAll(async () => {
  forgetSalesforceSessions();
  sf = await startSalesforceEmulator({ clock: () => clock });
});
afterAll(async () => {
  await sf?.close();
});

function deps(index: DynamoAccountIndex) {
  const options = emulatorConnectionOptions(sf);
  return {
    source: new SalesforceAccountSource(() => salesforceConnection(options)),
    index,
    now: () => clock,
    newId: () => randomUUID(),
  };
}

describe('account sync from Salesforce into the DynamoDB index', () => {
  it('loads every account, then applies changes and deletions incrementally', async () => {
    const index = new DynamoAccountIndex({ doc: db.doc, tableName: await db.newTable() });
    const [acme, northwind, globex] = sf.store.insert('Account', [
      { Name: 'Acme Corporation', Website: 'https://www.acme.com', BillingCountry: 'US', Type: 'Customer' },
      { Name: 'Northwind Traders', Website: 'northwindtraders.com', BillingCountry: 'Canada' },
      { Name: 'Globex GmbH', BillingCountry: 'Germany' },
    ]);

    const full = await syncAccounts(deps(index), 'incremental');
    expect(full).toMatchObject({ mode: 'full', upserted: 3, removed: 0 });
    expect((await matchLeadToAccount({ email: 'jane@eu.acme.com' }, index)).match?.account.id).toBe(acme);
    expect((await matchLeadToAccount({ company: 'Globex', country: 'DE' }, index)).match?.account.id).toBe(
      globex,
    );
    expect((await matchLeadToAccount({ company: 'Northwind Tradres' }, index)).match?.account.id).toBe(
      northwind,
    );

    clock = new Date('2026-12-01T10:00:00Z');
    sf.store.update('Account', globex!, { Name: 'Initech GmbH' });
    sf.store.delete('Account', northwind!);
    const [hooli] = sf.store.insert('Account', { Name: 'Hooli Inc', Website: 'hooli.xyz' });
    clock = new Date('2026-12-01T10:05:00Z');

    const incremental = await syncAccounts(deps(index), 'incremental');
    // Globex renamed, Hooli new, and Acme re-read: it carries the newest stamp of the full load (reads are inclusive).
    expect(incremental).toMatchObject({ mode: 'incremental', upserted: 3, removed: 1 });
    expect(await index.get(northwind!)).toBeUndefined();
    expect((await matchLeadToAccount({ email: 'x@northwindtraders.com' }, index)).match).toBeUndefined();
    expect((await matchLeadToAccount({ company: 'Northwind Traders' }, index)).match).toBeUndefined();
    expect((await matchLeadToAccount({ company: 'Globex' }, index)).match).toBeUndefined();
    expect((await matchLeadToAccount({ company: 'Initech' }, index)).match?.account.id).toBe(globex);
    expect((await matchLeadToAccount({ email: 'r@hooli.xyz' }, index)).match?.account.id).toBe(hooli);

    // Nothing changed: the next incremental run re-reads at most the last second and removes nothing.
    clock = new Date('2026-12-01T10:20:00Z');
    const quiet = await syncAccounts(deps(index), 'incremental');
    expect(quiet.mode).toBe('incremental');
    expect(quiet.removed).toBe(0);
    expect(quiet.upserted).toBe(2);
  });

  it('a full load removes accounts Salesforce no longer has, even past the delete log', async () => {
    const index = new DynamoAccountIndex({ doc: db.doc, tableName: await db.newTable() });
    await index.upsert([
      { id: '001000000000099AAA', name: 'Ghost Ltd', systemModstamp: '2020-01-01T00:00:00.000Z' },
    ]);
    const summary = await syncAccounts(deps(index), 'full');
    expect(summary.mode).toBe('full');
    expect(summary.removed).toBe(1);
    expect(await index.get('001000000000099AAA')).toBeUndefined();
    expect((await matchLeadToAccount({ company: 'Ghost' }, index)).match).toBeUndefined();
  });

  it('matches the same as the in-memory index on a generated set', async () => {
    const index = new DynamoAccountIndex({ doc: db.doc, tableName: await db.newTable() });
    const set = generateEvaluationSet({ accounts: 300, leads: 200, seed: 5 });
    await index.upsert(set.accounts.map((a) => ({ ...a, systemModstamp: '2026-12-01T00:00:00.000Z' })));
    const memory = new InMemoryAccountIndex(set.accounts);
    for (const lead of set.leads) {
      expect((await matchLeadToAccount(lead, index)).match?.account.id).toBe(
        memory.match(lead).match?.account.id,
      );
    }
  });

  it('after a full load, leads matched together check keys in batches and query only keys with accounts', async () => {
    const tableName = await db.newTable();
    const index = new DynamoAccountIndex({ doc: db.doc, tableName });
    const set = generateEvaluationSet({ accounts: 300, leads: 200, seed: 7 });
    const loadId = randomUUID();
    await index.upsert(
      set.accounts.map((a) => ({ ...a, systemModstamp: '2026-12-01T00:00:00.000Z' })),
      loadId,
    );
    await index.removeNotLoaded(loadId);

    // A second reader, as a warm intake container would be, counting what it sends.
    const sent: Record<string, number> = {};
    const client = localDynamoClient(db.db.endpoint);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        sent[context.commandName ?? '?'] = (sent[context.commandName ?? '?'] ?? 0) + 1;
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
    const reader = new DynamoAccountIndex({ doc: DynamoDBDocumentClient.from(client), tableName });
    const memory = new InMemoryAccountIndex(set.accounts);
    const matched = await Promise.all(set.leads.map((lead) => matchLeadToAccount(lead, reader)));
    expect(matched.map((m) => m.match?.account.id)).toEqual(
      set.leads.map((lead) => memory.match(lead).match?.account.id),
    );

    const filed = new Set(set.accounts.flatMap((a) => accountKeys(prepareAccount(a))));
    const asked = set.leads.flatMap((lead) => {
      const k = leadKeys(prepareLead(lead));
      return [...k.exact, ...k.fuzzy];
    });
    // Every key a query read has an account; keys were checked 100 to a read, not one by one.
    expect(sent.QueryCommand ?? 0).toBeLessThanOrEqual(asked.filter((k) => filed.has(k)).length);
    expect(sent.QueryCommand ?? 0).toBeLessThan(asked.length / 4);
    expect(sent.BatchGetItemCommand ?? 0).toBeLessThanOrEqual(Math.ceil(asked.length / 100) + 4);
    client.destroy();
  });

  it('an index filed before key markers existed is still matched in full until a full load', async () => {
    const tableName = await db.newTable();
    const index = new DynamoAccountIndex({ doc: db.doc, tableName });
    await index.upsert([
      { id: '001B', name: 'Northwind Traders', systemModstamp: '2026-01-01T00:00:00.000Z' },
    ]);
    // As an older version filed it: the account's entries, no markers.
    for (const key of accountKeys(prepareAccount({ id: '001B', name: 'Northwind Traders' }))) {
      await db.doc.send(new DeleteCommand({ TableName: tableName, Key: { PK: `ACCTKEY#${key}`, SK: '#' } }));
    }
    const reader = new DynamoAccountIndex({ doc: db.doc, tableName });
    expect((await matchLeadToAccount({ company: 'Northwind Traders' }, reader)).match?.account.id).toBe(
      '001B',
    );
    expect((await matchLeadToAccount({ company: 'Northwind Tradres' }, reader)).match?.account.id).toBe(
      '001B',
    );
  });

  it('refiles an account under its new keys and drops the old ones', async () => {
    const index = new DynamoAccountIndex({ doc: db.doc, tableName: await db.newTable() });
    await index.upsert([
      { id: '001A', name: 'Old Name Ltd', website: 'old.com', systemModstamp: '2026-01-01T00:00:00.000Z' },
    ]);
    await index.upsert([
      { id: '001A', name: 'New Name Ltd', website: 'new.com', systemModstamp: '2026-01-02T00:00:00.000Z' },
    ]);
    expect(await index.lookup(['d:old.com', 'n:oldname'])).toEqual([]);
    expect((await index.lookup(['d:new.com']))[0]?.map((p) => p.account.name)).toEqual(['New Name Ltd']);
    expect(await index.remove(['001A', '001UNKNOWN'])).toBe(1);
    expect(await index.lookup(['d:new.com', 'n:newname'])).toEqual([]);
  });
});

describe('a full load of a large org through a Bulk API 2.0 query job', () => {
  // Bulk API 2.0 query (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm):
  // POST jobs/query, poll until JobComplete, GET results pages with maxRecords, following Sforce-Locator until "null".
  it('reads every account page by page from one job, deletes the job, and syncs changes by SOQL afterwards', async () => {
    const index = new DynamoAccountIndex({ doc: db.doc, tableName: await db.newTable() });
    sf.store.insert(
      'Account',
      Array.from({ length: 7 }, (_, i) => ({ Name: `Bulk Loaded ${i} Ltd`, Website: `bulkloaded${i}.com` })),
    );
    const source = new SalesforceAccountSource(() => salesforceConnection(emulatorConnectionOptions(sf)), {
      bulkThreshold: 5,
      bulkPageSize: 3,
      bulkPollIntervalMs: 10,
    });
    const accounts = sf.store.count('Account');
    sf.resetCalls();
    const full = await syncAccounts({ source, index, now: () => clock, newId: randomUUID }, 'full');
    expect(full).toMatchObject({ mode: 'full', upserted: accounts, pages: Math.ceil(accounts / 3) });
    // One COUNT() query decides; then create + polls + one results call a page + delete.
    expect(sf.calls().query).toBe(1);
    expect(sf.calls().bulk).toBeGreaterThanOrEqual(2 + Math.ceil(accounts / 3));
    expect((await matchLeadToAccount({ email: 'x@bulkloaded6.com' }, index)).match?.account.name).toBe(
      'Bulk Loaded 6 Ltd',
    );
    const connection = await salesforceConnection(emulatorConnectionOptions(sf));
    await expect(
      connection.request(`/services/data/v62.0/jobs/query/${'750EQ0000000001'}`),
    ).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });

    sf.resetCalls();
    const incremental = await syncAccounts(
      { source, index, now: () => clock, newId: randomUUID },
      'incremental',
    );
    expect(incremental.mode).toBe('incremental');
    expect(sf.calls().bulk ?? 0).toBe(0);
  });

  it('the emulator refuses a query job Bulk API 2.0 cannot run and a results read before the job completes', async () => {
    const connection = await salesforceConnection(emulatorConnectionOptions(sf));
    const create = (query: string) =>
      connection.request({
        method: 'POST',
        url: '/services/data/v62.0/jobs/query',
        body: JSON.stringify({ operation: 'query', query }),
        headers: { 'Content-Type': 'application/json' },
      });
    // The guide's SOQL considerations: no GROUP BY, OFFSET or aggregate functions.
    for (const query of [
      'SELECT COUNT() FROM Account',
      'SELECT Type, COUNT(Id) FROM Account GROUP BY Type',
      'SELECT Id FROM Account LIMIT 5 OFFSET 2',
    ]) {
      await expect(create(query), query).rejects.toMatchObject({ errorCode: 'INVALIDJOB' });
    }
    await expect(create('SELECT Nope__c FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
  });
});

describe('account sync on a schedule and from the CLI', () => {
  it('the scheduled handler loads every account first, then only changes, and refuses an unknown mode', async () => {
    const tableName = await db.newTable();
    const { apiVersion: _v, ...credentials } = emulatorConnectionOptions(sf);
    const cfg = parseConfig({
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: db.db.endpoint,
      SALESFORCE_CREDENTIALS: JSON.stringify(credentials),
    });
    const handler = createAccountSyncHandler(cfg, { doc: db.doc, observability: localObservability });
    sf.store.insert(
      'Account',
      ['Alder', 'Birch', 'Cedar', 'Dogwood'].map((tree) => ({ Name: `${tree} Holdings Ltd` })),
    );
    clock = new Date(clock.getTime() + 60_000);
    sf.store.insert('Account', { Name: 'Elm Holdings Ltd' });
    const accounts = sf.store.count('Account');

    // The schedule sends {}: with nothing stored yet that is a full load.
    expect(await handler({}, localContext())).toMatchObject({ mode: 'full', upserted: accounts, removed: 0 });
    clock = new Date(clock.getTime() + 60 * 60_000);
    const [fresh] = sf.store.insert('Account', {
      Name: 'Scheduled Widgets Ltd',
      Website: 'scheduledwidgets.io',
    });
    const next = await handler({}, localContext());
    // Only what changed since the newest stamp stored (re-read inclusively): Elm and the new account.
    expect(next).toMatchObject({ mode: 'incremental', upserted: 2, removed: 0 });
    const index = new DynamoAccountIndex({ doc: db.doc, tableName });
    expect((await matchLeadToAccount({ email: 'a@scheduledwidgets.io' }, index)).match?.account.id).toBe(
      fresh,
    );

    await expect(handler({ mode: 'sometimes' }, localContext())).rejects.toThrow(/mode/);
  });

  it('`accounts sync` loads, then syncs incrementally, and `--full` reloads', async () => {
    const tableName = await db.newTable();
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      out.push(args.join(' '));
    });
    const env = { ...process.env };
    Object.assign(process.env, { SF_EMULATOR_PORT: new URL(sf.url).port });
    const sync = (...flags: string[]) =>
      runCli(['accounts', 'sync', '--endpoint', db.db.endpoint, '--table', tableName, ...flags]);
    try {
      expect(await sync('--json')).toBe(0);
      expect(JSON.parse(out.join('\n'))).toMatchObject({ mode: 'full', upserted: sf.store.count('Account') });
      out.length = 0;
      expect(await sync()).toBe(0);
      expect(out.join('\n')).toMatch(
        /^incremental sync: \d+ accounts stored in 1 page\(s\), 0 removed; next sync reads changes from 20\d\d-/,
      );
      out.length = 0;
      expect(await sync('--full')).toBe(0);
      expect(out.join('\n')).toMatch(new RegExp(`^full load: ${sf.store.count('Account')} accounts stored`));
    } finally {
      log.mockRestore();
      process.env = env;
    }
  });

  it('`accounts sync` says why when Salesforce cannot be reached, and stores nothing', async () => {
    const tableName = await db.newTable();
    const errors: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.join(' '));
    });
    const env = { ...process.env };
    // A port nothing listens on any more: the emulator is "down".
    const port = await closedPort();
    Object.assign(process.env, { SF_EMULATOR_PORT: String(port) });
    try {
      expect(await runCli(['accounts', 'sync', '--endpoint', db.db.endpoint, '--table', tableName])).toBe(1);
    } finally {
      error.mockRestore();
      process.env = env;
    }
    expect(errors.join('\n')).toMatch(
      new RegExp(
        `^error: cannot reach Salesforce at http://127.0.0.1:${port}: fetch failed \\(ECONNREFUSED\\)`,
      ),
    );
    const index = new DynamoAccountIndex({ doc: db.doc, tableName });
    expect(await index.readSyncState()).toBeUndefined();
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
