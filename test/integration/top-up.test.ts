import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox.js';
import { DynamoRunLease } from '../../shared/adapters/dynamodb/run-lease.js';
import { DynamoTerritoryStore } from '../../shared/adapters/dynamodb/territory-store.js';
import { DynamoTopUpRuns } from '../../shared/adapters/dynamodb/top-up-runs.js';
import { outboundMessageEndpoint } from '../../shared/adapters/http/outbound-message-endpoint.js';
import { postalCentroid } from '../../shared/adapters/postal/centroids.js';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { SalesforceOwnerGateway } from '../../shared/adapters/salesforce/owner-gateway.js';
import { productionRouting } from '../../shared/application/routing/production-routing.js';
import { ensureProductionModel } from '../../shared/application/territories/publish.js';
import { runTopUp, TOP_UP_LEASE, type TopUpOutcome } from '../../shared/application/topup/run-top-up.js';
import { drainOutbox } from '../../shared/application/write-back/drain-outbox.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { DEMO_ORG_ENV, EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { toSalesforceDateTime } from '../../shared/local-stack/salesforce-emulator/values.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { topUpDeps } from '../../shared/runtime/top-up.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { outboundEnvelope, outboundEvent } from '../support/outbound-messages.js';

const t = useDynamoDbLocal();
const QUEUE = toId18('00GTR0000000001');
const REVIEW = toId18('00GTR0000000002');
const INTEGRATION = toId18('005TR0000000099');
const rep = (n: number) => toId18(`005TR00000000${String(n).padStart(2, '0')}`);
const NAMES = ['Jane Doe', 'Raj Patel', 'Maria Garcia', 'Chen Wei', 'Priya Singh'];

/** Toronto Core (M) shared by reps 1–4 (rep 4 inactive); North (P) only rep 5, away for years. */
const MODEL = `
name: Top-up test
timeZone: America/Toronto
defaultOwner: review
queues:
  - { key: intake, id: ${QUEUE}, name: Lead Intake }
  - { key: review, id: ${REVIEW}, name: Lead Review }
reps:
  - { key: rep01, id: ${rep(1)}, name: Jane Doe }
  - { key: rep02, id: ${rep(2)}, name: Raj Patel }
  - { key: rep03, id: ${rep(3)}, name: Maria Garcia }
  - { key: rep04, id: ${rep(4)}, name: Chen Wei, active: false }
  - key: rep05
    id: ${rep(5)}
    name: Priya Singh
    outOfOffice: [{ from: 2026-01-01, to: 2030-12-31, note: sabbatical }]
categories:
  - { id: ontario, name: Ontario, expression: 'PostalCode STARTS WITH ("K", "L", "M", "N", "P")' }
territories:
  - id: toronto-core
    name: Toronto Core
    category: ontario
    priority: 1
    expression: PostalCode STARTS WITH "M"
    participants: [rep01, rep02, rep03, rep04]
  - id: north
    name: North
    category: ontario
    priority: 2
    expression: PostalCode STARTS WITH "P"
    participants: [rep05]
`;

let sf: SalesforceEmulator;
const connection = () => salesforceConnection(emulatorConnectionOptions(sf));

beforeAll(async () => {
  sf = await startSalesforceEmulator();
  sf.store.insert(
    'User',
    NAMES.map((name, i) => ({ Id: rep(i + 1), Name: name, IsActive: i !== 3 })),
  );
  sf.store.insert('User', [{ Id: INTEGRATION, Name: 'Integration', IsActive: true }]);
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
});

let leadSerial = 0;
/** Leads in Salesforce; each call gets its own ids and ascending CreatedDate. */
function insertLeads(n: number, fields: Record<string, unknown>): string[] {
  return sf.store.insert(
    'Lead',
    Array.from({ length: n }, () => {
      leadSerial++;
      return {
        LastName: `Lead ${leadSerial}`,
        Company: `Company ${leadSerial}`,
        Country: 'Canada',
        Status: 'Open - Not Contacted',
        CreatedDate: toSalesforceDateTime(Date.parse('2026-11-01T00:00:00Z') + leadSerial * 60_000),
        ...fields,
      };
    }),
  );
}

/** Open leads a rep already owns, so reconciliation has something to count. */
function giveRep(n: number, fresh: number, working: number): void {
  insertLeads(fresh, { OwnerId: rep(n), PostalCode: 'M5V 1A1' });
  insertLeads(working, { OwnerId: rep(n), PostalCode: 'M5V 1A1', Status: 'Working - Contacted' });
}

