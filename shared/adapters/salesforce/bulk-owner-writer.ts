import type { Connection } from '@jsforce/jsforce-node';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { CrmBulkOwnerWriter, CrmObjectType, OwnerUpdate, OwnerUpdateResult } from '../../ports/crm.js';
import { toSalesforceError } from './errors.js';
import { matchedAccountField, refusedLookup } from './matched-account-field.js';
import { ReasonField } from './reason-field.js';

export interface BulkOwnerWriterOptions {
  /** Field that receives the audit reason (e.g. `Routing_Reason__c`); empty to skip. */
  reasonField: string;
  /** Lead lookup set to the matched account in the same row (e.g. `Matched_Account__c`); empty or absent: off. */
  matchedAccountField?: string;
  /** How long to wait for a job; real jobs of tens of thousands of rows take minutes (default 10 min). */
  pollTimeoutMs?: number;
  /** Between job status checks (default 5 s). */
  pollIntervalMs?: number;
}

const DEFAULT_POLL_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_POLL_INTERVAL_MS = 5000;

/**
 * Owner changes through Bulk API 2.0: per object type one ingest job — create, PUT the CSV
 * (Id, OwnerId, reason), UploadComplete, poll, then read successful and failed results — a handful
 * of HTTP calls however many rows. Bulk 2.0 runs assignment rules only for a job that names an
 * `assignmentRuleId`, which this never sets, so it needs no `Sforce-Auto-Assign` header.
 *
 * Errors before the job is closed (auth, limits, outage) are thrown as SalesforceError; once the
 * job runs, every record gets a result: per-record failures keep Salesforce's code and whether a
 * retry may succeed, and a job that failed, was aborted or outran the poll timeout reports each of
 * its records as retryable.
 */
export class SalesforceBulkOwnerWriter implements CrmBulkOwnerWriter {
  private readonly reasonField: ReasonField;
  private readonly lookupFieldOn: (objectType: CrmObjectType) => Promise<string>;
  private readonly pollTimeoutMs: number;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly connection: () => Promise<Connection>,
    options: BulkOwnerWriterOptions,
  ) {
    this.reasonField = new ReasonField(connection, options.reasonField);
    this.lookupFieldOn = matchedAccountField(connection, options.matchedAccountField);
    this.pollTimeoutMs = options.pollTimeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  async updateOwnersInBulk(updates: OwnerUpdate[]): Promise<OwnerUpdateResult[]> {
    if (updates.length === 0) return [];
    const byType = new Map<CrmObjectType, OwnerUpdate[]>();
    for (const u of updates) {
      const list = byType.get(u.objectType);
      if (list) list.push(u);
      else byType.set(u.objectType, [u]);
    }
    const conn = await this.connection();
    const results: OwnerUpdateResult[] = [];
    for (const [objectType, group] of byType) results.push(...(await this.runJob(conn, objectType, group)));
    return results;
  }

  private async runJob(
    conn: Connection,
    objectType: CrmObjectType,
    updates: OwnerUpdate[],
  ): Promise<OwnerUpdateResult[]> {
    // Checked before any job is created: a missing Lead reason field fails here, clearly.
    const reasonField = await this.reasonField.on(objectType);
    const lookupField = updates.some((u) => u.matchedAccountId) ? await this.lookupFieldOn(objectType) : '';
    const header = [
      'Id',
      'OwnerId',
      ...(reasonField ? [reasonField] : []),
      ...(lookupField ? [lookupField] : []),
    ];
    // An empty Bulk CSV cell leaves the field as it is: leads without a match keep their lookup.
    const rows = updates.map((u) => [
      toId18(u.recordId),
      toId18(u.ownerId),
      ...(reasonField ? [u.reason] : []),
      ...(lookupField ? [u.matchedAccountId ?? ''] : []),
    ]);
    const csv = stringify([header, ...rows], { record_delimiter: 'unix' });
    const job = conn.bulk2.createJob({ object: objectType, operation: 'update', lineEnding: 'LF' });
    try {
      await job.open();
      await job.uploadData(csv);
      await job.close();
    } catch (error) {
      throw toSalesforceError(error);
    }

    // The final job info counts failures: with none, the failed-results call is saved.
    let completed: { numberRecordsFailed?: number } | undefined;
    job.once('jobComplete', (info: { numberRecordsFailed?: number }) => {
      completed = info;
    });
    try {
      await job.poll(this.pollIntervalMs, this.pollTimeoutMs);
    } catch (error) {
      const e = error as { name?: string; message?: string };
      if (e.name?.startsWith('JobPollingTimeout')) {
        // The job may still finish; owner writes are idempotent, so retrying these is safe.
        return everyRecord(updates, {
          errorCode: 'JOB_POLLING_TIMEOUT',
          message: `Bulk job ${job.id} still running after ${this.pollTimeoutMs} ms`,
          retryable: true,
        });
      }
      if (/Ingest job failed|aborted/i.test(e.message ?? '')) {
        // A failed or aborted job wrote nothing: the write-back retries each record through
        // collections, which answers per record (and gives up after its attempts, reporting why).
        return everyRecord(updates, {
          errorCode: 'BULK_JOB_FAILED',
          message: `Bulk job ${job.id}: ${e.message ?? 'failed'}`.slice(0, 500),
          retryable: true,
        });
      }
      throw toSalesforceError(error);
    }

    let successful: string;
    let failed: string;
    try {
      [successful, failed] = await Promise.all([
        job.getSuccessfulResults(true) as Promise<string>,
        completed?.numberRecordsFailed === 0
          ? Promise.resolve('')
          : (job.getFailedResults(true) as Promise<string>),
      ]);
    } catch (error) {
      throw toSalesforceError(error);
    }
    return mapResults(updates, readCsv(successful), readCsv(failed), lookupField);
  }
}

