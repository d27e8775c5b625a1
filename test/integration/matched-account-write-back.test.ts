import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoAccountIndex } from '../../shared/adapters/dynamodb/account-index.js';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox.js';
import { SalesforceBulkOwnerWriter } from '../../shared/adapters/salesforce/bulk-owner-writer.js';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { forgetOrgFields } from '../../shared/adapters/salesforce/org-fields.js';
import { SalesforceOwnerGateway } from '../../shared/adapters/salesforce/owner-gateway.js';
import { accountEnricher } from '../../shared/application/accounts/enrich-lead.js';
import { drainOutbox } from '../../shared/application/write-back/drain-outbox.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { intakeOnModel } from '../support/intake-endpoint.js';

/**
 * The write-back sets the optional Matched_Account__c lookup (MATCHED_ACCOUNT_FIELD) to the account
 * intake matched, in the same update as OwnerId. What a real org refuses in a lookup, the emulator
 * refuses too (https://www.salto.io/blog-posts/invalid-cross-reference-id): not an id → MALFORMED_ID,
 * an existing record of another object → FIELD_INTEGRITY_EXCEPTION, an id of no record →
 * INVALID_CROSS_REFERENCE_KEY; an unknown field → INVALID_FIELD.
 */

const t = useDynamoDbLocal();
const QUEUE = toId18('00GTR0000000001');
const REP = toId18('005TR0000000001');
const FIELD = 'Matched_Account__c';
let sf: SalesforceEmulator;
let bare: SalesforceEmulator;
let acme: string;
let globex: string;

beforeAll(async () => {
  [sf, bare] = await Promise.all([
    startSalesforceEmulator(),
    startSalesforceEmulator({ packageFields: 'required' }),
  ]);
  for (const org of [sf, bare]) {
    org.store.insert('User', [{ Id: REP, FirstName: 'Jane', LastName: 'Doe', IsActive: true }]);
    org.store.insert('Group', [{ Id: QUEUE, Name: 'Lead Intake', Type: 'Queue' }]);
  }
  [acme, globex] = sf.store.insert('Account', [
    { Name: 'Acme Corporation', Website: 'https://www.acme.com', OwnerId: REP },
    { Name: 'Globex GmbH', Website: 'globex.de', OwnerId: REP },
  ]) as [string, string];
});
afterAll(async () => {
  await Promise.all([sf?.close(), bare?.close()]);
});
beforeEach(() => {
  forgetSalesforceSessions();
  forgetOrgFields();
});

const MODEL = `
name: Lookup
defaultOwner: intake
queues: [{ key: intake, id: ${QUEUE}, name: Lead Intake }]
reps: [{ key: jane, id: ${REP}, name: Jane Doe }]
territories: [{ id: all, priority: 1, participants: [jane] }]
`;

/** Intake (with or without the lookup setting) over a fresh table whose account index has Acme and Globex. */
async function intake(org: SalesforceEmulator, matchedAccountField: string | undefined) {
  const table = await t.newTable();
  const index = new DynamoAccountIndex({ doc: t.doc, tableName: table });
  await index.upsert([
    {
      id: acme,
      name: 'Acme Corporation',
      website: 'acme.com',
      ownerId: REP,
      systemModstamp: '2026-11-01T00:00:00.000Z',
    },
    {
      id: globex,
      name: 'Globex GmbH',
      website: 'globex.de',
      ownerId: REP,
      systemModstamp: '2026-11-01T00:00:00.000Z',
    },
  ]);
  const handle = await intakeOnModel({ doc: t.doc, table }, MODEL, {
    replaceableOwnerIds: [QUEUE],
    matchAccount: accountEnricher(index),
    ...(matchedAccountField ? { matchedAccountField } : {}),
  });
  const deliver = async (leads: Array<Record<string, string>>) => {
    expect(await handle(leads)).toBe(200);
  };
  const writeBack = (field: string | undefined) =>
    drainOutbox({
      outbox: new DynamoOutbox(t.doc, table),
      crm: new SalesforceOwnerGateway(() => salesforceConnection(emulatorConnectionOptions(org)), {
        reasonField: 'Routing_Reason__c',
        ...(field ? { matchedAccountField: field } : {}),
      }),
      now: () => new Date('2026-11-24T15:01:00Z'),
      reasonMaxLength: 255,
      maxAttempts: 5,
    });
  const outboxItem = async (leadId: string) => {
    const { Items } = await t.doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `OUTBOX#${leadId}` },
      }),
    );
    return Items?.[0];
  };
  return { deliver, writeBack, outboxItem };
}

function newLead(org: SalesforceEmulator, fields: Record<string, string>): string {
  const [id] = org.store.insert('Lead', {
    LastName: 'Lead',
    OwnerId: QUEUE,
    Status: 'Open - Not Contacted',
    ...fields,
  });
  return id!;
}

