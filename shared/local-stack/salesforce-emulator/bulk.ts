import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import { type BulkJob, BulkJobs, invalidJobState } from './bulk-jobs.js';
import { formatBulkError, type RecordWriter } from './dml.js';
import { ApiError } from './http.js';
import { fieldOf, type OrgSchema, type SObjectType } from './schema.js';

export type IngestJobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface IngestJob extends BulkJob<IngestJobState> {
  object: SObjectType;
  operation: 'update';
  csv?: string;
  columns: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  totalProcessingTime: number;
  errorMessage?: string;
}

const FINISHED: IngestJobState[] = ['JobComplete', 'Failed', 'Aborted'];

/**
 * Bulk API 2.0 ingest jobs (update only): create, one CSV upload, UploadComplete, then the job
 * runs in the background with the same per-record rules and faults as sObject Collections.
 */
export class IngestJobs extends BulkJobs<IngestJobState, IngestJob> {
  constructor(
    private readonly schema: OrgSchema,
    private readonly writer: RecordWriter,
    now: () => Date,
    private readonly processingDelayMs: number,
    /** A pending whole-job failure's errorMessage (a switchable fault), taken once per job. */
    private readonly takeJobFailure: () => string | undefined = () => undefined,
  ) {
    super(now, '750EM', 'V2Ingest');
  }

  create(body: unknown, userId: string, apiVersion: string): Record<string, unknown> {
    const spec = (body ?? {}) as Record<string, unknown>;
    const invalid = (message: string) => new ApiError(400, 'INVALIDJOB', message);
    if (typeof spec.object !== 'string') throw invalid('Object is required');
    const object = this.schema.object(spec.object);
    if (!object) {
      throw new ApiError(400, 'INVALIDENTITY', `Entity '${spec.object}' is not supported by the Bulk API.`);
    }
    if (spec.operation !== 'update') {
      throw invalid(
        `Operation ${String(spec.operation)} is not supported by the Salesforce emulator (update only)`,
      );
    }
    const job: IngestJob = {
      ...this.newJob(spec, invalid, userId, apiVersion),
      object: object.name,
      operation: 'update',
      state: 'Open',
      columns: [],
      successful: [],
      failed: [],
      unprocessed: [],
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      totalProcessingTime: 0,
    };
    this.jobs.set(job.id, job);
    return this.describe(job);
  }

  upload(id: string, csv: string): void {
    const job = this.job(id);
    if (job.state !== 'Open')
      throw invalidJobState(`Job ${job.id} is ${job.state}; data can only be uploaded to an Open job`);
    if (job.csv !== undefined) {
      throw invalidJobState(
        `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
      );
    }
    job.csv = csv;
  }

  changeState(id: string, body: unknown): Record<string, unknown> {
    const job = this.job(id);
    const state = (body as { state?: unknown } | null)?.state;
    if (state === 'UploadComplete') {
      if (job.state !== 'Open') throw invalidJobState(`Job ${job.id} is ${job.state}, not Open`);
      this.setState(job, 'UploadComplete');
      // Like Salesforce, the job runs after the request returns; clients poll for its state.
      // Without a delay it runs right after this response (setImmediate), before any next request.
      if (this.processingDelayMs > 0) job.timer = setTimeout(() => this.process(job), this.processingDelayMs);
      else setImmediate(() => job.state === 'UploadComplete' && this.process(job));
    } else if (state === 'Aborted') {
      if (FINISHED.includes(job.state)) throw invalidJobState(`Job ${job.id} is already ${job.state}`);
      clearTimeout(job.timer);
      try {
        const parsed = this.parseRows(job);
        job.columns = parsed.columns;
        job.unprocessed = parsed.rows;
      } catch {
        // Nothing (readable) was uploaded, so nothing is left unprocessed.
      }
      this.setState(job, 'Aborted');
    } else {
      throw new ApiError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(state)}`);
    }
    return this.describe(job);
  }

