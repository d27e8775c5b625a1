import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox.js';
import { DynamoTerritoryStore } from '../../shared/adapters/dynamodb/territory-store.js';
import { publicHolidays } from '../../shared/adapters/holidays/public-holidays.js';
import { outboundMessageEndpoint } from '../../shared/adapters/http/outbound-message-endpoint.js';
import {
  loadPlanningInputFromSalesforce,
  planningFieldsFromConfig,
} from '../../shared/adapters/planning/salesforce-input.js';
import { postalCentroid } from '../../shared/adapters/postal/centroids.js';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { forgetOrgFields } from '../../shared/adapters/salesforce/org-fields.js';
import { buildOutboundMessage } from '../../shared/adapters/salesforce/outbound-message-builder.js';
import { SalesforceOwnerGateway } from '../../shared/adapters/salesforce/owner-gateway.js';
import { SalesforceReassignmentReader } from '../../shared/adapters/salesforce/reassignment-reader.js';
import { applyBatch, prepareApply } from '../../shared/application/reassign/apply.js';
import type { ReassignDeps } from '../../shared/application/reassign/deps.js';
import { submitReassignment } from '../../shared/application/reassign/submit.js';
import { validateReassignment } from '../../shared/application/reassign/validate.js';
import { productionRouting } from '../../shared/application/routing/production-routing.js';
import { ensureProductionModel } from '../../shared/application/territories/publish.js';
import { runTopUp } from '../../shared/application/topup/run-top-up.js';
import { drainOutbox } from '../../shared/application/write-back/drain-outbox.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { demoData } from '../../shared/local-stack/demo-data.js';
import { DEMO_INTAKE_QUEUE_ID, DEMO_ORG_ENV } from '../../shared/local-stack/demo-org-ids.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { topUpDeps } from '../../shared/runtime/top-up.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { outboundEvent } from '../support/outbound-messages.js';
import { movesNeedingTwoApprovals, ORG, reassignHarness, reassignSeed } from '../support/reassign.js';

/**
 * Every Salesforce-facing flow against an org with only the package's required field
 * (Lead.Routing_Reason__c) and against the full demo org: nothing queries a field the org lacks
 * (the emulator answers INVALID_FIELD, as a real org does), and each missing optional field
 * degrades its feature with a note.
 */
const t = useDynamoDbLocal();
const demo = demoData();
const MODEL = readFileSync(
  join(import.meta.dirname, '../../shared/local-stack/ontario-territories.yaml'),
  'utf8',
);
const QUEUE = toId18(DEMO_INTAKE_QUEUE_ID);

