import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadPlanningInputFromSalesforce,
  planningFieldsFromConfig,
} from '../../shared/adapters/planning/salesforce-input.js';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { DEFAULT_GUARDRAIL_CONFIG } from '../../shared/domain/guardrails/config.js';
import { DEFAULT_WEIGHTS } from '../../shared/domain/planning/model.js';
import { planTerritories } from '../../shared/domain/planning/plan.js';
import { demoData } from '../../shared/local-stack/demo-data.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { parseConfig } from '../../shared/runtime/config.js';

let sf: SalesforceEmulator;
const demo = demoData();

beforeAll(async () => {
  forgetSalesforceSessions();
  sf = await startSalesforceEmulator({ seed: demo });
});
afterAll(async () => {
  await sf?.close();
});

const FIELDS = planningFieldsFromConfig(parseConfig({}));
const connect = () => salesforceConnection(emulatorConnectionOptions(sf));

describe('planning input pulled from Salesforce', () => {
  it('reads every account with its owner, open deals and named flag in three queries', async () => {
    const conn = await connect();
    sf.resetCalls();
    const input = await loadPlanningInputFromSalesforce(conn, FIELDS);
    expect(input.accounts).toHaveLength(demo.accounts.length);
    expect(input.accounts.filter((a) => a.named)).toHaveLength(
      demo.accounts.filter((a) => a.Named_Account__c).length,
    );
    const openDeals = demo.opportunities.filter((o) => o.IsClosed === false);
    const withDeals = new Set(openDeals.map((o) => o.AccountId));
    const account = input.accounts.find((a) => withDeals.has(a.id))!;
    const own = openDeals.filter((o) => o.AccountId === account.id);
    expect(account.workload).toBe(1 + own.length);
    expect(account.openDealAmount).toBeCloseTo(
      own.reduce((sum, o) => sum + Number(o.Amount), 0),
      2,
    );
    expect(input.reps.map((r) => r.id).sort()).toEqual(
      [...new Set(demo.accounts.map((a) => a.OwnerId))].sort(),
    );
    expect(input.reps.every((r) => r.location.latitude > 41)).toBe(true);
    expect((sf.calls().query ?? 0) + (sf.calls().queryMore ?? 0)).toBe(3);
  });

  it('feeds a replan that keeps named accounts and balances the demo book', async () => {
    const input = await loadPlanningInputFromSalesforce(await connect(), FIELDS);
    const plan = planTerritories(input, {
      mode: 'replan',
      maxMoves: 80,
      weights: DEFAULT_WEIGHTS,
      now: new Date('2026-11-22T12:00:00Z'),
      defaultMinAccounts: 30,
      defaultMaxAccounts: 150,
      coverage: { industry: 0.8, region: 0.7, radiusKm: 100 },
      specializationKm: 25,
      guardrails: DEFAULT_GUARDRAIL_CONFIG,
      history: [],
    });
    const byId = new Map(plan.assignments.map((a) => [a.accountId, a.repId]));
    for (const a of input.accounts.filter((x) => x.named)) expect(byId.get(a.id)).toBe(a.currentOwnerId);
    expect(plan.metrics.proposed.composite.coefficientOfVariation).toBeLessThan(
      plan.metrics.current.composite.coefficientOfVariation,
    );
  });
});
