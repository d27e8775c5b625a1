import type { Connection } from '@jsforce/jsforce-node';
import type { Account, PlanningInput, Rep } from '../../domain/planning/model.js';
import { toId18 } from '../../domain/salesforce-id.js';
import { toSalesforceError } from '../salesforce/errors.js';
import { type DescribedObject, missingFieldNote, SalesforceOrgFields } from '../salesforce/org-fields.js';
import { assertFieldName, soqlIdList } from '../salesforce/soql.js';
import { locatePostalCode } from './postal.js';

/**
 * Which org fields feed the planning dimensions (from configuration). A field the org lacks, or
 * undefined, makes the dimension fall back as documented per field.
 */
export interface SalesforcePlanningFields {
  /** Account revenue potential; falls back to AnnualRevenue. */
  revenuePotential: string | undefined;
  /** Account growth potential (any scale); 0 when undefined. */
  growthPotential: string | undefined;
  /** Named-account checkbox; false when undefined. */
  named: string | undefined;
  /** Account ARR (transition plan's ARR moving); 0 when undefined. */
  arr: string | undefined;
  /** User field with `;`-separated industries. */
  specializations: string | undefined;
}

type Row = Record<string, unknown>;

/** The planning fields as configured (README "Configuration"); the org's describe decides which are read. */
export function planningFieldsFromConfig(cfg: {
  ACCOUNT_REVENUE_POTENTIAL_FIELD: string;
  ACCOUNT_GROWTH_POTENTIAL_FIELD: string;
  ACCOUNT_NAMED_FIELD: string;
  ACCOUNT_ARR_FIELD: string;
  USER_SPECIALIZATION_FIELD: string;
}): SalesforcePlanningFields {
  return {
    revenuePotential: cfg.ACCOUNT_REVENUE_POTENTIAL_FIELD,
    growthPotential: cfg.ACCOUNT_GROWTH_POTENTIAL_FIELD,
    named: cfg.ACCOUNT_NAMED_FIELD,
    arr: cfg.ACCOUNT_ARR_FIELD,
    specializations: cfg.USER_SPECIALIZATION_FIELD,
  };
}

/** Planning input with what the org lacked and how the dimension fell back. */
export type SalesforcePlanningInput = PlanningInput & { notes: string[] };

/**
 * Accounts per open-deal aggregate: one row per account, so at most 500 rows (an aggregate query
 * returns 2,000 rows and has no queryMore), and 500 ids keep the GET under the 16 KB URI limit.
 */
const ACCOUNTS_PER_AGGREGATE = 500;
const USERS_PER_QUERY = 300;

/**
 * Accounts and their owners pulled from Salesforce: one Account query (person accounts excluded
 * where the org has them), open-opportunity aggregates per 500 accounts (open deal total and count
 * per account; aggregates on currency fields come in the corporate currency), one User query per
 * 300 owners. Only configured fields the org has are read; each one missing leaves a note.
 * Workload = 1 + open opportunities: every account takes care, each open deal more.
 */