describe('the write-back sets the matched-account lookup', () => {
  it('sets OwnerId and Matched_Account__c on the lead in one update when the setting is on', async () => {
    const { deliver, writeBack, outboxItem } = await intake(sf, FIELD);
    const id = newLead(sf, { Company: 'ACME Corp.', Email: 'jane@eu.acme.com' });
    await deliver([{ Id: id, Company: 'ACME Corp.', Email: 'jane@eu.acme.com', OwnerId: QUEUE }]);
    expect((await outboxItem(id))?.matchedAccountId).toBe(acme);
    sf.resetCalls();
    expect(await writeBack(FIELD)).toMatchObject({ written: 1, failed: 0 });
    expect(sf.store.get('Lead', id)).toMatchObject({ OwnerId: REP, [FIELD]: acme });
    // One ownership check and one update: the lookup rides on the owner's update.
    expect(sf.calls().collections).toBe(2);
  });

  it('sends no lookup when the setting is off, and leaves a lookup a person set alone', async () => {
    const off = await intake(sf, undefined);
    const id = newLead(sf, { Company: 'Globex', Email: 'max@globex.de' });
    await off.deliver([{ Id: id, Company: 'Globex', Email: 'max@globex.de', OwnerId: QUEUE }]);
    expect((await off.outboxItem(id))?.matchedAccountId).toBeUndefined();
    await off.writeBack(FIELD);
    expect(sf.store.get('Lead', id)?.OwnerId).toBe(REP);
    expect(sf.store.get('Lead', id)?.[FIELD] ?? null).toBeNull();

    const on = await intake(sf, FIELD);
    const chosen = newLead(sf, { Company: 'Globex', Email: 'eve@globex.de', [FIELD]: acme });
    await on.deliver([
      { Id: chosen, Company: 'Globex', Email: 'eve@globex.de', OwnerId: QUEUE, [FIELD]: acme },
    ]);
    expect((await on.outboxItem(chosen))?.matchedAccountId).toBeUndefined();
    await on.writeBack(FIELD);
    expect(sf.store.get('Lead', chosen)).toMatchObject({ OwnerId: REP, [FIELD]: acme });
  });

  it('writes the owner without the lookup when the account is gone since the sync, and says so', async () => {
    const { deliver, writeBack, outboxItem } = await intake(sf, FIELD);
    const id = newLead(sf, { Company: 'Globex GmbH', Email: 'bo@globex.de' });
    await deliver([{ Id: id, Company: 'Globex GmbH', Email: 'bo@globex.de', OwnerId: QUEUE }]);
    // Globex merged away after the index last saw it.
    sf.store.delete('Account', globex);
    const summary = await writeBack(FIELD);
    expect(summary).toMatchObject({ written: 1, failed: 0 });
    expect((await outboxItem(id))?.detail).toBe(
      `Owner and reason written; ${FIELD} not set to ${globex}: INVALID_CROSS_REFERENCE_KEY`,
    );
    expect(sf.store.get('Lead', id)?.OwnerId).toBe(REP);
    expect(sf.store.get('Lead', id)?.[FIELD] ?? null).toBeNull();
  });

  it('leaves the lookup out in an org without the field instead of failing every record', async () => {
    const { deliver, writeBack } = await intake(bare, FIELD);
    const id = newLead(bare, { Company: 'ACME', Email: 'li@acme.com' });
    await deliver([{ Id: id, Company: 'ACME', Email: 'li@acme.com', OwnerId: QUEUE }]);
    expect(await writeBack(FIELD)).toMatchObject({ written: 1, failed: 0 });
    expect(bare.store.get('Lead', id)?.OwnerId).toBe(REP);
  });

  it('the Bulk API writer sets the lookup in the same row, and an empty cell leaves it alone', async () => {
    const a = newLead(sf, { Company: 'Acme' });
    const b = newLead(sf, { Company: 'Nobody', [FIELD]: acme });
    const writer = new SalesforceBulkOwnerWriter(() => salesforceConnection(emulatorConnectionOptions(sf)), {
      reasonField: 'Routing_Reason__c',
      matchedAccountField: FIELD,
      pollIntervalMs: 20,
    });
    const results = await writer.updateOwnersInBulk([
      { recordId: a, objectType: 'Lead', ownerId: REP, reason: '→ Jane Doe', matchedAccountId: acme },
      { recordId: b, objectType: 'Lead', ownerId: REP, reason: '→ Jane Doe' },
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sf.store.get('Lead', a)).toMatchObject({ OwnerId: REP, [FIELD]: acme });
    expect(sf.store.get('Lead', b)).toMatchObject({ OwnerId: REP, [FIELD]: acme });
  });
});

describe('the emulator refuses lookups a real org refuses', () => {
  it('answers MALFORMED_ID, FIELD_INTEGRITY_EXCEPTION, INVALID_CROSS_REFERENCE_KEY and INVALID_FIELD per record', async () => {
    const conn = await salesforceConnection(emulatorConnectionOptions(sf));
    const ids = ['a', 'b', 'c', 'd'].map((n) => newLead(sf, { Company: n }));
    const results = (await conn.sobject('Lead').update(
      [
        { Id: ids[0]!, [FIELD]: 'NotReal' },
        { Id: ids[1]!, [FIELD]: ids[3]! },
        { Id: ids[2]!, [FIELD]: toId18('001TR9999999999') },
        { Id: ids[3]!, Matched_Acount__c: acme },
      ],
      { allOrNone: false },
    )) as unknown as Array<{ success: boolean; errors: Array<{ statusCode: string; fields: string[] }> }>;
    expect(results.map((r) => r.errors[0]?.statusCode)).toEqual([
      'MALFORMED_ID',
      'FIELD_INTEGRITY_EXCEPTION',
      'INVALID_CROSS_REFERENCE_KEY',
      'INVALID_FIELD',
    ]);
    expect(results[1]!.errors[0]!.fields).toEqual([FIELD]);
    for (const id of ids) expect(sf.store.get('Lead', id)?.[FIELD] ?? null).toBeNull();
  });
});
