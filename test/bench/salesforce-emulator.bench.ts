import type { Connection } from '@jsforce/jsforce-node';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import {
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { bench, timeMs } from './harness.js';

/** Real jsforce against the emulator over HTTP: what a test or the local stack pays per record. */

interface State {
  sf: SalesforceEmulator;
  conn: Connection;
  leadIds: string[];
}

const LEADS = 10_000;
const UPDATES = 2000;
const COLLECTION_SIZE = 200;
const REPS = [toId18('005TR0000000001'), toId18('005TR0000000002')];
const QUEUE = toId18('00GTR0000000001');

async function setup(): Promise<State> {
  forgetSalesforceSessions();
  const sf = await startSalesforceEmulator({ dailyApiLimit: 1_000_000 });
  sf.store.insert(
    'User',
    REPS.map((Id, i) => ({ Id, LastName: `Rep ${i + 1}`, IsActive: true })),
  );
  sf.store.insert('Group', { Id: QUEUE, Name: 'Lead Intake', Type: 'Queue' });
  const leadIds = sf.store.insert(
    'Lead',
    Array.from({ length: LEADS }, (_, i) => ({
      LastName: `Lead ${i}`,
      Company: `Company ${i % 700}`,
      Status: i % 3 === 0 ? 'Working - Contacted' : 'Open - Not Contacted',
      OwnerId: i % 4 === 0 ? QUEUE : REPS[i % 2],
      PostalCode: 'M5V 3L9',
    })),
  );
  const conn = await salesforceConnection({
    loginUrl: sf.loginUrl,
    clientId: sf.credentials.clientId,
    clientSecret: sf.credentials.clientSecret,
    apiVersion: '62.0',
  });
  return { sf, conn, leadIds };
}

const teardown = (s: State) => s.sf.close();

/** Alternate owners between runs so every update really changes the record. */
let round = 0;

export const benches = [
  bench<State>({
    name: 'salesforce-emulator/query/10000-leads',
    unit: 'records/s',
    notes: 'SELECT of 7 fields with autoFetch: 1 query + 4 queryMore pages of 2,000',
    setup,
    teardown,
    run: async (s) => {
      let fetched = 0;
      const ms = await timeMs(async () => {
        const result = await s.conn.query(
          'SELECT Id, LastName, Company, Status, OwnerId, PostalCode, LastModifiedDate FROM Lead',
          { autoFetch: true, maxFetch: LEADS },
        );
        fetched = result.records.length;
      });
      if (fetched !== LEADS) throw new Error(`fetched ${fetched} of ${LEADS}`);
      return (fetched / ms) * 1000;
    },
  }),
  bench<State>({
    name: 'salesforce-emulator/aggregate/10000-leads',
    unit: 'queries/s',
    notes: 'SELECT OwnerId, Status, COUNT(Id) ... GROUP BY OwnerId, Status over 10,000 leads',
    setup,
    teardown,
    run: async (s) => {
      const queries = 20;
      const ms = await timeMs(async () => {
        for (let i = 0; i < queries; i++) {
          await s.conn.query('SELECT OwnerId, Status, COUNT(Id) cnt FROM Lead GROUP BY OwnerId, Status');
        }
      });
      return (queries / ms) * 1000;
    },
  }),
  bench<State>({
    name: 'salesforce-emulator/collections-update/2000-records',
    unit: 'records/s',
    baseline: 'salesforce-emulator/query/10000-leads',
    notes: '10 sequential sObject Collections PATCHes of 200 owner changes (allOrNone false)',
    setup,
    teardown,
    run: async (s) => {
      round += 1;
      const ownerId = REPS[round % 2]!;
      const ms = await timeMs(async () => {
        for (let start = 0; start < UPDATES; start += COLLECTION_SIZE) {
          const batch = s.leadIds
            .slice(start, start + COLLECTION_SIZE)
            .map((Id) => ({ Id, OwnerId: ownerId }));
          const results = await s.conn.sobject('Lead').update(batch, { allOrNone: false });
          if (results.some((r) => !r.success)) throw new Error('an update failed');
        }
      });
      return (UPDATES / ms) * 1000;
    },
  }),
  bench<State>({
    name: 'salesforce-emulator/bulk-update/10000-records',
    unit: 'records/s',
    baseline: 'salesforce-emulator/collections-update/2000-records',
    notes: 'one Bulk API 2.0 ingest job (CSV upload, close, poll every 10 ms, results)',
    runs: 3,
    setup,
    teardown,
    run: async (s) => {
      round += 1;
      const ownerId = REPS[round % 2]!;
      let succeeded = 0;
      const ms = await timeMs(async () => {
        const results = await s.conn.bulk2.loadAndWaitForResults({
          object: 'Lead',
          operation: 'update',
          input: s.leadIds.map((Id) => ({ Id, OwnerId: ownerId })),
          pollInterval: 10,
          pollTimeout: 60_000,
        });
        succeeded = results.successfulResults.length;
      });
      if (succeeded !== LEADS) throw new Error(`bulk updated ${succeeded} of ${LEADS}`);
      return (LEADS / ms) * 1000;
    },
  }),
];
