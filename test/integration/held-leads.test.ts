import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox.js';
import { publicHolidays } from '../../shared/adapters/holidays/public-holidays.js';
import { outboundMessageEndpoint } from '../../shared/adapters/http/outbound-message-endpoint.js';
import { salesforceConnection } from '../../shared/adapters/salesforce/connection.js';
import { SalesforceOwnerGateway } from '../../shared/adapters/salesforce/owner-gateway.js';
import { releaseHeldLeads } from '../../shared/application/availability/release-held-leads.js';
import { territoryRouter } from '../../shared/application/routing/territory-router.js';
import { drainOutbox } from '../../shared/application/write-back/drain-outbox.js';
import { capacityConfigSchema } from '../../shared/domain/capacity/capacity.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { compileModel } from '../../shared/domain/territory/compile-model.js';
import { EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { outboundEnvelope, outboundEvent } from '../support/outbound-messages.js';
import { config, REVIEW_QUEUE, repId, validModel } from '../unit/territory/fixtures.js';

/**
 * The hold policy end to end on DynamoDB Local and the Salesforce emulator, with a clock the test
 * moves: leads arriving on Christmas Day are held (ACKed, durable, in explain), stay held over the
 * weekend and Boxing Day, and go out by the territory's rotation, oldest first and within the
 * period caps, when the first rep comes on shift; the owner and reason reach Salesforce.
 */
const t = useDynamoDbLocal();
const SECRET = 'held-leads-outbound-secret-0123456789';
const INTAKE_QUEUE = toId18('00GTR0000000001');
let sf: SalesforceEmulator;

beforeAll(async () => {
  sf = await startSalesforceEmulator();
  sf.store.insert('User', [
    { Id: repId(1), Name: 'Joe Tremblay', IsActive: true },
    { Id: repId(2), Name: 'Priya Sharma', IsActive: true },
  ]);
  sf.store.insert('Group', [
    { Id: INTAKE_QUEUE, Name: 'Lead Intake', Type: 'Queue' },
    { Id: REVIEW_QUEUE, Name: 'Lead Review', Type: 'Queue' },
  ]);
});
afterAll(async () => {
  await sf?.close();
});

const model = compileModel(
  validModel(
    config({
      calendars: [
        {
          id: 'office',
          timeZone: 'America/Toronto',
          workingHours: { 'mon-fri': '09:00-17:00' },
          holidays: ['CA-ON'],
        },
      ],
      defaultCalendar: 'office',
      reps: [
        { key: 'rep01', id: repId(1), name: 'Joe Tremblay' },
        { key: 'rep02', id: repId(2), name: 'Priya Sharma' },
      ],
      territories: [
        {
          id: 'T',
          name: 'Toronto Core',
          priority: 1,
          participants: ['rep01', 'rep02'],
          whenNobodyAvailable: { policy: 'hold' },
        },
      ],
    }),
  ),
  { holidays: publicHolidays },
);
// Two leads a day each: four of the five held leads fit on the first working morning.
const capacity = capacityConfigSchema.parse({ defaults: { maxPerDay: 2, minInProgressRatio: 0 } });
const router = territoryRouter(model, capacity);

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

async function explain(table: string, leadId: string) {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...p) => void out.push(p.join(' ')));
  try {
    await runCli(['explain', leadId, '--offline', '--endpoint', t.db.endpoint, '--table', table]);
    return out.join('\n');
  } finally {
    log.mockRestore();
    process.exitCode = undefined;
  }
}