export async function loadPlanningInputFromSalesforce(
  conn: Connection,
  configured: SalesforcePlanningFields,
): Promise<SalesforcePlanningInput> {
  const orgFields = new SalesforceOrgFields(async () => conn);
  const notes: string[] = [];
  const fields = { ...configured };
  const fallbacks: Array<[keyof SalesforcePlanningFields, DescribedObject, string]> = [
    ['revenuePotential', 'Account', 'revenue potential is AnnualRevenue'],
    ['growthPotential', 'Account', 'growth potential is 0 for every account'],
    ['named', 'Account', 'no account is kept as a named account'],
    ['arr', 'Account', 'no ARR: the transition plan reports ARR moving as 0'],
    ['specializations', 'User', 'reps have no industry specializations'],
  ];
  for (const [key, objectName, consequence] of fallbacks) {
    const field = fields[key];
    if (field && !(await orgFields.has(objectName, field))) {
      notes.push(missingFieldNote(objectName, field, consequence));
      fields[key] = undefined;
    }
  }

  const accountFields = [
    'Id',
    'Name',
    'Industry',
    'BillingPostalCode',
    'BillingLatitude',
    'BillingLongitude',
    'OwnerId',
    'AnnualRevenue',
    fields.revenuePotential,
    fields.growthPotential,
    fields.named,
    fields.arr,
  ].filter((f): f is string => f !== undefined);
  // Person accounts are consumers, not a territory's business accounts.
  const businessOnly = (await orgFields.personAccounts()) ? ' WHERE IsPersonAccount = false' : '';
  const accounts = await query(
    conn,
    `SELECT ${[...new Set(accountFields)].map(assertFieldName).join(', ')} FROM Account${businessOnly}`,
  );
  const accountIds = accounts.map((a) => toId18(String(a.Id)));
  const dealsByAccount = new Map<string, { count: number; amount: number }>();
  for (let i = 0; i < accountIds.length; i += ACCOUNTS_PER_AGGREGATE) {
    const deals = await query(
      conn,
      'SELECT AccountId, COUNT(Id) deals, SUM(Amount) amount FROM Opportunity ' +
        `WHERE IsClosed = false AND AccountId IN (${soqlIdList(accountIds.slice(i, i + ACCOUNTS_PER_AGGREGATE))}) ` +
        'GROUP BY AccountId',
    );
    for (const d of deals) {
      dealsByAccount.set(toId18(String(d.AccountId)), {
        count: Number(d.deals ?? 0),
        amount: Number(d.amount ?? 0),
      });
    }
  }

  const ownerIds = [
    ...new Set(accounts.map((a) => a.OwnerId).filter((id): id is string => typeof id === 'string')),
  ];
  const userFields = [
    'Id',
    'Name',
    'IsActive',
    'PostalCode',
    'Latitude',
    'Longitude',
    fields.specializations,
  ].filter((f): f is string => f !== undefined);
  const users: Row[] = [];
  for (let i = 0; i < ownerIds.length; i += USERS_PER_QUERY) {
    const ids = soqlIdList(ownerIds.slice(i, i + USERS_PER_QUERY));
    users.push(
      ...(await query(
        conn,
        `SELECT ${userFields.map(assertFieldName).join(', ')} FROM User WHERE Id IN (${ids})`,
      )),
    );
  }

  const reps: Rep[] = users.map((u) => {
    const postalCode = text(u.PostalCode);
    const location = point(u.Latitude, u.Longitude) ??
      locatePostalCode(postalCode) ?? { latitude: 0, longitude: 0 };
    return {
      id: toId18(String(u.Id)),
      name: text(u.Name),
      postalCode,
      location,
      specializations: fields.specializations
        ? text(u[fields.specializations])
            .split(';')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
      active: u.IsActive === true,
    };
  });

  const planningAccounts: Account[] = accounts.map((a) => {
    const id = toId18(String(a.Id));
    const postalCode = text(a.BillingPostalCode);
    const open = dealsByAccount.get(id) ?? { count: 0, amount: 0 };
    return {
      id,
      name: text(a.Name),
      revenuePotential:
        num(fields.revenuePotential ? a[fields.revenuePotential] : undefined) ?? num(a.AnnualRevenue) ?? 0,
      workload: 1 + open.count,
      growthPotential: num(fields.growthPotential ? a[fields.growthPotential] : undefined) ?? 0,
      industry: text(a.Industry),
      postalCode,
      location: point(a.BillingLatitude, a.BillingLongitude) ??
        locatePostalCode(postalCode) ?? { latitude: 0, longitude: 0 },
      currentOwnerId: typeof a.OwnerId === 'string' ? toId18(a.OwnerId) : null,
      named: fields.named ? a[fields.named] === true : false,
      openDealAmount: open.amount,
      arr: num(fields.arr ? a[fields.arr] : undefined) ?? 0,
    };
  });
  return { accounts: planningAccounts, reps, notes };
}

async function query(conn: Connection, soql: string): Promise<Row[]> {
  try {
    const result = await conn.query<Row>(soql, { autoFetch: true, maxFetch: 1_000_000 });
    return result.records;
  } catch (error) {
    throw toSalesforceError(error);
  }
}

const text = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v));
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const point = (lat: unknown, lon: unknown) =>
  typeof lat === 'number' && typeof lon === 'number' ? { latitude: lat, longitude: lon } : undefined;
