import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox.js';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { SalesforceOwnerGateway } from '../../shared/adapters/salesforce/owner-gateway.js';
import { drainOutbox } from '../../shared/application/write-back/drain-outbox.js';
import type { WriteBackDeps } from '../../shared/application/write-back/write-back-owners.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';

const t = useDynamoDbLocal();
const QUEUE = toId18('00GTR0000000001');
const REP = toId18('005TR0000000001');
const OTHER = toId18('005TR0000000002');
let sf: SalesforceEmulator;

beforeAll(async () => {
  sf = await startSalesforceEmulator();
  sf.store.insert('User', [
    { Id: REP, Name: 'Jane Doe', IsActive: true },
    { Id: OTHER, Name: 'Raj Patel', IsActive: true },
  ]);
  sf.store.insert('Group', [{ Id: QUEUE, Name: 'Lead Intake', Type: 'Queue' }]);
});
afterAll(async () => {
  await sf?.close();
});
beforeEach(() => {
  sf.faults.clear();
  forgetSalesforceSessions();
});

/** A clock the test moves forward so rescheduled items become due. */
function clock(start = '2026-11-22T15:00:00Z') {
  let now = new Date(start);
  return { now: () => now, advance: (seconds: number) => (now = new Date(now.getTime() + seconds * 1000)) };
}

async function setup(leadCount: number, options: { reason?: string } = {}) {
  const table = await t.newTable();
  const ledger = new DynamoAssignmentLedger(t.doc, table);
  const ids = sf.store.insert(
    'Lead',
    Array.from({ length: leadCount }, (_, i) => ({
      LastName: `Lead ${i}`,
      Company: `Co ${i}`,
      OwnerId: QUEUE,
      Status: 'Open - Not Contacted',
    })),
  );
  for (const leadId of ids) {
    const result = await ledger.recordAssignment({
      notificationId: randomUUID(),
      leadId,
      previousOwnerId: QUEUE,
      ownerId: REP,
      ownerKind: 'rep',
      territoryId: 'T1',
      reason: options.reason ?? `Territory "Toronto Core" → Jane Doe`,
      trace: {},
      source: 'intake',
      capacity: { maxOpen: 1000, maxNew: 1000, initialNewLimitByRatio: 1000 },
      replaceableOwnerIds: [QUEUE],
      at: '2026-11-22T14:59:00.000Z',
      changeId: randomUUID(),
    });
    expect(result.ok).toBe(true);
  }
  const c = clock();
  const deps: WriteBackDeps = {
    outbox: new DynamoOutbox(t.doc, table),
    crm: new SalesforceOwnerGateway(() => salesforceConnection(emulatorConnectionOptions(sf)), {
      reasonField: 'Routing_Reason__c',
    }),
    now: c.now,
    reasonMaxLength: 80,
    maxAttempts: 5,
  };
  sf.resetCalls();
  return { table, ids, deps, clock: c };
}

const owner = (id: string) => sf.store.get('Lead', id)?.OwnerId;