async function freshTable(env: Record<string, string> = {}) {
  const table = await t.newTable();
  const cfg = parseConfig({
    ...DEMO_ORG_ENV,
    TABLE_NAME: table,
    INTAKE_QUEUE_IDS: QUEUE,
    INTEGRATION_USER_ID: INTEGRATION,
    TOP_UP_BULK_POLL_INTERVAL_MS: '20',
    ...env,
  });
  const store = new DynamoTerritoryStore({ doc: t.doc, tableName: table, pointerTtlMs: 0 });
  await ensureProductionModel({ store, postalCentroid }, { text: MODEL, by: 'test' });
  let n = 0;
  const deps = () => topUpDeps(cfg, { doc: t.doc, connection, newId: () => `${randomUUID()}-${++n}` });
  return { table, cfg, store, deps };
}

async function scan(table: string, prefix?: string) {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await t.doc.send(
      new ScanCommand({
        TableName: table,
        ExclusiveStartKey: startKey,
        ...(prefix
          ? { FilterExpression: 'begins_with(PK, :p)', ExpressionAttributeValues: { ':p': prefix } }
          : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function writeBackDeps(table: string, clock = () => new Date()) {
  return {
    outbox: new DynamoOutbox(t.doc, table),
    crm: new SalesforceOwnerGateway(connection, { reasonField: 'Routing_Reason__c' }),
    now: clock,
    reasonMaxLength: 255,
    maxAttempts: 5,
  };
}

function completed(outcome: TopUpOutcome) {
  if (outcome.status !== 'completed')
    throw new Error(`expected a completed run, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** Every pool lead still in the intake queue (other tests leave some behind): park them elsewhere. */
function emptyThePool(): void {
  for (const lead of sf.store.records('Lead')) {
    if (lead.OwnerId === QUEUE) sf.store.update('Lead', String(lead.Id), { OwnerId: REVIEW });
  }
}

describe('the top-up against DynamoDB Local and the Salesforce emulator', () => {
  let pool: { toronto: string[]; north: string[]; elsewhere: string[]; closed: string[] };

  beforeAll(() => {
    emptyThePool();
    giveRep(1, 5, 100); // 105 open, 95% in progress: headroom 35
    giveRep(2, 10, 14); // 24 open, 58%: ratio bound 11 → 2 more
    giveRep(3, 0, 0); // new hire: one lead, then the ratio rule waits for it to be worked
    pool = {
      toronto: insertLeads(30, { OwnerId: QUEUE, PostalCode: 'M5V 3L9' }),
      north: insertLeads(3, { OwnerId: QUEUE, PostalCode: 'P3A 1A1' }),
      elsewhere: insertLeads(2, { OwnerId: QUEUE, PostalCode: 'V6B 1A1' }),
      closed: insertLeads(2, { OwnerId: QUEUE, PostalCode: 'M5V 3L9', Status: 'Closed - Not Converted' }),
    };
  });

  it('prints the allocation table on --dry-run and writes nothing anywhere', async () => {
    const { table } = await freshTable();
    const before = await scan(table);
    const leadsBefore = JSON.stringify(sf.store.records('Lead'));
    sf.resetCalls();
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      out.push(args.join(' '));
    });
    const env = { ...process.env };
    Object.assign(process.env, { SF_EMULATOR_PORT: new URL(sf.url).port, INTAKE_QUEUE_IDS: QUEUE });
    try {
      const code = await runCli(['top-up', '--dry-run', '--endpoint', t.db.endpoint, '--table', table]);
      expect(code).toBe(0);
    } finally {
      log.mockRestore();
      process.env = env;
    }
    const text = out.join('\n');
    expect(text).toMatch(/^Dry run — nothing written\. \S+ · model v1 · pool 35 \(oldest first\)/);
    expect(text).toMatch(/rep\s+territory\s+open\s+new\s+headroom\s+given\s+reason/);
    expect(text).toMatch(
      /Jane Doe\s+Toronto Core\s+105→132\s+5→32\s+35\s+27\s+→ Jane Doe, Toronto Core, top-up; top-up run \S+: 31\/40 new/,
    );
    expect(text).toMatch(/Chen Wei\s+—\s+0\s+0\s+0\s+0\s+Inactive/);
    expect(text).toMatch(/Priya Singh\s+—.*Out of office until 2030-12-31/);
    expect(text).toContain('Would allocate 30 of 35; left in pool: 5 (no eligible rep 3, no territory 2)');

    expect(await scan(table)).toEqual(before);
    expect(JSON.stringify(sf.store.records('Lead'))).toBe(leadsBefore);
    const calls = sf.calls();
    expect(calls.collections ?? 0).toBe(0);
    expect(calls.bulk ?? 0).toBe(0);
  });

  it('gives pool leads to reps within their caps, as audited top-up assignments the write-back writes', async () => {
    const { table, deps } = await freshTable();
    const outcome = completed(await runTopUp({}, deps()));
    const s = outcome.summary;
    expect(s).toMatchObject({
      dryRun: false,
      planned: 30,
      allocated: 30,
      pool: { read: 35 },
      writeBack: { mode: 'outbox' },
    });
    const given = Object.fromEntries(s.reps.map((r) => [r.repName, r.given]));
    // Jane's headroom is 35, Raj's ratio allows 2 more, Maria (nothing open) 1; Chen and Priya none.
    expect(given).toEqual({
      'Jane Doe': 27,
      'Raj Patel': 2,
      'Maria Garcia': 1,
      'Chen Wei': 0,
      'Priya Singh': 0,
    });
    expect(s.leftInPool.byReason).toEqual({ 'no-eligible-rep': 3, 'no-territory': 2 });

    const assignments = await scan(table, 'LEAD#');
    expect(assignments).toHaveLength(30);
    expect(
      assignments.every((a) => a.source === 'top-up' && a.runId === outcome.runId && a.ownerKind === 'rep'),
    ).toBe(true);
    const audits = await scan(table, 'AUDIT#');
    expect(audits).toHaveLength(30);
    expect(audits[0]).toMatchObject({
      source: 'top-up',
      runId: outcome.runId,
      before: QUEUE,
      GSI1PK: 'AUDIT#top-up',
    });
    expect(String(audits[0]?.reason)).toMatch(
      new RegExp(`^→ [^,]+, Toronto Core, top-up; top-up run ${outcome.runId}: \\d+/40 new, headroom \\d+$`),
    );
    const counters = Object.fromEntries((await scan(table, 'REP#')).map((r) => [r.PK, r]));
    expect(counters[`REP#${rep(1)}`]).toMatchObject({ openLeads: 132, newLeads: 32, pending: 27 });
    expect(Number(counters[`REP#${rep(2)}`]?.newLeads)).toBeLessThanOrEqual(40);

    const [stored] = await new DynamoTopUpRuns(t.doc, table).latest(1);
    expect(stored).toMatchObject({ runId: outcome.runId, allocated: 30 });

    const written = await drainOutbox(writeBackDeps(table));
    expect(written).toMatchObject({ written: 30, failed: 0 });

    // explain reads the top-up's trace: territory and matched values, counters against caps, the write-back's answer.
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.join(' '));
    });
    try {
      expect(
        await runCli([
          'explain',
          pool.toronto[0]!,
          '--offline',
          '--endpoint',
          t.db.endpoint,
          '--table',
          table,
        ]),
      ).toBe(0);
    } finally {
      log.mockRestore();
    }
    const explained = lines.join('\n');
    expect(explained).toMatch(new RegExp(`1\\. \\S+\\s+top-up \\(run ${outcome.runId}\\)`));
    expect(explained).toMatch(/territory\s+Toronto Core \(priority 1; Ontario\)/);
    expect(explained).toMatch(/matched\s+.*PostalCode/);
    // The counters line agrees with the reason's public numbers and adds what the reason leaves out.
    const [, who, fresh, room] =
      explained.match(
        /reason\s+→ ([^,]+), Toronto Core, top-up; top-up run \S+: (\d+)\/40 new, headroom (\d+)/,
      ) ?? [];
    expect(explained).toMatch(
      new RegExp(
        `counters\\s+${who}: \\d+/250 open, ${fresh}/40 new, \\d+ in progress \\(ratio allows \\d+ new\\), headroom ${room}`,
      ),
    );
    expect(explained).toMatch(/Write-back to Salesforce\n\s+\S+\s+\S+: written/);
    const owners = sf.query(
      `SELECT OwnerId, Routing_Reason__c FROM Lead WHERE Id IN ('${pool.toronto.join("','")}')`,
    );
    expect(owners.records.every((r) => String(r.OwnerId).startsWith('005'))).toBe(true);
    expect(String(owners.records[0]?.Routing_Reason__c)).toMatch(/^→ [^,]+, [^,]+, top-up; top-up run /);
    const untouched = sf.query(
      `SELECT OwnerId FROM Lead WHERE Id IN ('${[...pool.north, ...pool.closed].join("','")}')`,
    );
    expect(untouched.records.every((r) => r.OwnerId === QUEUE)).toBe(true);

    // Once written, Salesforce counts them: a reconcile gives the same numbers, nothing twice.
    completed(await runTopUp({ dryRun: true }, deps()));
    const again = completed(await runTopUp({}, deps()));
    expect(again.summary.reps.find((r) => r.repId === rep(1))?.before).toEqual({
      open: 132,
      new: 32,
      inProgress: 100,
    });

    // Put the leads back for the next tests.
    for (const id of pool.toronto) sf.store.update('Lead', id, { OwnerId: QUEUE });
  });

  it('never gives the same lead twice: a second run while the write-back is pending leaves them', async () => {
    const { table, deps } = await freshTable();
    const first = completed(await runTopUp({}, deps()));
    const second = completed(await runTopUp({}, deps()));
    expect(first.summary.allocated).toBe(30);
    // Still in the queue in Salesforce, but recorded here: skipped before planning, never refused.
    expect(second.summary).toMatchObject({ allocated: 0, planned: 0 });
    expect(second.summary.leftInPool.byReason['already-assigned']).toBe(30);
    // Jane's counters include the first run's leads (Salesforce's count + those in flight).
    expect(second.summary.reps.find((r) => r.repId === rep(1))?.before.new).toBe(32);
    expect(await scan(table, 'LEAD#')).toHaveLength(30);
  });

  it('lets one of two overlapping runs through; the other exits with already-running', async () => {
    const { table, deps } = await freshTable();
    const outcomes = await Promise.all([runTopUp({}, deps()), runTopUp({}, deps())]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already-running', 'completed']);
    const winner = completed(outcomes.find((o) => o.status === 'completed')!);
    expect(outcomes.find((o) => o.status === 'already-running')).toMatchObject({ heldBy: winner.runId });
    expect(await scan(table, 'LEASE#')).toEqual([]);
  });

  it('takes over the lease of a run that crashed once it expires, not before', async () => {
    const { table, deps } = await freshTable();
    const lease = new DynamoRunLease(t.doc, table);
    const now = new Date();
    await lease.acquire(TOP_UP_LEASE, 'crashed-run', new Date(now.getTime() - 120_000), 60_000);
    expect((await runTopUp({ dryRun: false }, deps())).status).toBe('completed');

    await lease.acquire(TOP_UP_LEASE, 'live-run', now, 60_000);
    expect(await runTopUp({}, deps())).toMatchObject({ status: 'already-running', heldBy: 'live-run' });
  });

  it('takes over a lead intake parked with the default queue, never one intake gave a rep', async () => {
    const { table, deps } = await freshTable();
    emptyThePool();
    const [parked, routed] = insertLeads(2, { OwnerId: QUEUE, PostalCode: 'M4W 1A1' });
    const ledger = new DynamoAssignmentLedger(t.doc, table);
    const intake = (leadId: string, ownerId: string, ownerKind: 'rep' | 'default') =>
      ledger.recordAssignment({
        notificationId: randomUUID(),
        leadId,
        previousOwnerId: QUEUE,
        ownerId,
        ownerKind,
        territoryId: 'toronto-core',
        reason: 'intake',
        trace: {},
        source: 'intake',
        ...(ownerKind === 'rep'
          ? { capacity: { maxOpen: 250, maxNew: 40, initialNewLimitByRatio: 40 } }
          : {}),
        replaceableOwnerIds: [QUEUE, INTEGRATION],
        at: new Date(Date.now() - 60_000).toISOString(),
        changeId: randomUUID(),
      });
    expect((await intake(parked!, REVIEW, 'default')).ok).toBe(true);
    expect((await intake(routed!, rep(3), 'rep')).ok).toBe(true);

    const outcome = completed(await runTopUp({}, deps()));
    const byLead = Object.fromEntries((await scan(table, 'LEAD#')).map((a) => [String(a.PK).slice(5), a]));
    expect(byLead[parked!]).toMatchObject({ source: 'top-up', ownerKind: 'rep', runId: outcome.runId });
    expect(byLead[routed!]).toMatchObject({ source: 'intake', ownerId: rep(3) });
    expect(outcome.summary.leftInPool.examples).toContainEqual(
      expect.objectContaining({ leadId: routed, reason: 'already-assigned' }),
    );

    // Both write-backs run (intake's to the review queue first): the rep ends up owning it.
    await drainOutbox(writeBackDeps(table));
    expect(sf.store.get('Lead', parked!)?.OwnerId).toBe(byLead[parked!]?.ownerId);
    expect(sf.store.get('Lead', routed!)?.OwnerId).toBe(rep(3));
  });

  it('settles a pool lead converted after the run as "skipped: converted", never retried or failed', async () => {
    const { table, deps } = await freshTable();
    emptyThePool();
    const [kept, converted] = insertLeads(2, { OwnerId: QUEUE, PostalCode: 'M4W 1A1' });
    const outcome = completed(await runTopUp({}, deps()));
    expect(outcome.summary.allocated).toBe(2);
    // Converted between the run and its write-back: Salesforce refuses any update to it.
    sf.store.update('Lead', converted!, { IsConverted: true, ConvertedDate: '2026-11-22' });
    const summary = await drainOutbox(writeBackDeps(table));
    expect(summary).toMatchObject({ written: 1, skipped: 1, failed: 0, retrying: 0 });
    expect(sf.store.get('Lead', converted!)?.OwnerId).toBe(QUEUE);
    expect(String(sf.store.get('Lead', kept!)?.OwnerId)).toMatch(/^005/);
    const outbox = await scan(table, `OUTBOX#${converted}`);
    expect(outbox).toEqual([expect.objectContaining({ status: 'skipped', detail: 'skipped: converted' })]);
    expect(await drainOutbox(writeBackDeps(table, () => new Date(Date.now() + 7_200_000)))).toMatchObject({
      calls: 0,
    });
  });
});

describe('concurrent intake during a top-up', () => {
  it('never pushes a rep past a cap: the database refuses whichever write comes second', async () => {
    const caps = JSON.stringify({ defaults: { maxOpen: 250, maxNew: 6, minInProgressRatio: 0 } });
    const { table, cfg, store, deps } = await freshTable({ CAPACITY_RULES: caps });
    emptyThePool();
    insertLeads(40, { OwnerId: QUEUE, PostalCode: 'M5V 2T6' });
    // Reps 1–3 hold no new leads in Salesforce here: move their earlier ones out of the way.
    for (const lead of sf.store.records('Lead')) {
      if ([rep(1), rep(2), rep(3)].includes(String(lead.OwnerId)))
        sf.store.update('Lead', String(lead.Id), { Status: 'Closed - Converted' });
    }
    const endpoint = outboundMessageEndpoint({
      ledger: new DynamoAssignmentLedger(t.doc, table),
      routing: productionRouting({ store, postalCentroid }, cfg.CAPACITY_RULES),
      replaceableOwnerIds: [QUEUE],
      now: () => new Date(),
      newId: randomUUID,
      acceptedOrgIds: [toId18(EMULATOR_ORG_ID)],
    });
    let n = 0;
    const message = () =>
      outboundEnvelope(
        Array.from({ length: 5 }, () => {
          n++;
          return {
            Id: toId18(`00QIN${String(n).padStart(10, '0')}`),
            PostalCode: 'M5V 1A1',
            Country: 'Canada',
            OwnerId: QUEUE,
          };
        }),
      );
    const post = (body: string) => endpoint(event(body), 'test-outbound-secret-0123456789');
    const intake = (async () => {
      const results = [];
      for (let i = 0; i < 8; i++) {
        const pair = [message(), message()];
        results.push(Promise.all(pair.map(async (body) => ({ body, response: await post(body) }))));
        await new Promise((r) => setTimeout(r, 15));
      }
      return (await Promise.all(results)).flat();
    })();
    const [topUp, deliveries] = await Promise.all([runTopUp({}, deps()), intake]);
    // A message that kept losing optimistic races on the territory's rotation (the top-up adds
    // its counts there too) answers 500 and Salesforce redelivers it: do what Salesforce does.
    const responses = await Promise.all(
      deliveries.map(async ({ body, response }) => (response.statusCode === 200 ? response : post(body))),
    );
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);

    const assignments = await scan(table, 'LEAD#');
    const perRep = new Map<string, number>();
    for (const a of assignments)
      if (a.ownerKind === 'rep') perRep.set(String(a.ownerId), (perRep.get(String(a.ownerId)) ?? 0) + 1);
    for (const id of [rep(1), rep(2), rep(3)]) expect(perRep.get(id) ?? 0).toBeLessThanOrEqual(6);
    // Every slot was used by one or the other, and the counters agree with the assignments.
    expect([...perRep.values()].reduce((a, b) => a + b, 0)).toBe(18);
    const counters = await scan(table, 'REP#');
    for (const c of counters) expect(Number(c.newLeads)).toBe(perRep.get(String(c.PK).slice(4)) ?? 0);
    // Whatever the database refused the top-up is left for the next run, with the reason.
    const run = completed(topUp).summary;
    expect(run.allocated + (run.leftInPool.byReason['capacity-reached'] ?? 0)).toBe(run.planned);
  });
});

function event(body: string): APIGatewayProxyEventV2 {
  return outboundEvent(body, 'test-outbound-secret-0123456789');
}
