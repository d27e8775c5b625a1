import type { Connection } from '@jsforce/jsforce-node';
import { toId18 } from '../../domain/salesforce-id.js';
import type { CrmLeadCounts, OwnerStatusCount } from '../../ports/crm.js';
import { toSalesforceError } from './errors.js';

/** Owners per aggregate query: keeps the result under Salesforce's 2,000 aggregate rows and the URL short. */
const OWNERS_PER_QUERY = 300;

export class SalesforceLeadCounts implements CrmLeadCounts {
  constructor(private readonly connection: () => Promise<Connection>) {}

  async leadCountsByOwnerAndStatus(ownerIds: string[], statuses: string[]): Promise<OwnerStatusCount[]> {
    const conn = await this.connection();
    const statusList = statuses.map(soqlString).join(',');
    const rows: OwnerStatusCount[] = [];
    for (let i = 0; i < ownerIds.length; i += OWNERS_PER_QUERY) {
      const owners = ownerIds
        .slice(i, i + OWNERS_PER_QUERY)
        .map((id) => soqlString(toId18(id)))
        .join(',');
      const soql =
        `SELECT OwnerId, Status, COUNT(Id) leads FROM Lead ` +
        `WHERE OwnerId IN (${owners}) AND Status IN (${statusList}) AND IsConverted = false ` +
        'GROUP BY OwnerId, Status';
      try {
        const result = await conn.query<{ OwnerId: string; Status: string; leads: number }>(soql, {
          autoFetch: true,
          maxFetch: 100_000,
        });
        for (const r of result.records)
          rows.push({ ownerId: toId18(r.OwnerId), status: r.Status, count: Number(r.leads) });
      } catch (error) {
        throw toSalesforceError(error);
      }
    }
    return rows;
  }
}

function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
