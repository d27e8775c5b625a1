/**
 * SLAs end to end: intake (outbound message → one transaction with the SLA clock), the write-back
 * through the outbox, and the sweep against DynamoDB Local and the Salesforce emulator over HTTP
 * with real jsforce. Time is an argument, so "30 working minutes later" is a clock we move.
 */
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { DynamoDecisionTrail } from '../../shared/adapters/dynamodb/decision-trail.js';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox.js';
import { DynamoTerritoryStore } from '../../shared/adapters/dynamodb/territory-store.js';
import { outboundMessageEndpoint } from '../../shared/adapters/http/outbound-message-endpoint.js';
import { postalCentroid } from '../../shared/adapters/postal/centroids.js';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { SalesforceOwnerGateway } from '../../shared/adapters/salesforce/owner-gateway.js';
import { explainRecord, formatExplanation } from '../../shared/application/explain/explain.js';
import { productionRouting } from '../../shared/application/routing/production-routing.js';
import { runSlaSweep, type SlaSweepDeps } from '../../shared/application/sla/sweep.js';
import { ensureProductionModel } from '../../shared/application/territories/publish.js';
import { drainOutbox } from '../../shared/application/write-back/drain-outbox.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { DEMO_ORG_ENV, EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { toSalesforceDateTime } from '../../shared/local-stack/salesforce-emulator/values.js';
import type { Notification } from '../../shared/ports/notifier.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { slaSweepDeps } from '../../shared/runtime/sla.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { outboundEnvelope, outboundEvent } from '../support/outbound-messages.js';

const t = useDynamoDbLocal();
const QUEUE = toId18('00GTR0000000001');
const REVIEW = toId18('00GTR0000000002');
const INTEGRATION = toId18('005TR0000000099');
const MANAGER = toId18('005TR0000000090');
const rep = (n: number) => toId18(`005TR00000000${String(n).padStart(2, '0')}`);
const NAMES = ['Jane Doe', 'Raj Patel', 'Maria Garcia', 'Chen Wei'];
const SECRET = 'test-outbound-secret-0123456789';

/** Toronto: three reps, 30-minute SLA, two re-routes, then the manager. Ottawa: one rep, then a queue. */
const MODEL = `
name: SLA test
timeZone: America/Toronto
defaultOwner: review
queues:
  - { key: intake, id: ${QUEUE}, name: Lead Intake }
  - { key: review, id: ${REVIEW}, name: Lead Review }
reps:
  - { key: rep01, id: ${rep(1)}, name: Jane Doe }
  - { key: rep02, id: ${rep(2)}, name: Raj Patel }
  - { key: rep03, id: ${rep(3)}, name: Maria Garcia }
  - { key: rep04, id: ${rep(4)}, name: Chen Wei }
territories:
  - id: toronto
    name: Toronto Core
    priority: 1
    expression: PostalCode STARTS WITH "M"
    participants: [rep01, rep02, rep03]
    sla: { firstTouchMinutes: 30, warnAt: 0.5, maxReroutes: 2, escalateTo: { to: manager } }
  - id: ottawa
    name: Ottawa
    priority: 2
    expression: PostalCode STARTS WITH "K"
    participants: [rep04]
    sla: { firstTouchMinutes: 30, escalateTo: { to: queue, queue: review } }
`;

let sf: SalesforceEmulator;
const connection = () => salesforceConnection(emulatorConnectionOptions(sf));
const START = Date.parse('2026-11-24T14:00:00Z');
let nowMs = START;
const now = () => new Date(nowMs);
const minutes = (n: number) => {
  nowMs += n * 60_000;
};

beforeAll(async () => {
  sf = await startSalesforceEmulator({ clock: now });
  sf.store.insert('User', [
    ...NAMES.map((name, i) => ({ Id: rep(i + 1), Name: name, IsActive: true, ManagerId: MANAGER })),
    { Id: MANAGER, Name: 'Mona Manager', IsActive: true },
    { Id: INTEGRATION, Name: 'Integration', IsActive: true },
  ]);
  sf.store.insert('Group', [
    { Id: QUEUE, Name: 'Lead Intake', Type: 'Queue' },
    { Id: REVIEW, Name: 'Lead Review', Type: 'Queue' },
  ]);
});
afterAll(async () => {
  await sf?.close();
});
beforeEach(() => {
  sf.faults.clear();
  forgetSalesforceSessions();
  nowMs = START;
});

