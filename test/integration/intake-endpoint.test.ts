import { randomUUID } from 'node:crypto';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { outboundMessageEndpoint } from '../../shared/adapters/http/outbound-message-endpoint.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';
import type { AssignmentLedger } from '../../shared/ports/assignment-ledger.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { rotationRouter } from '../support/fake-router.js';
import { leadId, outboundEnvelope, outboundEvent } from '../support/outbound-messages.js';

const t = useDynamoDbLocal();
const SECRET = 'test-outbound-secret-0123456789';
const QUEUE = toId18('00GTR0000000001');
const REVIEW = toId18('00GTR0000000002');
const reps = (n: number) =>
  Array.from({ length: n }, (_, i) => toId18(`005TR00000000${String(i + 1).padStart(2, '0')}`));

function endpoint(
  tableName: string,
  options: { reps?: string[]; maxNew?: number; ledger?: AssignmentLedger } = {},
) {
  const maxNew = options.maxNew ?? 40;
  const repIds = options.reps ?? reps(4);
  const handle = outboundMessageEndpoint({
    ledger: options.ledger ?? new DynamoAssignmentLedger(t.doc, tableName),
    routing: async () => rotationRouter({ reps: repIds, defaultOwnerId: REVIEW, maxNew, postalPrefix: 'M' }),
    replaceableOwnerIds: [QUEUE],
    now: () => new Date('2026-11-22T15:00:00Z'),
    newId: () => randomUUID(),
    acceptedOrgIds: [toId18(EMULATOR_ORG_ID)],
  });
  return (event: APIGatewayProxyEventV2) => handle(event, SECRET);
}

function post(body: string, secret = SECRET, method: 'GET' | 'POST' = 'POST'): APIGatewayProxyEventV2 {
  return outboundEvent(body, secret, method);
}

const lead = (n: number, postal = 'M5V 3L9') => ({
  Id: leadId(n),
  Company: `Company ${n}`,
  PostalCode: postal,
  OwnerId: QUEUE,
});

