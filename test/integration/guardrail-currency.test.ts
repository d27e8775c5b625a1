import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadPlanningInputFromSalesforce,
  planningFieldsFromConfig,
} from '../../shared/adapters/planning/salesforce-input.js';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { forgetOrgFields } from '../../shared/adapters/salesforce/org-fields.js';
import { SalesforceReassignmentReader } from '../../shared/adapters/salesforce/reassignment-reader.js';
import { DEFAULT_GUARDRAIL_CONFIG } from '../../shared/domain/guardrails/config.js';
import { evaluateGuardrails } from '../../shared/domain/guardrails/evaluate.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { DEMO_INTEGRATION_USER_ID } from '../../shared/local-stack/demo-org-ids.js';
import {
  emulatorConnectionOptions,
  type OrgCurrencies,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { parseConfig } from '../../shared/runtime/config.js';

/**
 * The deal-owner guardrail compares open deal amounts with $100K. In a multi-currency org each
 * opportunity's Amount is in its own CurrencyIsoCode, so the reader selects convertCurrency(Amount)
 * (the integration user's currency); a single-currency org has no convertCurrency() and refuses it.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_querying_currency_fields.htm
 * ("convertCurrency() ... requires that the org has multiple currencies enabled"; not in WHERE;
 * not with ORDER BY; aggregates of currency fields come in the org's corporate currency).
 */
const REP_FROM = toId18('005CU0000000001');
const REP_TO = toId18('005CU0000000002');
const EURO_DEAL = toId18('001CU0000000001');
const YEN_DEAL = toId18('001CU0000000002');
const DOLLAR_DEAL = toId18('001CU0000000003');
const CURRENCIES: OrgCurrencies = { corporate: 'USD', rates: { EUR: 0.9, JPY: 150 } };

/** The same book in both orgs: 95,000 EUR (≈ 105,556 USD), 14,000,000 JPY (≈ 93,333 USD), 100,000 USD. */
function seed(sf: SalesforceEmulator, multiCurrency: boolean) {
  const currency = (code: string) => (multiCurrency ? { CurrencyIsoCode: code } : {});
  sf.store.insert('User', [
    {
      Id: DEMO_INTEGRATION_USER_ID,
      LastName: 'Integration',
      ...(multiCurrency ? { DefaultCurrencyIsoCode: 'USD' } : {}),
    },
    { Id: REP_FROM, LastName: 'From' },
    { Id: REP_TO, LastName: 'To' },
  ]);
  sf.store.insert(
    'Account',
    [EURO_DEAL, YEN_DEAL, DOLLAR_DEAL].map((Id, i) => ({ Id, Name: `Account ${i}`, OwnerId: REP_FROM })),
  );
  sf.store.insert('Opportunity', [
    {
      Name: 'Euro',
      AccountId: EURO_DEAL,
      OwnerId: REP_FROM,
      StageName: 'Prospecting',
      Amount: 95_000,
      ...currency('EUR'),
    },
    {
      Name: 'Yen',
      AccountId: YEN_DEAL,
      OwnerId: REP_FROM,
      StageName: 'Prospecting',
      Amount: 14_000_000,
      ...currency('JPY'),
    },
    {
      Name: 'Dollar',
      AccountId: DOLLAR_DEAL,
      OwnerId: REP_FROM,
      StageName: 'Prospecting',
      Amount: 100_000,
      ...currency('USD'),
    },
  ]);
}

const moves = [EURO_DEAL, YEN_DEAL, DOLLAR_DEAL].map((recordId) => ({
  recordId,
  objectType: 'Account' as const,
  fromOwnerId: REP_FROM,
  toOwnerId: REP_TO,
}));

async function dealOwnerApprovals(sf: SalesforceEmulator) {
  const reader = new SalesforceReassignmentReader(() => salesforceConnection(emulatorConnectionOptions(sf)), {
    namedField: 'Named_Account__c',
    arrField: 'ARR__c',
  });
  const openOpportunities = await reader.openOpportunities(moves.map((m) => m.recordId));
  const result = evaluateGuardrails(
    { moves },
    {
      accounts: moves.map((m) => ({ id: m.recordId, ownerId: REP_FROM, named: false })),
      openOpportunities,
      // Books large enough that moving three accounts stays under the 30% yearly cap.
      bookSizes: { [REP_FROM]: 100, [REP_TO]: 100 },
      history: [],
    },
    DEFAULT_GUARDRAIL_CONFIG,
    new Date('2026-12-01T00:00:00Z'),
  );
  const byAccount = Object.fromEntries(openOpportunities.map((o) => [o.accountId, o.amount]));
  const approved = result.violations
    .filter((v) => v.rule === 'deal-owner-approval')
    .flatMap((v) => v.recordIds);
  return { byAccount, approved };
}

describe('the $100K deal-owner guardrail in a multi-currency org', () => {
  let sf: SalesforceEmulator;
  beforeAll(async () => {
    forgetSalesforceSessions();
    forgetOrgFields();
    sf = await startSalesforceEmulator({ currencies: CURRENCIES });
    seed(sf, true);
  });
  afterAll(async () => {
    await sf?.close();
  });

  it('compares amounts converted to the integration user’s currency, not the raw numbers', async () => {
    const { byAccount, approved } = await dealOwnerApprovals(sf);
    expect(byAccount).toEqual({ [EURO_DEAL]: 105_555.56, [YEN_DEAL]: 93_333.33, [DOLLAR_DEAL]: 100_000 });
    // Raw amounts would ask the yen deal's owner (14,000,000 > 100,000) and skip the euro deal's.
    expect(approved).toEqual([EURO_DEAL]);
  });

  it('answers plain Amount in each record’s currency and aggregates in the corporate currency', async () => {
    const conn = await salesforceConnection(emulatorConnectionOptions(sf));
    const plain = await conn.query<{ Amount: number; CurrencyIsoCode: string }>(
      `SELECT Amount, CurrencyIsoCode FROM Opportunity WHERE AccountId = '${YEN_DEAL}'`,
    );
    expect(plain.records[0]).toMatchObject({ Amount: 14_000_000, CurrencyIsoCode: 'JPY' });
    const planning = await loadPlanningInputFromSalesforce(conn, planningFieldsFromConfig(parseConfig({})));
    const amounts = Object.fromEntries(planning.accounts.map((a) => [a.id, Math.round(a.openDealAmount)]));
    expect(amounts).toEqual({ [EURO_DEAL]: 105_556, [YEN_DEAL]: 93_333, [DOLLAR_DEAL]: 100_000 });
  });

  it.each([
    ['in WHERE', `SELECT Id FROM Opportunity WHERE convertCurrency(Amount) > 100000`, 'MALFORMED_QUERY'],
    ['with ORDER BY', `SELECT Id FROM Opportunity ORDER BY convertCurrency(Amount)`, 'MALFORMED_QUERY'],
    ['on an aggregate', `SELECT SUM(convertCurrency(Amount)) FROM Opportunity`, 'MALFORMED_QUERY'],
    ['on a field that is not a currency', `SELECT convertCurrency(Name) FROM Opportunity`, 'MALFORMED_QUERY'],
  ])('refuses convertCurrency() %s', async (_, soql, errorCode) => {
    const conn = await salesforceConnection(emulatorConnectionOptions(sf));
    await expect(conn.query(soql)).rejects.toMatchObject({ errorCode });
  });
});

describe('the same guardrail in a single-currency org', () => {
  let sf: SalesforceEmulator;
  beforeAll(async () => {
    forgetSalesforceSessions();
    forgetOrgFields();
    sf = await startSalesforceEmulator();
    seed(sf, false);
  });
  afterAll(async () => {
    await sf?.close();
  });

  it('has no CurrencyIsoCode and refuses convertCurrency(), as an org without multiple currencies does', async () => {
    const conn = await salesforceConnection(emulatorConnectionOptions(sf));
    await expect(conn.query('SELECT Id, convertCurrency(Amount) FROM Opportunity')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining('multiple currencies'),
    });
    await expect(conn.query('SELECT CurrencyIsoCode FROM Opportunity')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
  });

  it('reads plain Amount (so nothing is refused) and compares it as it is', async () => {
    const { byAccount, approved } = await dealOwnerApprovals(sf);
    expect(byAccount).toEqual({ [EURO_DEAL]: 95_000, [YEN_DEAL]: 14_000_000, [DOLLAR_DEAL]: 100_000 });
    expect(approved).toEqual([YEN_DEAL]);
  });
});
