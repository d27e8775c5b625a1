import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { boundedKeyPart } from '../../shared/adapters/dynamodb/keys.js';
import { outboundMessageEndpoint } from '../../shared/adapters/http/outbound-message-endpoint.js';
import { isSalesforceId, toId18 } from '../../shared/domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';
import type { AssignmentLedger } from '../../shared/ports/assignment-ledger.js';
import { logger } from '../../shared/runtime/logger.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { rotationRouter } from '../support/fake-router.js';
import {
  INTAKE_QUEUE,
  type IntakeServer,
  itemsWithPrefix,
  REVIEW_QUEUE,
  serveIntake,
  testReps,
} from '../support/intake-gateway.js';
import { type GeneratedMessage, outboundMessages } from '../support/outbound-arbitraries.js';
import { leadId, outboundEnvelope, outboundEvent } from '../support/outbound-messages.js';

/**
 * What intake does at each limit, over real HTTP on DynamoDB Local: nothing that can never be stored
 * answers 5xx (it is quarantined with the limit named and the message ACKed), every
 * (notification id, lead) pair has a record, and every refusal on the outbound path is a SOAP fault.
 */
const t = useDynamoDbLocal();
let table: string;
let intake: IntakeServer;

beforeAll(async () => {
  table = await t.newTable();
  intake = await serveIntake(t, table, { maxNew: 100_000 });
});
afterAll(async () => {
  await intake?.close();
});

const lead = (n: number, extra: Record<string, string> = {}) => ({
  Id: leadId(n),
  Company: `Company ${n}`,
  PostalCode: 'M5V 3L9',
  OwnerId: INTAKE_QUEUE,
  ...extra,
});
const nid = (n: number) => `04lLIM${String(n).padStart(9, '0')}AAA`;

/** Every record of one notification id (one per lead it carried). */
async function recordsOf(notificationId: string, tableName = table): Promise<Record<string, unknown>[]> {
  const out = await t.doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `NOTIFICATION#${boundedKeyPart(notificationId)}` },
    }),
  );
  return out.Items ?? [];
}