function everyRecord(
  updates: OwnerUpdate[],
  failure: { errorCode: string; message: string; retryable: boolean },
): OwnerUpdateResult[] {
  return updates.map((u) => ({ recordId: u.recordId, ok: false, ...failure }));
}

function readCsv(text: unknown): Array<Record<string, string>> {
  if (typeof text !== 'string' || text.trim() === '') return [];
  return parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;
}

/** Results come back in any order: match them to the updates by record id. */
function mapResults(
  updates: OwnerUpdate[],
  successful: Array<Record<string, string>>,
  failed: Array<Record<string, string>>,
  lookupField: string,
): OwnerUpdateResult[] {
  const idOf = (row: Record<string, string>) => {
    const raw = row.sf__Id || row.Id || '';
    return isSalesforceId(raw) ? toId18(raw) : '';
  };
  const ok = new Set(successful.map(idOf));
  const errors = new Map(failed.map((row) => [idOf(row), row.sf__Error ?? '']));
  return updates.map((u): OwnerUpdateResult => {
    const id = toId18(u.recordId);
    if (ok.has(id)) return { recordId: u.recordId, ok: true };
    const error = errors.get(id);
    if (error === undefined) {
      return {
        recordId: u.recordId,
        ok: false,
        errorCode: 'UNPROCESSED',
        message: 'The bulk job did not process this record',
        retryable: true,
      };
    }
    // `UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--`
    const [code = 'UNKNOWN', ...rest] = error.split(':');
    const mapped = toSalesforceError({
      statusCode: code.trim(),
      message: rest
        .join(':')
        .replace(/:?--\s*$/, '')
        .trim(),
    });
    // A refused lookup is retried through the write-back's Collections path, which writes the owner without it.
    const lookup = refusedLookup(u, lookupField, mapped);
    return {
      recordId: u.recordId,
      ok: false,
      errorCode: mapped.errorCode,
      message: mapped.message || error,
      retryable: mapped.retryable || lookup,
    };
  });
}
