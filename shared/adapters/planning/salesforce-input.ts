import type { Connection } from '@jsforce/jsforce-node';
import type { Account, PlanningInput, Rep } from '../../domain/planning/model.js';
import { toId18 } from '../../domain/salesforce-id.js';
import { toSalesforceError } from '../salesforce/errors.js';
import { locatePostalCode } from './postal.js';

/**
 * Which org fields feed the planning dimensions. Defaults match the demo org; an org without a
 * field sets it to undefined and the dimension falls back as documented per field.
 */
export interface SalesforcePlanningFields {
  /** Account revenue potential; falls back to AnnualRevenue. */
  revenuePotential: string | undefined;
  /** Account growth potential (any scale); 0 when undefined. */
  growthPotential: string | undefined;
  /** Named-account checkbox; false when undefined. */
  named: string | undefined;
  /** Account ARR; 0 when undefined. */
  arr: string | undefined;
  /** User field with `;`-separated industries. */
  specializations: string | undefined;
}

export const DEMO_ORG_PLANNING_FIELDS: SalesforcePlanningFields = {
  revenuePotential: 'Revenue_Potential__c',
  growthPotential: 'Growth_Potential__c',
  named: 'Named_Account__c',
  arr: undefined,
  specializations: 'Industry_Specialization__c',
};

type Row = Record<string, unknown>;

/**
 * Accounts and their owners pulled from Salesforce: one Account query, one aggregate over open
 * opportunities (open deal total and count per account), one User query for the owners.
 * Workload = 1 + open opportunities: every account takes care, each open deal more.
 */
export async function loadPlanningInputFromSalesforce(
  conn: Connection,
  fields: SalesforcePlanningFields = DEMO_ORG_PLANNING_FIELDS,
): Promise<PlanningInput> {
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
  const accounts = await query(conn, `SELECT ${[...new Set(accountFields)].join(', ')} FROM Account`);
  const deals = await query(
    conn,
    'SELECT AccountId, COUNT(Id) deals, SUM(Amount) amount FROM Opportunity WHERE IsClosed = false GROUP BY AccountId',
  );
  const dealsByAccount = new Map(
    deals.map((d) => [
      toId18(String(d.AccountId)),
      { count: Number(d.deals ?? 0), amount: Number(d.amount ?? 0) },
    ]),
  );

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
  for (let i = 0; i < ownerIds.length; i += 300) {
    const ids = ownerIds
      .slice(i, i + 300)
      .map((id) => `'${toId18(id)}'`)
      .join(',');
    users.push(...(await query(conn, `SELECT ${userFields.join(', ')} FROM User WHERE Id IN (${ids})`)));
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
  return { accounts: planningAccounts, reps };
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