describe('intake at the limits of what can be stored', () => {
  it('quarantines a lead whose audit record would pass 400 KB, naming the limit, and assigns the rest', async () => {
    const huge = 'x'.repeat(420 * 1024);
    const xml = outboundEnvelope([lead(1), lead(2, { Company: huge }), lead(3)], {
      notificationIds: [nid(1), nid(2), nid(3)],
    });
    const res = await intake.post(xml);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<Ack>true</Ack>');
    const [record] = await recordsOf(nid(2));
    expect(record).toMatchObject({ outcome: 'quarantined', leadId: leadId(2), GSI1PK: 'QUARANTINE' });
    expect(String(record?.reason)).toMatch(/bytes, over DynamoDB's 400 KB item limit/);
    expect(await itemsWithPrefix(t, table, `LEAD#${leadId(2)}`)).toHaveLength(0);
    for (const n of [1, 3]) expect((await recordsOf(nid(n)))[0]).toMatchObject({ outcome: 'assigned' });
    // The redelivery finds the quarantine and stays ACKed.
    expect((await intake.post(xml)).status).toBe(200);
  });

  it('quarantines a notification id past the 2,048-byte key limit under its hash, and answers the redelivery the same', async () => {
    const longId = `04l${'é'.repeat(1100)}`;
    const xml = outboundEnvelope([lead(10), lead(11)], { notificationIds: [longId, nid(11)] });
    for (let delivery = 0; delivery < 2; delivery++) {
      const res = await intake.post(xml);
      expect(res.status).toBe(200);
    }
    const records = await recordsOf(longId);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'quarantined', leadId: leadId(10) });
    expect(String(records[0]?.PK)).toMatch(/^NOTIFICATION#sha256:[0-9a-f]{64}$/);
    expect(String(records[0]?.reason)).toMatch(/2203 bytes, over DynamoDB's 2048-byte partition key limit/);
    expect(String(records[0]?.notificationId).length).toBeLessThan(300);
    expect((await recordsOf(nid(11)))[0]).toMatchObject({ outcome: 'assigned' });
  });

  it('records each lead of a notification id repeated with another lead, in one message and across messages', async () => {
    const shared = nid(20);
    const first = await intake.post(
      outboundEnvelope([lead(20), lead(21)], { notificationIds: [shared, shared] }),
    );
    expect(first.status).toBe(200);
    const second = await intake.post(outboundEnvelope([lead(22)], { notificationIds: [shared] }));
    expect(second.status).toBe(200);
    const records = await recordsOf(shared);
    expect(records.map((r) => r.leadId).sort()).toEqual([leadId(20), leadId(21), leadId(22)].sort());
    expect(records.every((r) => r.outcome === 'assigned')).toBe(true);
    for (const n of [20, 21, 22])
      expect(await itemsWithPrefix(t, table, `LEAD#${leadId(n)}`)).toHaveLength(1);
    // The same pair again is a duplicate of its first record, not a second assignment.
    expect((await intake.post(outboundEnvelope([lead(21)], { notificationIds: [shared] }))).status).toBe(200);
    expect(await recordsOf(shared)).toHaveLength(3);
  });

  it('names the lead on the quarantine of a notification it could not read', async () => {
    const xml = outboundEnvelope([lead(30)], { notificationIds: [nid(30)] }).replace(
      '<sf:Company>Company 30</sf:Company>',
      '<sf:Company><b>Company</b></sf:Company>',
    );
    expect((await intake.post(xml)).status).toBe(200);
    expect((await recordsOf(nid(30)))[0]).toMatchObject({ outcome: 'quarantined', leadId: leadId(30) });
  });

  it('ACKs a generated message only when every (notification id, lead) pair has a record, and never answers 5xx', async () => {
    const propertyTable = await t.newTable();
    const server = await serveIntake(t, propertyTable, { maxNew: 100_000 });
    try {
      await fc.assert(
        fc.asyncProperty(outboundMessages({ maxNotifications: 40 }), async (message) => {
          const res = await server.post(message.xml);
          // 413 only for a message past 1 MB: it is not an outbound message Salesforce sends.
          expect(res.status).toBe(message.bytes > 1024 * 1024 ? 413 : 200);
          if (res.status !== 200) return;
          for (const { id, leadIds } of pairsOf(message)) {
            const records = await recordsOf(id, propertyTable);
            expect(records.length, `record of notification ${id.slice(0, 40)}`).toBeGreaterThan(0);
            const sks = new Set(records.map((r) => String(r.SK)));
            for (const l of leadIds) {
              expect(
                sks.has(`LEAD#${boundedKeyPart(l)}`) || sks.has(`LEAD#${toId18(l)}`),
                `record of lead ${l} under ${id.slice(0, 40)}`,
              ).toBe(true);
            }
          }
        }),
        { numRuns: 30 },
      );
    } finally {
      await server.close();
    }
  }, 600_000);
});

/** The (notification id, lead ids) a message carries, as the parser reads them (ids trimmed). */
function pairsOf(message: GeneratedMessage): Array<{ id: string; leadIds: string[] }> {
  const byId = new Map<string, string[]>();
  for (const n of message.notifications) {
    const id = n.id?.trim();
    if (!id) continue;
    const leads = byId.get(id) ?? [];
    if (n.leadId && isSalesforceId(n.leadId) && n.leadId.startsWith('00Q')) leads.push(n.leadId);
    byId.set(id, leads);
  }
  return [...byId].map(([id, leadIds]) => ({ id, leadIds }));
}

describe('SOAP faults on every answer of the outbound path', () => {
  it.each([
    ['an unknown path under the outbound prefix', '/salesforce/outbound/a/b', 'POST', 404, 'soapenv:Client'],
    ['a GET', '/salesforce/outbound/SECRET', 'GET', 405, 'soapenv:Client'],
    ['a malformed %-escape in the path', '/salesforce/outbound/%E0%A4%A', 'POST', 400, 'soapenv:Client'],
  ])('answers %s with a SOAP fault', async (_name, path, method, status, code) => {
    const res = await fetch(`${intake.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'text/xml' },
      ...(method === 'GET' ? {} : { body: outboundEnvelope([lead(40)]) }),
    });
    const body = await res.text();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(body).toContain(`<faultcode>${code}</faultcode>`);
  });

  it('answers a body past the gateway limit with a SOAP fault 413', async () => {
    const res = await fetch(intake.url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('<faultcode>soapenv:Client</faultcode>');
  });

  it('counts the 1 MB limit in bytes, not characters', async () => {
    // 600,000 two-byte characters: 1.2 MB, though fewer than a million characters.
    const res = await intake.post(`<x>${'é'.repeat(600_000)}</x>`);
    expect(res.status).toBe(413);
    expect(res.body).toContain('<soapenv:Fault>');
  });

  it('answers a retryable SOAP fault before the deadline, and the redelivery records each lead once', async () => {
    const tableName = await t.newTable();
    const real = new DynamoAssignmentLedger(t.doc, tableName);
    let slow = true;
    const ledger: AssignmentLedger = Object.assign(Object.create(real) as DynamoAssignmentLedger, {
      // Every write intake makes, one lead or several at once, goes through recordAssignments.
      recordAssignments: async (ws: Parameters<AssignmentLedger['recordAssignments']>[0]) => {
        if (slow) await new Promise((r) => setTimeout(r, 3_000));
        return real.recordAssignments(ws);
      },
    });
    const endpoint = outboundMessageEndpoint({
      ledger,
      routing: async () =>
        rotationRouter({ reps: testReps(2), defaultOwnerId: REVIEW_QUEUE, maxNew: 100, postalPrefix: 'M' }),
      replaceableOwnerIds: [INTAKE_QUEUE],
      now: () => new Date(),
      newId: () => randomUUID(),
      acceptedOrgIds: [toId18(EMULATOR_ORG_ID)],
    });
    const xml = outboundEnvelope([lead(50), lead(51)], { notificationIds: [nid(50), nid(51)] });
    const started = Date.now();
    const first = await endpoint(outboundEvent(xml, 'secret-0123456789'), 'secret-0123456789', () =>
      Math.max(0, 2_500 - (Date.now() - started)),
    );
    expect(first.statusCode).toBe(503);
    expect(first.body).toContain('<faultcode>soapenv:Server</faultcode>');
    expect(first.body).not.toContain('<Ack>');
    slow = false;
    // Let the first delivery's writes finish, as a still-running Lambda would.
    await new Promise((r) => setTimeout(r, 4_000));
    const second = await endpoint(outboundEvent(xml, 'secret-0123456789'), 'secret-0123456789');
    expect(second.statusCode).toBe(200);
    expect(await itemsWithPrefix(t, tableName, 'LEAD#')).toHaveLength(2);
  }, 60_000);

  it('logs a storage failure with its reason and the message context, no lead values', async () => {
    const tableName = await t.newTable();
    const real = new DynamoAssignmentLedger(t.doc, tableName);
    const ledger: AssignmentLedger = Object.assign(Object.create(real) as DynamoAssignmentLedger, {
      recordAssignments: async () => {
        const error = new Error('Throughput exceeds the current capacity of your table');
        error.name = 'ProvisionedThroughputExceededException';
        throw error;
      },
    });
    const endpoint = outboundMessageEndpoint({
      ledger,
      routing: async () =>
        rotationRouter({ reps: testReps(2), defaultOwnerId: REVIEW_QUEUE, maxNew: 100, postalPrefix: 'M' }),
      replaceableOwnerIds: [INTAKE_QUEUE],
      now: () => new Date(),
      newId: () => randomUUID(),
      acceptedOrgIds: [toId18(EMULATOR_ORG_ID)],
    });
    const lines: string[] = [];
    const level = logger.getLevelName();
    logger.setLogLevel('INFO');
    const write = process.stdout.write.bind(process.stdout);
    const writeErr = process.stderr.write.bind(process.stderr);
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    let res: Awaited<ReturnType<typeof endpoint>>;
    try {
      res = await endpoint(
        outboundEvent(outboundEnvelope([lead(60, { Company: 'Secretive Corp' })]), 'secret-0123456789'),
        'secret-0123456789',
      );
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
      logger.setLogLevel(level);
    }
    expect(res.statusCode).toBe(500);
    const entry = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.level === 'ERROR');
    expect(entry).toMatchObject({
      message: 'outbound message not recorded; Salesforce will redeliver',
      errorName: 'ProvisionedThroughputExceededException',
      reason: 'Throughput exceeds the current capacity of your table',
      notifications: 1,
    });
    expect(JSON.stringify(entry)).not.toContain('Secretive');
  });
});
