import type { Connection } from '@jsforce/jsforce-node';
import { toId18 } from '../../domain/salesforce-id.js';
import type { CrmObjectType, CrmOwnerGateway, OwnerUpdate, OwnerUpdateResult } from '../../ports/crm.js';
import { toSalesforceError } from './errors.js';

/** sObject Collections take at most 200 records per call. */
export const COLLECTIONS_LIMIT = 200;

export interface OwnerGatewayOptions {
  /** Field that receives the routing reason (e.g. `Routing_Reason__c`); empty to skip. */
  reasonField: string;
}

/**
 * Owners written through jsforce: one SOQL ownership check and one sObject Collections update
 * per batch of up to 200. `Sforce-Auto-Assign: FALSE` keeps Salesforce's own assignment rules
 * from overriding the decision; REST owner updates send no assignment e-mails.
 */
export class SalesforceOwnerGateway implements CrmOwnerGateway {
  readonly maxBatch = COLLECTIONS_LIMIT;

  constructor(
    private readonly connection: () => Promise<Connection>,
    private readonly options: OwnerGatewayOptions,
  ) {}

  async currentOwners(objectType: CrmObjectType, recordIds: string[]): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    if (recordIds.length === 0) return owners;
    const conn = await this.connection();
    const ids = recordIds.map((id) => `'${toId18(id)}'`).join(',');
    try {
      const result = await conn.query<{ Id: string; OwnerId: string }>(
        `SELECT Id, OwnerId FROM ${objectType} WHERE Id IN (${ids})`,
        { autoFetch: true, maxFetch: recordIds.length + 1 },
      );
      for (const r of result.records) owners.set(toId18(r.Id), toId18(r.OwnerId));
    } catch (error) {
      throw toSalesforceError(error);
    }
    return owners;
  }

  async updateOwners(updates: OwnerUpdate[]): Promise<OwnerUpdateResult[]> {
    if (updates.length === 0) return [];
    if (updates.length > COLLECTIONS_LIMIT) throw new Error(`At most ${COLLECTIONS_LIMIT} records per call`);
    const objectType = updates[0]!.objectType;
    if (updates.some((u) => u.objectType !== objectType)) throw new Error('One object type per call');
    const conn = await this.connection();
    const records = updates.map((u) => ({
      Id: u.recordId,
      OwnerId: u.ownerId,
      ...(this.options.reasonField ? { [this.options.reasonField]: u.reason } : {}),
    }));
    let results: Array<{ id?: string | null; success: boolean; errors: unknown[] }>;
    try {
      results = (await conn.sobject(objectType).update(records, {
        allOrNone: false,
        headers: { 'Sforce-Auto-Assign': 'FALSE' },
      })) as never;
    } catch (error) {
      throw toSalesforceError(error);
    }
    // Collections answer in request order, including for records that failed.
    return updates.map((u, i): OwnerUpdateResult => {
      const r = results[i];
      if (r?.success) return { recordId: u.recordId, ok: true };
      const first = toSalesforceError(
        r?.errors?.[0] ?? { statusCode: 'UNKNOWN', message: 'No result for record' },
      );
      return {
        recordId: u.recordId,
        ok: false,
        errorCode: first.errorCode,
        message: first.message,
        retryable: first.retryable,
      };
    });
  }
}