async function setUp() {
  const table = await t.newTable();
  const cfg = parseConfig({
    ...DEMO_ORG_ENV,
    TABLE_NAME: table,
    INTAKE_QUEUE_IDS: QUEUE,
    INTEGRATION_USER_ID: INTEGRATION,
    // No in-progress ratio: reps with only new leads still take more (the tests are about SLAs).
    CAPACITY_RULES: JSON.stringify({ defaults: { minInProgressRatio: 0 } }),
  });
  const store = new DynamoTerritoryStore({ doc: t.doc, tableName: table, pointerTtlMs: 0 });
  await ensureProductionModel({ store, postalCentroid }, { text: MODEL, by: 'test' });
  const endpoint = outboundMessageEndpoint({
    ledger: new DynamoAssignmentLedger(t.doc, table),
    routing: productionRouting({ store, postalCentroid }, cfg.CAPACITY_RULES),
    replaceableOwnerIds: [QUEUE],
    now,
    newId: randomUUID,
    acceptedOrgIds: [toId18(EMULATOR_ORG_ID)],
  });
  const messages: Notification[] = [];
  const deps = (): SlaSweepDeps =>
    slaSweepDeps(cfg, {
      doc: t.doc,
      connection,
      now,
      notifier: { notify: async (m) => void messages.push(m) },
    });
  /** Leads arrive through intake, and the write-back puts their owners in Salesforce. */
  const arrive = async (postalCodes: string[]) => {
    const ids = sf.store.insert(
      'Lead',
      postalCodes.map((PostalCode, i) => ({
        LastName: `Lead ${i}`,
        Company: `Company ${i}`,
        Status: 'Open - Not Contacted',
        PostalCode,
        Country: 'Canada',
        OwnerId: QUEUE,
      })),
    );
    // One message per lead: within one message intake counts a rep it has no counters for as full after one lead.
    for (const [i, Id] of ids.entries()) {
      const body = outboundEnvelope([{ Id, PostalCode: postalCodes[i]!, Country: 'Canada', OwnerId: QUEUE }]);
      const answer = await endpoint(outboundEvent(body, SECRET), SECRET);
      expect(answer.statusCode).toBe(200);
    }
    await writeBack();
    return ids;
  };
  const writeBack = () =>
    drainOutbox({
      outbox: new DynamoOutbox(t.doc, table),
      crm: new SalesforceOwnerGateway(connection, { reasonField: 'Routing_Reason__c' }),
      now,
      reasonMaxLength: 255,
      maxAttempts: 5,
    });
  const owner = (id: string) => String(sf.store.get('Lead', id)?.OwnerId);
  const explain = async (id: string) =>
    formatExplanation(
      await explainRecord(id, {
        trail: new DynamoDecisionTrail(t.doc, table),
        names: async (ids) => new Map(ids.map((i) => [i, String(sf.store.get('User', i)?.Name ?? i)])),
      }),
    );
  const clocks = async (leadId: string) =>
    (
      await t.doc.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': `SLA#${leadId}` },
        }),
      )
    ).Items ?? [];
  return { table, cfg, deps, arrive, writeBack, owner, explain, clocks, messages };
}