describe('held leads', { timeout: 300_000 }, () => {
  it('holds leads while nobody is on shift and assigns them, oldest first, when the first rep comes on shift', async () => {
    const table = await t.newTable();
    let now = new Date('2026-12-25T15:00:00Z'); // Christmas Day, 10:00 in Toronto
    const ledger = new DynamoAssignmentLedger(t.doc, table);
    const endpoint = outboundMessageEndpoint({
      ledger,
      routing: async () => router,
      replaceableOwnerIds: [INTAKE_QUEUE],
      now: () => now,
      newId: randomUUID,
      acceptedOrgIds: [toId18(EMULATOR_ORG_ID)],
    });
    const ids = sf.store.insert(
      'Lead',
      Array.from({ length: 5 }, (_, i) => ({
        LastName: `Lead ${i}`,
        Company: `Co ${i}`,
        OwnerId: INTAKE_QUEUE,
        Status: 'Open - Not Contacted',
      })),
    );
    const message = (leadIds: string[]) =>
      outboundEnvelope(leadIds.map((Id) => ({ Id, Company: 'Co', OwnerId: INTAKE_QUEUE })));

    // Three on Christmas morning, two an hour later (the younger ones).
    const first = await endpoint(outboundEvent(message(ids.slice(0, 3)), SECRET), SECRET);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('<Ack>true</Ack>');
    now = new Date('2026-12-25T16:00:00Z');
    expect((await endpoint(outboundEvent(message(ids.slice(3)), SECRET), SECRET)).statusCode).toBe(200);
    // Salesforce redelivers: still five holds, nothing twice.
    expect((await endpoint(outboundEvent(message(ids.slice(0, 3)), SECRET), SECRET)).statusCode).toBe(200);

    const held = await scan(table, 'HELD#');
    expect(held).toHaveLength(5);
    expect((await scan(table, 'LEAD#')).map((a) => a.ownerKind)).toEqual(Array(5).fill('held'));
    expect(await scan(table, 'OUTBOX#')).toEqual([]);
    expect(await scan(table, 'AUDIT#')).toHaveLength(5);
    const shown = await explain(table, ids[0]!);
    expect(shown).toContain('⏸ held in Toronto Core: nobody on shift');
    expect(shown).toContain('holiday: Christmas Day (CA-ON)');
    expect(shown).toContain('held       since 2026-12-25T15:00:00.000Z');

    const release = () =>
      releaseHeldLeads({
        ledger,
        routing: async () => router,
        replaceableOwnerIds: [INTAKE_QUEUE],
        now: () => now,
        newId: randomUUID,
      });
    // Boxing Day (a holiday), then Monday 08:59 in Toronto: still nobody on shift.
    for (const iso of ['2026-12-26T15:00:00Z', '2026-12-28T13:59:00Z']) {
      now = new Date(iso);
      expect(await release()).toMatchObject({ read: 5, released: 0, stillHeld: 5 });
    }
    expect(await scan(table, 'HELD#')).toHaveLength(5);

    // 09:00: two overlapping runs; each lead goes out once, oldest first, two per rep for the day.
    now = new Date('2026-12-28T14:00:00Z');
    const runs = await Promise.all([release(), release()]);
    const total = (key: 'released' | 'toDefaultOwner') => runs.reduce((n, r) => n + r[key], 0);
    expect(total('released')).toBe(4);
    expect(total('toDefaultOwner')).toBe(1);
    expect(await scan(table, 'HELD#')).toEqual([]);
    const assignments = new Map((await scan(table, 'LEAD#')).map((a) => [String(a.PK).slice(5), a]));
    const owners = ids.map((id) => assignments.get(id)?.ownerId);
    expect(owners.slice(0, 4).sort()).toEqual([repId(1), repId(1), repId(2), repId(2)].sort());
    expect(owners[4]).toBe(REVIEW_QUEUE);
    // One hold and one assignment per lead, never two assignments.
    expect(await scan(table, 'AUDIT#')).toHaveLength(10);
    const youngest = await explain(table, ids[4]!);
    expect(youngest).toContain('daily cap 2 reached (Mon 2026-12-28 America/Toronto)');

    // The outbox writes owners and reasons to Salesforce.
    const summary = await drainOutbox({
      outbox: new DynamoOutbox(t.doc, table),
      crm: new SalesforceOwnerGateway(() => salesforceConnection(emulatorConnectionOptions(sf)), {
        reasonField: 'Routing_Reason__c',
      }),
      now: () => now,
      reasonMaxLength: 255,
      maxAttempts: 5,
    });
    expect(summary.written).toBe(5);
    const lead0 = sf.store.get('Lead', ids[0]!);
    expect([repId(1), repId(2)]).toContain(lead0?.OwnerId);
    expect(String(lead0?.Routing_Reason__c)).toMatch(
      /^→ (Joe Tremblay|Priya Sharma), Toronto Core, even rotation/,
    );
    const released = await explain(table, ids[0]!);
    expect(released).toContain('held since 2026-12-25T15:00:00.000Z while nobody was on shift');
    expect(released).toContain('held       from 2026-12-25T15:00:00.000Z until the next decision');
  });
});