describe('write-back to Salesforce through the outbox', () => {
  it('writes owner and reason for 100 leads with one query and one collections call', async () => {
    const { ids, deps } = await setup(100);
    const summary = await drainOutbox(deps);
    expect(summary).toMatchObject({ written: 100, failed: 0, retrying: 0 });
    for (const id of ids) expect(owner(id)).toBe(REP);
    expect(sf.store.get('Lead', ids[0]!)?.Routing_Reason__c).toBe('Territory "Toronto Core" → Jane Doe');
    const calls = sf.calls();
    expect((calls.query ?? 0) + (calls.collections ?? 0)).toBe(2);
  });

  it('cuts a long reason to the field length at a word boundary', async () => {
    const { ids, deps } = await setup(1, {
      reason: `Territory "Toronto Core" ${'matched PostalCode starts with M5 '.repeat(6)}`,
    });
    await drainOutbox(deps);
    const reason = String(sf.store.get('Lead', ids[0]!)?.Routing_Reason__c);
    expect(reason.length).toBeLessThanOrEqual(80);
    expect(reason.endsWith('…')).toBe(true);
  });

  it('splits 450 leads into collections calls of at most 200', async () => {
    const { ids, deps } = await setup(450);
    await drainOutbox(deps);
    expect(ids.every((id) => owner(id) === REP)).toBe(true);
    // One ownership check (a Collections retrieve of up to 2,000) and three updates.
    expect(sf.calls().collections).toBe(4);
    expect(sf.calls().query ?? 0).toBe(0);
  });

  it('keeps the owner a person chose meanwhile and records why', async () => {
    const { table, ids, deps } = await setup(2);
    sf.store.update('Lead', ids[0]!, { OwnerId: OTHER });
    const summary = await drainOutbox(deps);
    expect(summary).toMatchObject({ written: 1, skipped: 1 });
    expect(owner(ids[0]!)).toBe(OTHER);
    const rep = await t.doc.send(new GetCommand({ TableName: table, Key: keys.rep(REP) }));
    // The skipped lead never reached the rep: counters give it back.
    expect(rep.Item).toMatchObject({ openLeads: 1, newLeads: 1, pending: 0 });
  });

  it('retries locked rows until they are written', async () => {
    const { ids, deps, clock: c } = await setup(5);
    sf.faults.set({ lockedRows: { ids: [ids[1]!, ids[3]!], times: 2 } });
    let summary = await drainOutbox(deps);
    expect(summary).toMatchObject({ written: 3, retrying: 2 });
    for (let round = 0; round < 4 && ids.some((id) => owner(id) !== REP); round++) {
      c.advance(3600);
      summary = await drainOutbox(deps);
    }
    expect(ids.every((id) => owner(id) === REP)).toBe(true);
  });

  it('backs off on REQUEST_LIMIT_EXCEEDED and writes everything once the limit clears', async () => {
    const { ids, deps, clock: c } = await setup(10);
    sf.faults.set({ requestLimitExceeded: 1 });
    const first = await drainOutbox(deps);
    expect(first).toMatchObject({ written: 0, retrying: 10 });
    expect(ids.every((id) => owner(id) === QUEUE)).toBe(true);
    c.advance(3600);
    expect(await drainOutbox(deps)).toMatchObject({ written: 10 });
  });

  it('survives 503s and an expired session', async () => {
    const { ids, deps, clock: c } = await setup(10);
    sf.faults.set({ unavailable: 1, expireSessions: true });
    await drainOutbox(deps);
    c.advance(3600);
    await drainOutbox(deps);
    expect(ids.every((id) => owner(id) === REP)).toBe(true);
  });

  it('skips a lead converted before its write-back as "skipped: converted", never retried or failed', async () => {
    // A converted lead can't be updated (CANNOT_UPDATE_CONVERTED_LEAD): https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_lead.htm
    const { table, ids, deps, clock: c } = await setup(3);
    sf.store.update('Lead', ids[1]!, { IsConverted: true, ConvertedDate: '2026-11-22' });
    const summary = await drainOutbox(deps);
    expect(summary).toMatchObject({ written: 2, skipped: 1, failed: 0, retrying: 0 });
    expect(owner(ids[1]!)).toBe(QUEUE);
    const outbox = await t.doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.outbox(ids[1]!, 'x').PK },
      }),
    );
    expect(outbox.Items?.[0]).toMatchObject({ status: 'skipped', detail: 'skipped: converted' });
    // Nothing comes back for another attempt, and the rep's counters give the lead back.
    c.advance(7200);
    sf.resetCalls();
    expect(await drainOutbox(deps)).toMatchObject({
      written: 0,
      skipped: 0,
      failed: 0,
      retrying: 0,
      calls: 0,
    });
    const rep = await t.doc.send(new GetCommand({ TableName: table, Key: keys.rep(REP) }));
    expect(rep.Item).toMatchObject({ openLeads: 2, pending: 0 });
  });

  it('refuses to write when the org lacks the reason field, naming the setting, before any update', async () => {
    const { ids, deps } = await setup(2);
    const crm = new SalesforceOwnerGateway(() => salesforceConnection(emulatorConnectionOptions(sf)), {
      reasonField: 'Missing_Reason__c',
    });
    await expect(drainOutbox({ ...deps, crm })).rejects.toThrow(
      /Lead\.Missing_Reason__c \(ROUTING_REASON_FIELD\) is not a field of this org/,
    );
    expect(ids.map(owner)).toEqual([QUEUE, QUEUE]);
    expect(sf.calls().collections ?? 0).toBe(1); // the ownership check only, no update
  });

  it('reports a record Salesforce no longer has as failed, never silently dropped', async () => {
    const { table, deps } = await setup(0);
    const ledger = new DynamoAssignmentLedger(t.doc, table);
    const ghost = toId18('00QTR0000009999');
    const changeId = randomUUID();
    await ledger.recordAssignment({
      notificationId: randomUUID(),
      leadId: ghost,
      previousOwnerId: QUEUE,
      ownerId: REP,
      ownerKind: 'default',
      territoryId: undefined,
      reason: 'x',
      trace: {},
      source: 'intake',
      replaceableOwnerIds: [QUEUE],
      at: '2026-11-22T14:59:00.000Z',
      changeId,
    });
    expect(await drainOutbox(deps)).toMatchObject({ failed: 1 });
    const item = await t.doc.send(new GetCommand({ TableName: table, Key: keys.outbox(ghost, changeId) }));
    expect(item.Item).toMatchObject({ status: 'failed', errorCode: 'NOT_FOUND' });
  });

  it('settles an item as failed after the last attempt, keeping the error', async () => {
    const { ids, deps, clock: c } = await setup(1);
    sf.faults.set({ lockedRows: { ids: [ids[0]!] } });
    for (let i = 0; i < 6; i++) {
      await drainOutbox(deps);
      c.advance(3600);
    }
    const due = await deps.outbox.due(c.now(), 10);
    expect(due).toHaveLength(0);
    expect(owner(ids[0]!)).toBe(QUEUE);
  });

  it('ends with every owner change written or reported failed under mixed faults, none lost', async () => {
    const { table, ids, deps, clock: c } = await setup(300);
    const alwaysLocked = ids.slice(0, 10);
    sf.faults.set({ lockedRows: { ids: alwaysLocked }, requestLimitExceeded: 1, unavailable: 1 });
    for (
      let round = 0;
      round < 12 && (await deps.outbox.due(new Date('2100-01-01'), 1)).length > 0;
      round++
    ) {
      await drainOutbox(deps);
      c.advance(3600);
    }
    const items = await Promise.all(
      ids.map(async (id) => {
        const out = await t.doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': `OUTBOX#${id}` },
          }),
        );
        return out.Items?.[0];
      }),
    );
    expect(items.every((i) => i !== undefined)).toBe(true);
    const status = (id: string) => items[ids.indexOf(id)]?.status;
    for (const id of ids) {
      if (alwaysLocked.includes(id)) {
        expect(status(id)).toBe('failed');
        expect(String(items[ids.indexOf(id)]?.detail)).toMatch(/UNABLE_TO_LOCK_ROW/);
        expect(owner(id)).toBe(QUEUE);
      } else {
        expect(status(id)).toBe('written');
        expect(owner(id)).toBe(REP);
      }
    }
    // 300 leads over up to 12 drains with retries and backoff: it ran past 120 s in a full run at load 17.
  }, 600_000);
});