  info(id: string): Record<string, unknown> {
    return this.describe(this.job(id));
  }

  successfulResults(id: string): string {
    const job = this.finishedJob(id);
    return this.csv(job, ['sf__Id', 'sf__Created', ...job.columns], job.successful);
  }

  failedResults(id: string): string {
    const job = this.finishedJob(id);
    return this.csv(job, ['sf__Id', 'sf__Error', ...job.columns], job.failed);
  }

  unprocessedRecords(id: string): string {
    const job = this.finishedJob(id);
    return this.csv(job, job.columns, job.unprocessed);
  }

  /** Stop background processing (emulator shutdown). */
  private process(job: IngestJob): void {
    const started = Date.now();
    this.setState(job, 'InProgress');
    let parsed: { columns: string[]; rows: string[][] };
    try {
      const failure = this.takeJobFailure();
      if (failure) throw new Error(failure);
      parsed = this.parseRows(job);
    } catch (error) {
      job.errorMessage = (error as Error).message;
      this.setState(job, 'Failed');
      return;
    }
    job.columns = parsed.columns;
    const idColumn = parsed.columns.findIndex((c) => c.toLowerCase() === 'id');
    const results = this.writer.update(
      parsed.rows.map((row) => ({
        type: job.object,
        id: idColumn >= 0 ? row[idColumn] : undefined,
        fields: Object.fromEntries(parsed.columns.map((c, i) => [c, row[i] ?? ''])),
      })),
      { allOrNone: false, source: 'csv', userId: job.createdById },
    );
    results.forEach((result, i) => {
      const row = parsed.rows[i]!;
      if (result.success) job.successful.push([result.id, 'false', ...row]);
      else {
        const rawId = idColumn >= 0 ? (row[idColumn] ?? '') : '';
        job.failed.push([isSalesforceId(rawId) ? toId18(rawId) : '', formatBulkError(result.errors), ...row]);
      }
    });
    job.numberRecordsProcessed = results.length;
    job.numberRecordsFailed = job.failed.length;
    job.totalProcessingTime = Date.now() - started;
    this.setState(job, 'JobComplete');
  }

  /** Header and rows of the uploaded CSV; an unknown column fails the whole job, as in Salesforce. */
  private parseRows(job: IngestJob): { columns: string[]; rows: string[][] } {
    if (!job.csv?.trim()) throw new Error('InvalidBatch : No content uploaded for the job');
    let table: string[][];
    try {
      table = parse(job.csv, { bom: true, skip_empty_lines: true }) as string[][];
    } catch (error) {
      throw new Error(`InvalidBatch : ${(error as Error).message}`);
    }
    const [header = [], ...rows] = table;
    const object = this.schema.object(job.object)!;
    // Results echo the header as uploaded; field names resolve case-insensitively when applied.
    const columns = header.map((column) => column.trim());
    const unknown = columns.find((column) => !fieldOf(object, column));
    if (unknown !== undefined) throw new Error(`InvalidBatch : Field name not found : ${unknown}`);
    return { columns, rows };
  }

  private csv(job: IngestJob, header: string[], rows: string[][]): string {
    return stringify([header, ...rows], {
      quoted: true,
      record_delimiter: job.lineEnding === 'CRLF' ? 'windows' : 'unix',
    });
  }

  private finishedJob(id: string): IngestJob {
    const job = this.job(id);
    if (!FINISHED.includes(job.state))
      throw invalidJobState(`Job ${job.id} is ${job.state}; results are not ready`);
    return job;
  }

  private describe(job: IngestJob): Record<string, unknown> {
    return {
      ...this.jobInfo(job),
      contentUrl: `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`,
      numberRecordsProcessed: job.numberRecordsProcessed,
      numberRecordsFailed: job.numberRecordsFailed,
      retries: 0,
      totalProcessingTime: job.totalProcessingTime,
      apiActiveProcessingTime: job.totalProcessingTime,
      apexProcessingTime: 0,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    };
  }
}