async function itemsOf(tableName: string, prefix: string) {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await t.doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(PK, :p)',
        ExpressionAttributeValues: { ':p': prefix },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

describe('POST /salesforce/outbound/{secret}', () => {
  let table: string;
  beforeAll(async () => {
    table = await t.newTable();
  });

  it('assigns a lead, records audit and outbox, and acknowledges', async () => {
    const res = await endpoint(table)(post(outboundEnvelope([lead(1)])));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<Ack>true</Ack>');
    const [assignment] = await itemsOf(table, `LEAD#${leadId(1)}`);
    expect(assignment).toMatchObject({ ownerKind: 'rep', source: 'intake' });
    expect(await itemsOf(table, `AUDIT#${leadId(1)}`)).toHaveLength(1);
    const [outbox] = await itemsOf(table, `OUTBOX#${leadId(1)}`);
    expect(outbox).toMatchObject({
      status: 'pending',
      ownerId: assignment?.ownerId,
      GSI1PK: 'OUTBOX#PENDING',
    });
  });

  it('assigns once when the same message is delivered five times', async () => {
    const tableName = await t.newTable();
    const handler = endpoint(tableName);
    const xml = outboundEnvelope([lead(10), lead(11), lead(12)]);
    for (let i = 0; i < 5; i++) expect((await handler(post(xml))).statusCode).toBe(200);
    expect(await itemsOf(tableName, 'LEAD#')).toHaveLength(3);
    expect(await itemsOf(tableName, 'OUTBOX#')).toHaveLength(3);
  });

  it('does not reassign a lead redelivered under a new notification id', async () => {
    const tableName = await t.newTable();
    const handler = endpoint(tableName);
    await handler(post(outboundEnvelope([lead(20)], { notificationIds: ['04l000000000001AAA'] })));
    await handler(post(outboundEnvelope([lead(20)], { notificationIds: ['04l000000000002AAA'] })));
    expect(await itemsOf(tableName, 'LEAD#')).toHaveLength(1);
    const notes = await itemsOf(tableName, 'NOTIFICATION#');
    expect(notes.map((n) => n.outcome).sort()).toEqual(['assigned', 'duplicate']);
  });

  it('sends an unmatched lead to the default owner with the reason', async () => {
    const res = await endpoint(table)(post(outboundEnvelope([lead(30, 'K1A 0B1')])));
    expect(res.statusCode).toBe(200);
    const [assignment] = await itemsOf(table, `LEAD#${leadId(30)}`);
    expect(assignment).toMatchObject({
      ownerId: REVIEW,
      ownerKind: 'default',
      reason: 'No territory matched',
    });
  });

  it('quarantines a bad notification and still assigns the rest', async () => {
    const tableName = await t.newTable();
    const xml = outboundEnvelope([lead(40), { Id: '001TR0000000001', Name: 'not a lead' }, lead(41)]);
    const res = await endpoint(tableName)(post(xml));
    expect(res.statusCode).toBe(200);
    expect(await itemsOf(tableName, 'LEAD#')).toHaveLength(2);
    const quarantined = await t.doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :q',
        ExpressionAttributeValues: { ':q': 'QUARANTINE' },
      }),
    );
    expect(quarantined.Items?.[0]?.reason).toMatch(/Not a lead id/);
  });

  it.each([
    ['a wrong path secret', post(outboundEnvelope([lead(50)]), 'wrong-secret'), 403],
    ['a wrong org', post(outboundEnvelope([lead(51)], { orgId: '00DXX0000000001' })), 403],
    ['malformed XML', post('<soapenv:Envelope><oops'), 400],
    ['a GET', post(outboundEnvelope([lead(52)]), SECRET, 'GET'), 405],
    ['a body over 1 MB', post(`<x>${'a'.repeat(1024 * 1024)}</x>`), 413],
  ])('refuses %s with a SOAP fault and stores nothing', async (_name, event, status) => {
    const tableName = await t.newTable();
    const res = await endpoint(tableName)(event);
    expect(res.statusCode).toBe(status);
    expect(res.body).toContain('<soapenv:Fault>');
    expect((await t.doc.send(new ScanCommand({ TableName: tableName }))).Items).toHaveLength(0);
  });

  it('accepts the 18-character form of the org id', async () => {
    const res = await endpoint(table)(post(outboundEnvelope([lead(60)], { orgId: toId18(EMULATOR_ORG_ID) })));
    expect(res.statusCode).toBe(200);
  });

  it('answers 500 without an ACK when storage fails, and the retry succeeds once', async () => {
    const tableName = await t.newTable();
    const real = new DynamoAssignmentLedger(t.doc, tableName);
    let failNext = true;
    const flaky: AssignmentLedger = Object.assign(Object.create(real) as DynamoAssignmentLedger, {
      // Every write intake makes, one lead or several at once, goes through recordAssignments.
      recordAssignments: async (ws: Parameters<AssignmentLedger['recordAssignments']>[0]) => {
        if (failNext && ws.some((w) => w.leadId === leadId(71))) {
          failNext = false;
          throw new Error('ProvisionedThroughputExceededException');
        }
        return real.recordAssignments(ws);
      },
    });
    const xml = outboundEnvelope([lead(70), lead(71), lead(72)]);
    const first = await endpoint(tableName, { ledger: flaky })(post(xml));
    expect(first.statusCode).toBe(500);
    expect(first.body).not.toContain('<Ack>');
    const second = await endpoint(tableName, { ledger: flaky })(post(xml));
    expect(second.statusCode).toBe(200);
    expect(await itemsOf(tableName, 'LEAD#')).toHaveLength(3);
    expect(await itemsOf(tableName, 'OUTBOX#')).toHaveLength(3);
  });

  it('under 1,000 concurrent notifications, redeliveries and a top-up alongside: none lost, none twice, no cap passed, under 1% answered 5xx', async () => {
    const tableName = await t.newTable();
    const repIds = reps(20);
    const maxNew = 30; // 20 reps × 30 = 600 capacity for 1,000 leads and 40 top-up leads: the rest go to the default queue
    // Four endpoints on one table, as four Lambda containers would be.
    const containers = Array.from({ length: 4 }, () => endpoint(tableName, { reps: repIds, maxNew }));
    const messages = Array.from({ length: 100 }, (_, m) =>
      outboundEnvelope(
        Array.from({ length: 10 }, (_, i) => lead(1000 + m * 10 + i)),
        {
          notificationIds: Array.from(
            { length: 10 },
            (_, i) => `04lC${String(m * 10 + i).padStart(11, '0')}AAA`,
          ),
        },
      ),
    );
    // Salesforce redelivers some messages while the first delivery is still in flight.
    const deliveries = [...messages, ...messages.filter((_, m) => m % 5 === 0)];
    // A top-up's writes through the same ledger: capacity-conditioned assignments and rotation counts.
    const ledger = new DynamoAssignmentLedger(t.doc, tableName);
    const topUp = (async () => {
      let given = 0;
      for (let i = 0; i < 40; i++) {
        const repId = repIds[i % repIds.length] as string;
        const result = await ledger.recordAssignment({
          leadId: leadId(5000 + i),
          previousOwnerId: QUEUE,
          ownerId: repId,
          ownerKind: 'rep',
          territoryId: 'T-ROTATION',
          reason: 'top-up',
          trace: {},
          source: 'top-up',
          capacity: { maxOpen: 250, maxNew, initialNewLimitByRatio: maxNew },
          replaceableOwnerIds: [QUEUE],
          at: new Date().toISOString(),
          changeId: randomUUID(),
        });
        if (result.ok) {
          given++;
          await ledger.addDistributionCounts('T-ROTATION', { [repId]: 1 }, new Date().toISOString());
        }
      }
      return given;
    })();
    const [results, topUpGiven] = await Promise.all([
      Promise.all(
        deliveries.map((xml, i) => (containers[i % containers.length] as (typeof containers)[0])(post(xml))),
      ),
      topUp,
    ]);
    const failed = deliveries.filter((_, i) => results[i]?.statusCode !== 200);
    expect(failed.length / deliveries.length).toBeLessThan(0.01);
    // What did fail, Salesforce redelivers.
    for (const xml of failed)
      expect(((await containers[0]?.(post(xml))) ?? { statusCode: 0 }).statusCode).toBe(200);

    const assignments = await itemsOf(tableName, 'LEAD#');
    // None lost, none twice: one assignment per lead, one record per notification.
    expect(assignments).toHaveLength(1000 + topUpGiven);
    expect(new Set(assignments.map((a) => a.PK)).size).toBe(assignments.length);
    const notes = await itemsOf(tableName, 'NOTIFICATION#');
    expect(notes).toHaveLength(1000);
    expect(notes.filter((n) => n.outcome === 'assigned')).toHaveLength(1000);
    const perRep = new Map<string, number>();
    for (const a of assignments)
      if (a.ownerKind === 'rep') perRep.set(String(a.ownerId), (perRep.get(String(a.ownerId)) ?? 0) + 1);
    for (const count of perRep.values()) expect(count).toBeLessThanOrEqual(maxNew);
    expect([...perRep.values()].reduce((a, b) => a + b, 0)).toBe(600);
    expect(assignments.filter((a) => a.ownerKind === 'default')).toHaveLength(1000 + topUpGiven - 600);
    const counters = await itemsOf(tableName, 'REP#');
    for (const c of counters) expect(Number(c.newLeads)).toBe(perRep.get(String(c.PK).slice(4)) ?? 0);
  }, 600_000);

  it('never crashes on mutated envelopes and never ACKs what it did not store', async () => {
    const tableName = await t.newTable();
    const handler = endpoint(tableName);
    const base = outboundEnvelope([lead(2000), lead(2001)]);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: base.length - 1 }),
        fc.integer({ min: 0, max: 40 }),
        fc.string({ maxLength: 12 }),
        async (at, cut, insert) => {
          const mutated = base.slice(0, at) + insert + base.slice(at + cut);
          const res = await handler(post(mutated));
          expect([200, 400, 403, 413]).toContain(res.statusCode);
          if (res.statusCode === 200) {
            // Every notification id in an ACKed message has a durable record.
            const ids = [...mutated.matchAll(/<Id>([^<]+)<\/Id>/g)].map((m) => m[1]!.trim());
            const notes = await itemsOf(tableName, 'NOTIFICATION#');
            const recorded = new Set(notes.map((n) => String(n.PK).slice('NOTIFICATION#'.length)));
            for (const id of ids) expect(recorded.has(id)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});
