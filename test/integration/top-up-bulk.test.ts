import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox.js';
import { DynamoTerritoryStore } from '../../shared/adapters/dynamodb/territory-store.js';
import { postalCentroid } from '../../shared/adapters/postal/centroids.js';
import { SalesforceBulkOwnerWriter } from '../../shared/adapters/salesforce/bulk-owner-writer.js';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { SalesforceOwnerGateway } from '../../shared/adapters/salesforce/owner-gateway.js';
import { ensureProductionModel } from '../../shared/application/territories/publish.js';
import { runTopUp } from '../../shared/application/topup/run-top-up.js';
import { drainOutbox } from '../../shared/application/write-back/drain-outbox.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { DEMO_ORG_ENV } from '../../shared/local-stack/demo-org-ids.js';
import {
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { toSalesforceDateTime } from '../../shared/local-stack/salesforce-emulator/values.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { topUpDeps } from '../../shared/runtime/top-up.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';

const t = useDynamoDbLocal();
const QUEUE = toId18('00GTR0000000001');
const REVIEW = toId18('00GTR0000000002');
const REP1 = toId18('005TR0000000001');
const REP2 = toId18('005TR0000000002');

const MODEL = `
name: Bulk test
timeZone: America/Toronto
defaultOwner: review
queues:
  - { key: intake, id: ${QUEUE}, name: Lead Intake }
  - { key: review, id: ${REVIEW}, name: Lead Review }
reps:
  - { key: rep01, id: ${REP1}, name: Jane Doe }
  - { key: rep02, id: ${REP2}, name: Raj Patel }
territories:
  - { id: gta, name: GTA, priority: 1, expression: 'PostalCode STARTS WITH "M"', participants: [rep01, rep02] }
`;

let sf: SalesforceEmulator;
const connectionTo = (emulator: SalesforceEmulator) => () =>
  salesforceConnection({
    loginUrl: emulator.loginUrl,
    clientId: emulator.credentials.clientId,
    clientSecret: emulator.credentials.clientSecret,
    apiVersion: '62.0',
  });

function seed(emulator: SalesforceEmulator) {
  emulator.store.insert('User', [
    { Id: REP1, Name: 'Jane Doe', IsActive: true },
    { Id: REP2, Name: 'Raj Patel', IsActive: true },
  ]);
  emulator.store.insert('Group', [
    { Id: QUEUE, Name: 'Lead Intake', Type: 'Queue' },
    { Id: REVIEW, Name: 'Lead Review', Type: 'Queue' },
  ]);
}

function poolLeads(emulator: SalesforceEmulator, n: number): string[] {
  return emulator.store.insert(
    'Lead',
    Array.from({ length: n }, (_, i) => ({
      LastName: `Pool ${i}`,
      Company: `Co ${i}`,
      Country: 'Canada',
      PostalCode: 'M5V 3L9',
      Status: 'Open - Not Contacted',
      OwnerId: QUEUE,
      CreatedDate: toSalesforceDateTime(Date.parse('2026-11-01T00:00:00Z') + i * 60_000),
    })),
  );
}

beforeAll(async () => {
  sf = await startSalesforceEmulator();
  seed(sf);
});
afterAll(async () => {
  await sf?.close();
});
beforeEach(() => {
  sf.faults.clear();
  forgetSalesforceSessions();
});

async function scan(table: string, prefix: string) {
  const out = await t.doc.send(
    new ScanCommand({
      TableName: table,
      FilterExpression: 'begins_with(PK, :p)',
      ExpressionAttributeValues: { ':p': prefix },
    }),
  );
  return out.Items ?? [];
}

describe('a top-up run above the bulk threshold', () => {
  it('writes owners in one Bulk API 2.0 job and reports failed records: retried when retryable, failed otherwise', async () => {
    const table = await t.newTable();
    const cfg = parseConfig({
      ...DEMO_ORG_ENV,
      TABLE_NAME: table,
      INTAKE_QUEUE_IDS: QUEUE,
      TOP_UP_BULK_THRESHOLD: '5',
      TOP_UP_BULK_POLL_INTERVAL_MS: '20',
      CAPACITY_RULES: JSON.stringify({ defaults: { maxOpen: 250, maxNew: 40, minInProgressRatio: 0 } }),
    });
    await ensureProductionModel(
      { store: new DynamoTerritoryStore({ doc: t.doc, tableName: table }), postalCentroid },
      { text: MODEL },
    );
    const ids = poolLeads(sf, 20);
    const [deleted, lockedA, lockedB] = [ids[0]!, ids[1]!, ids[2]!];
    sf.faults.set({ lockedRows: { ids: [lockedA, lockedB] } });
    sf.resetCalls();

    let removed = false;
    const outcome = await runTopUp(
      {
        // Someone deletes a lead while the run records its allocations.
        onProgress: (p) => {
          if (p.phase === 'apply' && !removed) {
            removed = true;
            sf.store.table('Lead').delete(deleted);
          }
        },
      },
      topUpDeps(cfg, { doc: t.doc, connection: connectionTo(sf) }),
    );
    if (outcome.status !== 'completed') throw new Error(outcome.status);
    expect(outcome.summary).toMatchObject({
      allocated: 20,
      writeBack: { mode: 'bulk', written: 17, failed: 1, retrying: 2 },
    });

    const calls = sf.calls();
    expect(calls.collections ?? 0).toBe(0);
    expect(calls.bulk).toBeLessThanOrEqual(8);

    const outbox = await scan(table, 'OUTBOX#');
    const byLead = new Map(outbox.map((o) => [String(o.recordId), o]));
    expect(outbox.filter((o) => o.status === 'written')).toHaveLength(17);
    expect(byLead.get(deleted)).toMatchObject({ status: 'failed', errorCode: 'ENTITY_IS_DELETED' });
    for (const id of [lockedA, lockedB]) {
      expect(byLead.get(id)).toMatchObject({ status: 'bulk', GSI1PK: 'OUTBOX#PENDING' });
      expect(String(byLead.get(id)?.lastError)).toMatch(/^UNABLE_TO_LOCK_ROW/);
    }
    // The deleted lead never reached its rep: its counters were taken back.
    const counters = await scan(table, 'REP#');
    const pending = counters.reduce((sum, c) => sum + Number(c.pending), 0);
    const fresh = counters.reduce((sum, c) => sum + Number(c.newLeads), 0);
    expect({ pending, fresh }).toEqual({ pending: 2, fresh: 19 });

    // The locks clear; the write-back sweeper finishes the two through collections.
    sf.faults.clear();
    const later = () => new Date(Date.now() + 10 * 60_000);
    const summary = await drainOutbox({
      outbox: new DynamoOutbox(t.doc, table),
      crm: new SalesforceOwnerGateway(connectionTo(sf), { reasonField: 'Routing_Reason__c' }),
      now: later,
      reasonMaxLength: 255,
      maxAttempts: 5,
    });
    expect(summary).toMatchObject({ written: 2, failed: 0 });
    const owners = sf.query(
      `SELECT Id, OwnerId, Routing_Reason__c FROM Lead WHERE Id IN ('${ids.slice(1).join("','")}')`,
    );
    expect(owners.records).toHaveLength(19);
    expect(owners.records.every((r) => r.OwnerId === REP1 || r.OwnerId === REP2)).toBe(true);
    expect(
      owners.records.every(
        (r) =>
          /^→ [^;]+, top-up; top-up run \S+:/.test(String(r.Routing_Reason__c)) &&
          String(r.Routing_Reason__c).includes(`top-up run ${outcome.runId}:`),
      ),
    ).toBe(true);
  });
});

describe('a top-up run whose Bulk API 2.0 job fails as a whole', () => {
  // "Failed: The job couldn't be processed successfully" (its job info carries errorMessage):
  // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_bulk_v2/bulk_api_2_job_states.htm
  // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_info.htm
  it('loses nothing: every lead goes to the write-back, which writes each one through collections', async () => {
    const table = await t.newTable();
    const cfg = parseConfig({
      ...DEMO_ORG_ENV,
      TABLE_NAME: table,
      INTAKE_QUEUE_IDS: QUEUE,
      TOP_UP_BULK_THRESHOLD: '5',
      TOP_UP_BULK_POLL_INTERVAL_MS: '20',
      CAPACITY_RULES: JSON.stringify({ defaults: { maxOpen: 250, maxNew: 40, minInProgressRatio: 0 } }),
    });
    await ensureProductionModel(
      { store: new DynamoTerritoryStore({ doc: t.doc, tableName: table }), postalCentroid },
      { text: MODEL },
    );
    // Leads earlier tests left in the queue join this run's pool too.
    for (const lead of sf.store.records('Lead'))
      if (lead.OwnerId === QUEUE) sf.store.update('Lead', String(lead.Id), { OwnerId: REVIEW });
    const ids = poolLeads(sf, 8);
    sf.faults.set({
      bulkJobFailure: { message: 'InvalidBatch : Field name not found : Routing_Reason__c' },
    });

    const outcome = await runTopUp({}, topUpDeps(cfg, { doc: t.doc, connection: connectionTo(sf) }));
    if (outcome.status !== 'completed') throw new Error(outcome.status);
    expect(outcome.summary).toMatchObject({
      allocated: 8,
      writeBack: { mode: 'bulk', written: 0, failed: 0, retrying: 8 },
    });
    expect(ids.every((id) => sf.store.get('Lead', id)?.OwnerId === QUEUE)).toBe(true);
    const outbox = await scan(table, 'OUTBOX#');
    expect(outbox).toHaveLength(8);
    for (const item of outbox) {
      expect(item).toMatchObject({ status: 'bulk', GSI1PK: 'OUTBOX#PENDING' });
      expect(String(item.lastError)).toMatch(
        /^BULK_JOB_FAILED: Bulk job \w+: Ingest job failed to complete due to: InvalidBatch : Field name not found/,
      );
    }

    sf.resetCalls();
    const summary = await drainOutbox({
      outbox: new DynamoOutbox(t.doc, table),
      crm: new SalesforceOwnerGateway(connectionTo(sf), { reasonField: 'Routing_Reason__c' }),
      now: () => new Date(Date.now() + 10 * 60_000),
      reasonMaxLength: 255,
      maxAttempts: 5,
    });
    expect(summary).toMatchObject({ written: 8, failed: 0, retrying: 0 });
    expect(sf.calls().bulk ?? 0).toBe(0);
    expect(ids.every((id) => String(sf.store.get('Lead', id)?.OwnerId).startsWith('005'))).toBe(true);
  });
});

describe('SalesforceBulkOwnerWriter', () => {
  it('maps each record of the job to a result, with Salesforce’s code and whether a retry may help', async () => {
    const [ok, locked] = poolLeads(sf, 2);
    sf.faults.set({ lockedRows: { ids: [locked!] } });
    const gone = toId18('00QEM0000009999');
    const writer = new SalesforceBulkOwnerWriter(connectionTo(sf), {
      reasonField: 'Routing_Reason__c',
      pollIntervalMs: 20,
    });
    const results = await writer.updateOwnersInBulk(
      [ok!, locked!, gone].map((recordId) => ({
        recordId,
        objectType: 'Lead' as const,
        ownerId: REP1,
        reason: 'bulk, "quoted" reason',
      })),
    );
    expect(results).toEqual([
      { recordId: ok, ok: true },
      {
        recordId: locked,
        ok: false,
        errorCode: 'UNABLE_TO_LOCK_ROW',
        message: expect.any(String),
        retryable: true,
      },
      {
        recordId: gone,
        ok: false,
        errorCode: 'ENTITY_IS_DELETED',
        message: 'entity is deleted',
        retryable: false,
      },
    ]);
    expect(sf.store.get('Lead', ok!)).toMatchObject({
      OwnerId: REP1,
      Routing_Reason__c: 'bulk, "quoted" reason',
    });
  });

  it('refuses before creating a job when the reason field is not in the org, naming the setting', async () => {
    const [id] = poolLeads(sf, 1);
    const writer = new SalesforceBulkOwnerWriter(connectionTo(sf), {
      reasonField: 'No_Such_Field__c',
      pollIntervalMs: 20,
    });
    await expect(
      writer.updateOwnersInBulk([{ recordId: id!, objectType: 'Lead', ownerId: REP1, reason: 'x' }]),
    ).rejects.toThrow(/Lead\.No_Such_Field__c \(ROUTING_REASON_FIELD\) is not a field of this org/);
    expect(sf.store.get('Lead', id!)?.OwnerId).toBe(QUEUE);
  });

  it('reports every record of a job that failed as a whole as retryable, with Salesforce’s errorMessage', async () => {
    const ids = poolLeads(sf, 3);
    sf.faults.set({ bulkJobFailure: { message: 'InvalidBatch : Failed to process the job' } });
    const writer = new SalesforceBulkOwnerWriter(connectionTo(sf), {
      reasonField: 'Routing_Reason__c',
      pollIntervalMs: 20,
    });
    const results = await writer.updateOwnersInBulk(
      ids.map((recordId) => ({ recordId, objectType: 'Lead' as const, ownerId: REP1, reason: 'x' })),
    );
    expect(results).toEqual(
      ids.map((recordId) => ({
        recordId,
        ok: false,
        errorCode: 'BULK_JOB_FAILED',
        message: expect.stringMatching(
          /^Bulk job 750\w+: Ingest job failed to complete due to: InvalidBatch : Failed to process the job$/,
        ),
        retryable: true,
      })),
    );
    expect(ids.every((id) => sf.store.get('Lead', id)?.OwnerId === QUEUE)).toBe(true);
    // The fault was one job's: the next job runs.
    const [again] = await writer.updateOwnersInBulk([
      { recordId: ids[0]!, objectType: 'Lead', ownerId: REP1, reason: 'y' },
    ]);
    expect(again).toEqual({ recordId: ids[0], ok: true });
  });

  it('reports a job that outruns the poll timeout as retryable, for every record', async () => {
    const slow = await startSalesforceEmulator({ bulkProcessingDelayMs: 2000 });
    try {
      seed(slow);
      const ids = poolLeads(slow, 3);
      const writer = new SalesforceBulkOwnerWriter(connectionTo(slow), {
        reasonField: 'Routing_Reason__c',
        pollTimeoutMs: 300,
        pollIntervalMs: 50,
      });
      const results = await writer.updateOwnersInBulk(
        ids.map((recordId) => ({
          recordId,
          objectType: 'Lead' as const,
          ownerId: REP2,
          reason: randomUUID(),
        })),
      );
      expect(results.every((r) => !r.ok && r.errorCode === 'JOB_POLLING_TIMEOUT' && r.retryable)).toBe(true);
    } finally {
      await slow.close();
    }
  });
});
