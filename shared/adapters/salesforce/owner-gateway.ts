import type { Connection } from '@jsforce/jsforce-node';
import { toId18 } from '../../domain/salesforce-id.js';
import type {
  CrmObjectType,
  CrmOwnerGateway,
  OwnerUpdate,
  OwnerUpdateResult,
  RecordOwnership,
} from '../../ports/crm.js';
import { toSalesforceError } from './errors.js';
import { lookupLeftOut, matchedAccountField, refusedLookup } from './matched-account-field.js';
import { ReasonField } from './reason-field.js';

/** sObject Collections take at most 200 records per update call. */
export const COLLECTIONS_LIMIT = 200;
/** sObject Collections retrieve takes up to 2,000 ids in a POST body (a SOQL GET is bounded by URL length). */
export const RETRIEVE_LIMIT = 2000;

export interface OwnerGatewayOptions {
  /** Field that receives the routing reason (e.g. `Routing_Reason__c`); empty to skip. */
  reasonField: string;
  /** Lead lookup set to the matched account in the same update (e.g. `Matched_Account__c`); empty or absent: off. */
  matchedAccountField?: string;
}

/**
 * Owners written through jsforce: an ownership check per up to 2,000 records (one Collections
 * retrieve, which also says whether a lead was converted) and one sObject Collections update per
 * 200. `Sforce-Auto-Assign: FALSE` keeps Salesforce's own assignment rules from overriding the
 * decision; REST owner updates send no assignment e-mails.
 *
 * The reason field is required on Lead: an org without it fails the first write with a clear
 * error instead of an INVALID_FIELD per record. On other objects it is written when the org has it.
 */
export class SalesforceOwnerGateway implements CrmOwnerGateway {
  readonly maxBatch = COLLECTIONS_LIMIT;
  readonly maxCheck = RETRIEVE_LIMIT;
  private readonly reasonField: ReasonField;
  private readonly lookupFieldOn: (objectType: CrmObjectType) => Promise<string>;

  constructor(
    private readonly connection: () => Promise<Connection>,
    options: OwnerGatewayOptions,
  ) {
    this.reasonField = new ReasonField(connection, options.reasonField);
    this.lookupFieldOn = matchedAccountField(connection, options.matchedAccountField);
  }

  async currentOwners(objectType: CrmObjectType, recordIds: string[]): Promise<Map<string, RecordOwnership>> {
    const owners = new Map<string, RecordOwnership>();
    const ids = [...new Set(recordIds.map(toId18))];
    if (ids.length === 0) return owners;
    if (ids.length > RETRIEVE_LIMIT) throw new Error(`At most ${RETRIEVE_LIMIT} records per check`);
    const conn = await this.connection();
    const fields = objectType === 'Lead' ? ['Id', 'OwnerId', 'IsConverted'] : ['Id', 'OwnerId'];
    let rows: Array<Record<string, unknown> | null>;
    try {
      // Missing or deleted ids come back as null in their position.
      rows = (await conn.retrieve(objectType, ids, { fields })) as unknown as Array<Record<
        string,
        unknown
      > | null>;
    } catch (error) {
      throw toSalesforceError(error);
    }
    for (const r of rows) {
      if (!r || typeof r.Id !== 'string' || typeof r.OwnerId !== 'string') continue;
      owners.set(toId18(r.Id), { ownerId: toId18(r.OwnerId), converted: r.IsConverted === true });
    }
    return owners;
  }

  async updateOwners(updates: OwnerUpdate[]): Promise<OwnerUpdateResult[]> {
    if (updates.length === 0) return [];
    if (updates.length > COLLECTIONS_LIMIT) throw new Error(`At most ${COLLECTIONS_LIMIT} records per call`);
    const objectType = updates[0]!.objectType;
    if (updates.some((u) => u.objectType !== objectType)) throw new Error('One object type per call');
    const reasonField = await this.reasonField.on(objectType);
    const lookupField = await this.lookupFieldOn(objectType);
    const results = await this.write(updates, reasonField, lookupField);
    // A refused lookup (the account was deleted or merged since the sync) must not cost the owner:
    // those records are written again without it, and the result says what was left out.
    const retried = updates.filter((u, i) => {
      const r = results[i]!;
      return !r.ok && refusedLookup(u, lookupField, r);
    });
    if (retried.length === 0) return results.map(({ fields: _, ...r }) => r);
    const again = new Map(
      (
        await this.write(
          retried.map(({ matchedAccountId: _, ...u }) => u),
          reasonField,
          '',
        )
      ).map((r) => [r.recordId, r]),
    );
    return results.map(({ fields: _, ...first }, i): OwnerUpdateResult => {
      const update = updates[i]!;
      const second = again.get(update.recordId);
      if (!second || first.ok) return first;
      const { fields: __, ...result } = second;
      return result.ok
        ? {
            ...result,
            note: lookupLeftOut(lookupField, update.matchedAccountId ?? '', first.errorCode),
          }
        : result;
    });
  }

  /** One Collections update; results in request order, failures with the fields Salesforce named. */
  private async write(
    updates: OwnerUpdate[],
    reasonField: string,
    lookupField: string,
  ): Promise<Array<OwnerUpdateResult & { fields?: string[] }>> {
    const conn = await this.connection();
    const records = updates.map((u) => ({
      Id: u.recordId,
      OwnerId: u.ownerId,
      ...(reasonField ? { [reasonField]: u.reason } : {}),
      ...(lookupField && u.matchedAccountId ? { [lookupField]: u.matchedAccountId } : {}),
    }));
    let results: Array<{ id?: string | null; success: boolean; errors: unknown[] }>;
    try {
      results = (await conn.sobject(updates[0]!.objectType).update(records, {
        allOrNone: false,
        headers: { 'Sforce-Auto-Assign': 'FALSE' },
      })) as never;
    } catch (error) {
      throw toSalesforceError(error);
    }
    // Collections answer in request order, including for records that failed.
    return updates.map((u, i) => {
      const r = results[i];
      if (r?.success) return { recordId: u.recordId, ok: true as const };
      const first = toSalesforceError(
        r?.errors?.[0] ?? { statusCode: 'UNKNOWN', message: 'No result for record' },
      );
      return {
        recordId: u.recordId,
        ok: false as const,
        errorCode: first.errorCode,
        message: first.message,
        retryable: first.retryable,
        fields: first.fields,
      };
    });
  }
}
