import type { Connection } from '@jsforce/jsforce-node';
import { toId18 } from '../../domain/salesforce-id.js';
import { NO_PERFORMANCE_DATA, type PerformanceInputs } from '../../domain/topup/performance.js';
import type { CrmRepPerformance } from '../../ports/crm.js';
import { toSalesforceError } from './errors.js';
import { soqlIdList } from './soql.js';

export interface RepPerformanceOptions {
  /** Leads received in this many days count towards the activity ratio (default 90). */
  lookbackDays?: number;
}

/** Owners per aggregate query (one row per owner; the IN list keeps the GET under 16 KB). */
const OWNERS_PER_QUERY = 500;

/**
 * Performance inputs from three aggregate queries per 500 reps:
 * - activity: leads received in the lookback window, and how many have a `LastActivityDate`
 *   (Salesforce sets it when a call, e-mail or meeting is logged on the lead);
 * - pipeline: open opportunities, and how many are past their close date.
 */
export class SalesforceRepPerformance implements CrmRepPerformance {
  private readonly lookbackDays: number;

  constructor(
    private readonly connection: () => Promise<Connection>,
    options: RepPerformanceOptions = {},
  ) {
    this.lookbackDays = Math.max(1, Math.floor(options.lookbackDays ?? 90));
  }

  async performanceInputs(repIds: string[], asOf: Date): Promise<Map<string, PerformanceInputs>> {
    const inputs = new Map<string, PerformanceInputs>(
      repIds.map((id) => [toId18(id), { ...NO_PERFORMANCE_DATA }]),
    );
    if (repIds.length === 0) return inputs;
    const conn = await this.connection();
    const today = asOf.toISOString().slice(0, 10);
    for (let i = 0; i < repIds.length; i += OWNERS_PER_QUERY) {
      const owners = soqlIdList(repIds.slice(i, i + OWNERS_PER_QUERY));
      const [leads, open, overdue] = await Promise.all([
        aggregate(
          conn,
          `SELECT OwnerId, COUNT(Id) received, COUNT(LastActivityDate) worked FROM Lead ` +
            `WHERE OwnerId IN (${owners}) AND CreatedDate = LAST_N_DAYS:${this.lookbackDays} GROUP BY OwnerId`,
        ),
        aggregate(
          conn,
          `SELECT OwnerId, COUNT(Id) opportunities FROM Opportunity ` +
            `WHERE OwnerId IN (${owners}) AND IsClosed = false GROUP BY OwnerId`,
        ),
        aggregate(
          conn,
          `SELECT OwnerId, COUNT(Id) opportunities FROM Opportunity ` +
            `WHERE OwnerId IN (${owners}) AND IsClosed = false AND CloseDate < ${today} GROUP BY OwnerId`,
        ),
      ]);
      for (const row of leads) {
        const entry = inputs.get(row.owner);
        if (entry) {
          entry.leadsReceived = row.number('received');
          entry.leadsWorked = row.number('worked');
        }
      }
      for (const row of open) {
        const entry = inputs.get(row.owner);
        if (entry) entry.openOpportunities = row.number('opportunities');
      }
      for (const row of overdue) {
        const entry = inputs.get(row.owner);
        if (entry) entry.overdueOpportunities = row.number('opportunities');
      }
    }
    return inputs;
  }
}

interface AggregateRow {
  owner: string;
  number(alias: string): number;
}

async function aggregate(conn: Connection, soql: string): Promise<AggregateRow[]> {
  try {
    const result = await conn.query<Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 10_000 });
    return result.records.map((r) => ({
      owner: toId18(String(r.OwnerId)),
      number: (alias) => {
        const n = Number(r[alias] ?? 0);
        return Number.isFinite(n) ? n : 0;
      },
    }));
  } catch (error) {
    throw toSalesforceError(error);
  }
}
