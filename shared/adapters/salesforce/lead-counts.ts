import type { Connection } from '@jsforce/jsforce-node';
import { toId18 } from '../../domain/salesforce-id.js';
import type { CrmLeadCounts, OwnerStatusCount } from '../../ports/crm.js';
import { toSalesforceError } from './errors.js';
import { soqlString } from './soql.js';

/**
 * Owners per aggregate query: an 18-character id costs 27 bytes URL-encoded, so 500 keep the GET
 * under Salesforce's 16 KB URI limit; fewer when owners × statuses could pass the 2,000 rows an
 * aggregate query returns (it has no queryMore).
 */
const MAX_OWNERS_PER_QUERY = 500;
const MAX_AGGREGATE_ROWS = 2000;

export class SalesforceLeadCounts implements CrmLeadCounts {
  constructor(private readonly connection: () => Promise<Connection>) {}

  async leadCountsByOwnerAndStatus(ownerIds: string[], statuses: string[]): Promise<OwnerStatusCount[]> {
    const conn = await this.connection();
    const statusList = statuses.map(soqlString).join(',');
    const rows: OwnerStatusCount[] = [];
    const perQuery = Math.max(
      1,
      Math.min(MAX_OWNERS_PER_QUERY, Math.floor(MAX_AGGREGATE_ROWS / Math.max(1, statuses.length))),
    );
    for (let i = 0; i < ownerIds.length; i += perQuery) {
      const owners = ownerIds
        .slice(i, i + perQuery)
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
