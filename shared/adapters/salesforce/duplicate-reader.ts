import type { Connection } from '@jsforce/jsforce-node';
import { toId18 } from '../../domain/salesforce-id.js';
import type { ExistingRecordKind } from '../../domain/territory/model.js';
import type { PersonSource, SyncedPerson } from '../../ports/duplicate-index.js';
import { toSalesforceError } from './errors.js';

type PersonRow = {
  Id?: string;
  Email?: string | null;
  OwnerId?: string | null;
  IsConverted?: boolean;
  SystemModstamp?: string;
};

const OBJECT: Record<ExistingRecordKind, 'Lead' | 'Contact'> = { lead: 'Lead', contact: 'Contact' };

/**
 * Leads or contacts with an e-mail, for the duplicate index, through jsforce SOQL pages ordered by
 * SystemModstamp (an interrupted sync resumes where it stopped) and the delete log. A full load reads
 * open leads only; an incremental sync reads every change, so a lead converted since is seen and removed.
 * The e-mail is read to compute the index key and is not kept.
 */
export class SalesforcePersonSource implements PersonSource {
  constructor(
    private readonly connection: () => Promise<Connection>,
    private readonly kind: ExistingRecordKind,
  ) {}

  async *changedSince(since: string | undefined): AsyncGenerator<SyncedPerson[]> {
    const object = OBJECT[this.kind];
    const fields = [
      'Id',
      'Email',
      'OwnerId',
      ...(object === 'Lead' ? ['IsConverted'] : []),
      'SystemModstamp',
    ];
    const where = [
      'Email != null',
      ...(since === undefined && object === 'Lead' ? ['IsConverted = false'] : []),
      // SOQL date-time literals take no milliseconds: flooring re-reads at most a second of changes.
      ...(since ? [`SystemModstamp >= ${new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z')}`] : []),
    ];
    const soql = `SELECT ${fields.join(', ')} FROM ${object} WHERE ${where.join(' AND ')} ORDER BY SystemModstamp, Id`;
    try {
      const conn = await this.connection();
      let page = await conn.query<PersonRow>(soql, { autoFetch: false });
      for (;;) {
        yield page.records.flatMap((row) => this.toPerson(row));
        if (page.done || !page.nextRecordsUrl) return;
        page = await conn.queryMore<PersonRow>(page.nextRecordsUrl);
      }
    } catch (error) {
      throw toSalesforceError(error);
    }
  }

  async deletedBetween(start: Date, end: Date): Promise<string[]> {
    try {
      const conn = await this.connection();
      const result = await conn.sobject(OBJECT[this.kind]).deleted(start, end);
      return result.deletedRecords.map((d) => toId18(d.id));
    } catch (error) {
      throw toSalesforceError(error);
    }
  }

  private toPerson(row: PersonRow): SyncedPerson[] {
    if (!row.Id || !row.SystemModstamp) return [];
    return [
      {
        recordId: toId18(row.Id),
        kind: this.kind,
        ...(row.Email ? { email: row.Email } : {}),
        ...(row.OwnerId ? { ownerId: toId18(row.OwnerId) } : {}),
        open: row.IsConverted !== true,
        systemModstamp: new Date(row.SystemModstamp.replace(/\+0000$/, 'Z')).toISOString(),
      },
    ];
  }
}