describe('SLA sweep', () => {
  it('starts a clock in the assignment transaction, warns once at half, re-routes an untouched lead to a rep who never had it', async () => {
    const s = await setUp();
    const [lead] = await s.arrive(['M5V 1A1']);
    const first = s.owner(lead!);
    expect([rep(1), rep(2), rep(3)]).toContain(first);
    const [clock] = await s.clocks(lead!);
    expect(clock).toMatchObject({
      status: 'pending',
      ownerId: first,
      dueAt: '2026-11-24T14:30:00.000Z',
      warnAt: '2026-11-24T14:15:00.000Z',
    });

    minutes(10);
    expect(await runSlaSweep(s.deps())).toMatchObject({ checked: 0 });
    minutes(5);
    expect(await runSlaSweep(s.deps())).toMatchObject({ checked: 1, warned: 1 });
    expect(s.messages.map((m) => m.text).join('\n')).toContain(
      `${NAMES[rep(1) === first ? 0 : rep(2) === first ? 1 : 2]}: ${lead} (15 working minutes left of 30)`,
    );
    minutes(5);
    expect(await runSlaSweep(s.deps())).toMatchObject({ checked: 0, warned: 0 });
    expect(s.messages).toHaveLength(1);

    minutes(10);
    const summary = await runSlaSweep(s.deps());
    expect(summary).toMatchObject({ checked: 1, rerouted: 1, breaches: 1 });
    await s.writeBack();
    const second = s.owner(lead!);
    expect([rep(1), rep(2), rep(3)]).toContain(second);
    expect(second).not.toBe(first);
    expect(String(sf.store.get('Lead', lead!)?.Routing_Reason__c)).toMatch(
      /SLA re-route: .* left it untouched for 30 working minutes/,
    );
    const text = await s.explain(lead!);
    expect(text).toContain('sla');
    expect(text).toMatch(
      /SLA re-route: \w+ \w+ left it untouched for 30 working minutes \(re-route 1 of 2\)/,
    );
    const all = await s.clocks(lead!);
    expect(all.map((c) => c.status).sort()).toEqual(['breached', 'pending']);
  });

  it('leaves a touched lead alone: status out of "new", or a Task logged after assignment, and records speed-to-lead', async () => {
    const s = await setUp();
    const [byStatus, byTask] = await s.arrive(['M5V 1A1', 'M4C 1B2']);
    minutes(7);
    const conn = await connection();
    await conn.sobject('Lead').update({ Id: byStatus!, Status: 'Working - Contacted' });
    minutes(5);
    sf.store.insert('Task', {
      Subject: 'Call',
      WhoId: byTask!,
      OwnerId: s.owner(byTask!),
      CreatedDate: toSalesforceDateTime(nowMs),
    });
    minutes(30);
    const summary = await runSlaSweep(s.deps());
    expect(summary).toMatchObject({ checked: 2, touched: 2, rerouted: 0 });
    expect(summary.speeds.map((s) => s.minutes).sort((a, b) => a - b)).toEqual([7, 12]);
    const [clock] = await s.clocks(byTask!);
    expect(clock).toMatchObject({
      status: 'touched',
      touchedBy: 'activity',
      speedMinutes: 12,
      breached: false,
    });

    // The RevOps report: names, not ids; p50/p90 over the touched leads, no breach.
    const printed: string[] = [];
    const log = vi
      .spyOn(console, 'log')
      .mockImplementation((line: unknown) => void printed.push(String(line)));
    const args = [
      'report',
      'speed-to-lead',
      '--endpoint',
      t.db.endpoint,
      '--table',
      s.table,
      '--since',
      '2026-11-24T00:00:00Z',
    ];
    expect(await runCli([...args, '--json'])).toBe(0);
    expect(await runCli(args)).toBe(0);
    expect(await runCli(['report', 'speed-to-lead', '--since', 'yesterday', '--table', s.table])).toBe(1);
    log.mockRestore();
    const report = JSON.parse(printed[0]!) as {
      overall: Record<string, unknown>;
      territories: Array<Record<string, unknown>>;
    };
    expect(report.overall).toMatchObject({ assignments: 2, touched: 2, p50: 7, p90: 12, breachRate: 0 });
    expect(report.territories).toEqual([expect.objectContaining({ name: 'Toronto Core', p90: 12 })]);
    expect(printed.slice(1).join('\n')).toMatch(/Jane Doe|Raj Patel|Maria Garcia/);
    expect(printed.slice(1).join('\n')).not.toContain('005TR');
  });

  it('never returns a lead to a previous owner; after the last re-route it goes to the manager', async () => {
    const s = await setUp();
    const [lead] = await s.arrive(['M5V 1A1']);
    const owners = [s.owner(lead!)];
    for (let i = 0; i < 2; i++) {
      minutes(31);
      expect(await runSlaSweep(s.deps())).toMatchObject({ rerouted: 1 });
      await s.writeBack();
      owners.push(s.owner(lead!));
    }
    expect(new Set(owners).size).toBe(3);
    minutes(31);
    expect(await runSlaSweep(s.deps())).toMatchObject({ escalated: 1, rerouted: 0 });
    await s.writeBack();
    expect(s.owner(lead!)).toBe(MANAGER);
    expect(await s.explain(lead!)).toContain('2 re-routes used up');
    minutes(31);
    expect(await runSlaSweep(s.deps())).toMatchObject({ checked: 0 });
  });

  it('sends the lead to the policy queue when no other rep of the territory can take it', async () => {
    const s = await setUp();
    const [lead] = await s.arrive(['K1A 0B1']);
    expect(s.owner(lead!)).toBe(rep(4));
    minutes(31);
    expect(await runSlaSweep(s.deps())).toMatchObject({ escalated: 1 });
    await s.writeBack();
    expect(s.owner(lead!)).toBe(REVIEW);
    expect(String(sf.store.get('Lead', lead!)?.Routing_Reason__c)).toContain(
      'no other rep of the territory can take it',
    );
  });

  it('stops the clock when a person changes the owner in Salesforce', async () => {
    const s = await setUp();
    const [lead] = await s.arrive(['M5V 1A1']);
    sf.store.update('Lead', lead!, { OwnerId: rep(4) });
    minutes(31);
    expect(await runSlaSweep(s.deps())).toMatchObject({ released: 1, rerouted: 0 });
    expect(s.owner(lead!)).toBe(rep(4));
  });

  it('loses nothing while Salesforce is down or rate-limited: the next run decides', async () => {
    const s = await setUp();
    const [lead] = await s.arrive(['M5V 1A1']);
    const first = s.owner(lead!);
    minutes(31);
    sf.faults.set({ requestLimitExceeded: true });
    await expect(runSlaSweep(s.deps())).rejects.toThrow(/REQUEST_LIMIT_EXCEEDED|TotalRequests/);
    sf.faults.clear();
    sf.faults.set({ unavailable: 20 });
    await expect(runSlaSweep(s.deps())).rejects.toThrow();
    sf.faults.clear();
    expect((await s.clocks(lead!))[0]).toMatchObject({ status: 'pending' });
    minutes(1);
    expect(await runSlaSweep(s.deps())).toMatchObject({ rerouted: 1 });
    await s.writeBack();
    expect(s.owner(lead!)).not.toBe(first);
  });

  it('re-routes each lead once under concurrent sweeps', async () => {
    const s = await setUp();
    const leads = await s.arrive(['M5V 1A1', 'M5V 1A2', 'M5V 1A3', 'M4C 1B2', 'M4C 1B3', 'M4C 1B4']);
    minutes(31);
    // Two sweeps that both hold "the lease" (a lease that always grants): only the clock conditions decide.
    const open = (): SlaSweepDeps => ({
      ...s.deps(),
      lease: {
        acquire: async (_n, _h, at) => ({ acquired: true, until: at.toISOString() }),
        renew: async () => true,
        release: async () => {},
      },
    });
    const [a, b] = await Promise.all([runSlaSweep(open()), runSlaSweep(open())]);
    expect(a.rerouted + b.rerouted).toBe(leads.length);
    const audits = await t.doc.send(
      new ScanCommand({
        TableName: s.table,
        FilterExpression: 'begins_with(PK, :p) AND #src = :sla',
        ExpressionAttributeNames: { '#src': 'source' },
        ExpressionAttributeValues: { ':p': 'AUDIT#', ':sla': 'sla' },
      }),
    );
    expect(audits.Items).toHaveLength(leads.length);
  });

  it('reads due leads with one Composite query per 2,000 leads', async () => {
    const s = await setUp();
    const ids: string[] = await s.arrive(Array.from({ length: 60 }, (_, i) => `M5V ${i % 10}A${i % 7}`));
    expect(ids.every((id) => id !== undefined && s.owner(id).startsWith('005'))).toBe(true);
    minutes(16);
    sf.resetCalls();
    expect(await runSlaSweep(s.deps())).toMatchObject({ checked: 60, warned: 60 });
    expect(sf.calls()).toEqual({ composite: 1 });
  });
});