describe.each([
  { org: 'an org with only the required field', fields: 'required' as const },
  { org: 'the full demo org', fields: 'all' as const },
])('against $org', ({ fields }) => {
  const required = fields === 'required';
  let sf: SalesforceEmulator;
  const connection = () => salesforceConnection(emulatorConnectionOptions(sf));

  beforeAll(async () => {
    forgetSalesforceSessions();
    forgetOrgFields();
    sf = await startSalesforceEmulator({ seed: demo, packageFields: fields });
  });
  afterAll(async () => {
    await sf?.close();
  });

  it('plans from Salesforce, falling back to AnnualRevenue and saying what the org lacks', async () => {
    const input = await loadPlanningInputFromSalesforce(
      await connection(),
      planningFieldsFromConfig(parseConfig({})),
    );
    expect(input.accounts).toHaveLength(demo.accounts.length);
    expect(input.reps.length).toBeGreaterThan(0);
    if (required) {
      expect(input.notes.join('\n')).toMatch(
        /Account\.Revenue_Potential__c is not in this org.*AnnualRevenue/,
      );
      expect(input.notes.join('\n')).toMatch(/Account\.ARR__c .*no ARR/);
      expect(input.notes.join('\n')).toMatch(
        /Account\.Named_Account__c .*no account is kept as a named account/,
      );
      expect(input.notes.join('\n')).toMatch(/User\.Industry_Specialization__c/);
      expect(input.accounts.some((a) => a.named)).toBe(false);
      const account = demo.accounts.find((a) => typeof a.AnnualRevenue === 'number')!;
      expect(input.accounts.find((a) => a.id === toId18(String(account.Id)))?.revenuePotential).toBe(
        account.AnnualRevenue,
      );
    } else {
      expect(input.notes).toEqual([]);
      expect(input.accounts.filter((a) => a.named).length).toBe(
        demo.accounts.filter((a) => a.Named_Account__c).length,
      );
    }
  });

  it('runs a top-up ordered by score where the org has the field, oldest first with a note where not', async () => {
    const table = await t.newTable();
    const cfg = parseConfig({ ...DEMO_ORG_ENV, TABLE_NAME: table, TOP_UP_POOL_ORDER: 'score' });
    await ensureProductionModel(
      { store: new DynamoTerritoryStore({ doc: t.doc, tableName: table }), postalCentroid },
      { text: MODEL, by: 'test' },
    );
    const outcome = await runTopUp({ dryRun: true }, topUpDeps(cfg, { doc: t.doc, connection }));
    if (outcome.status !== 'completed') throw new Error(JSON.stringify(outcome));
    expect(outcome.summary.pool.read).toBeGreaterThan(0);
    expect(outcome.summary.planned).toBeGreaterThan(0);
    if (required) {
      expect(outcome.summary.pool.order).toBe('oldest');
      expect(outcome.summary.notes?.join('\n')).toMatch(
        /Lead\.Lead_Score__c is not in this org.*oldest first \(CreatedDate\)/,
      );
      expect(outcome.summary.notes?.join('\n')).toMatch(/Lead\.Product_Interest__c/);
    } else {
      expect(outcome.summary.pool.order).toBe('score');
      expect(outcome.summary.notes).toBeUndefined();
    }
  });

  it('routes an outbound message through intake and writes back; a lead converted first ends "skipped: converted"', async () => {
    const table = await t.newTable();
    const cfg = parseConfig({ ...DEMO_ORG_ENV, TABLE_NAME: table });
    const store = new DynamoTerritoryStore({ doc: t.doc, tableName: table });
    await ensureProductionModel({ store, postalCentroid }, { text: MODEL, by: 'test' });
    // Only fields every org has, as the package's outbound message sends in the required-only org.
    const leads = sf.query(
      `SELECT Id, OwnerId, Company, Email, PostalCode, State, Country FROM Lead WHERE OwnerId = '${QUEUE}' AND IsConverted = false LIMIT 2`,
    ).records as unknown as Array<Record<string, string> & { Id: string }>;
    const [kept, converted] = leads.map((l) => toId18(l.Id));
    const endpoint = outboundMessageEndpoint({
      ledger: new DynamoAssignmentLedger(t.doc, table),
      routing: productionRouting({ store, postalCentroid, holidays: publicHolidays }, cfg.CAPACITY_RULES),
      replaceableOwnerIds: [QUEUE],
      now: () => new Date(),
      newId: () => randomUUID(),
      acceptedOrgIds: [sf.orgId],
    });
    const xml = buildOutboundMessage(
      leads.map(({ attributes: _, ...fields }) => fields as { Id: string }),
      { orgId: sf.orgId },
    );
    const answer = await endpoint(outboundEvent(xml, 'secret'), 'secret');
    expect(answer.body).toContain('<Ack>true</Ack>');

    // Converted between intake and its write-back: Salesforce refuses any update to it.
    sf.store.update('Lead', converted!, { IsConverted: true, ConvertedDate: '2026-11-22' });
    const writeBack = (now: () => Date) =>
      drainOutbox({
        outbox: new DynamoOutbox(t.doc, table),
        crm: new SalesforceOwnerGateway(connection, { reasonField: 'Routing_Reason__c' }),
        now,
        reasonMaxLength: 255,
        maxAttempts: 3,
      });
    expect(await writeBack(() => new Date())).toMatchObject({
      written: 1,
      skipped: 1,
      failed: 0,
      retrying: 0,
    });
    expect(sf.store.get('Lead', kept!)?.OwnerId).not.toBe(QUEUE);
    expect(String(sf.store.get('Lead', kept!)?.Routing_Reason__c)).toMatch(/Territory|default owner/);
    expect(sf.store.get('Lead', converted!)?.OwnerId).toBe(QUEUE);
    // Nothing comes back for another attempt.
    expect(await writeBack(() => new Date(Date.now() + 7_200_000))).toMatchObject({ calls: 0, retrying: 0 });
  });

  it('reads accounts for bulk reassign, skipping the named-account guardrail where the org has no field', async () => {
    const reader = new SalesforceReassignmentReader(connection, {
      namedField: 'Named_Account__c',
      arrField: 'ARR__c',
    });
    const named = demo.accounts.filter((a) => a.Named_Account__c === true).slice(0, 3);
    const records = await reader.records(
      'Account',
      named.map((a) => String(a.Id)),
    );
    expect(records).toHaveLength(named.length);
    const notes = await reader.orgNotes();
    if (required) {
      expect(records.every((r) => r.named === false && r.arr === 0)).toBe(true);
      expect(notes.join('\n')).toMatch(/Account\.Named_Account__c .*the named-account guardrail is skipped/);
    } else {
      expect(records.every((r) => r.named)).toBe(true);
      expect(notes).toEqual([]);
    }
  });
});

describe.each([
  { org: 'an org with only the required field', fields: 'required' as const },
  { org: 'the full demo org', fields: 'all' as const },
])('bulk reassign applied against $org', ({ fields }) => {
  let sf: SalesforceEmulator;
  beforeAll(async () => {
    forgetSalesforceSessions();
    forgetOrgFields();
    sf = await startSalesforceEmulator({ seed: reassignSeed(), packageFields: fields });
  });
  afterAll(async () => {
    await sf?.close();
  });

  it('validates, writes every account owner, and writes the reason only where the org has the field', async () => {
    const tableName = await t.newTable();
    const h = reassignHarness({ doc: t.doc, tableName, sf });
    const deps: ReassignDeps = { ...h.deps, workflow: { start: async () => undefined } };
    const moves = movesNeedingTwoApprovals();
    const request = await submitReassignment(
      { requestedBy: 'Dana', label: 'FY2027', moves },
      { submittedBy: 't' },
      deps,
    );
    await validateReassignment(request.id, deps);
    const plan = await prepareApply(request.id, deps);
    let applied = 0;
    for (const batchId of plan.batchIds) {
      const outcome = await applyBatch(request.id, batchId, deps);
      applied += outcome.applied;
    }
    expect(applied).toBe(moves.length);
    for (const move of moves) {
      const account = sf.store.get('Account', move.recordId)!;
      expect(account.OwnerId).toBe(ORG.rep3);
      if (fields === 'required') expect(account).not.toHaveProperty('Routing_Reason__c');
      else expect(String(account.Routing_Reason__c)).toMatch(/FY2027|reassign/i);
    }
  });
});
