import { stringify } from 'csv-stringify/sync';
import { type BulkJob, BulkJobs, invalidJobState } from './bulk-jobs.js';
import { ApiError } from './http.js';
import type { QueryEngine, QueryRecord } from './query.js';
import { parseSoql } from './soql.js';

/**
 * Bulk API 2.0 query jobs: create, poll, read the CSV results page by page with `Sforce-Locator`,
 * abort, delete. Wire shapes from "Understanding Bulk API 2.0 Query", "Create a Query Job" and
 * "Get Results for a Query Job" in the Bulk API 2.0 Developer Guide. The query runs through the
 * same engine as REST queries when the job is created (so a bad query is refused then), and the
 * job completes after the processing delay.
 */

type QueryJobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface QueryJob extends BulkJob<QueryJobState> {
  operation: 'query' | 'queryAll';
  columns: string[];
  rows: string[][];
}

// Salesforce's default page when the client gives no maxRecords is "as many as fit"; a small default here
// makes every test that reads more than a handful of records walk the locator.
const DEFAULT_MAX_RECORDS = 1000;

export class QueryJobs extends BulkJobs<QueryJobState, QueryJob> {
  constructor(
    private readonly engine: QueryEngine,
    now: () => Date,
    private readonly processingDelayMs: number,
  ) {
    super(now, '750EQ', 'V2Query');
  }

  create(body: unknown, userId: string, apiVersion: string): Record<string, unknown> {
    const spec = (body ?? {}) as Record<string, unknown>;
    const invalid = (message: string) => new ApiError(400, 'INVALIDJOB', message);
    if (spec.operation !== 'query' && spec.operation !== 'queryAll') {
      throw invalid(`Operation ${String(spec.operation)} is not a query operation (query or queryAll)`);
    }
    if (typeof spec.query !== 'string' || spec.query.trim() === '') throw invalid('query is required');
    const parsed = parseSoql(spec.query);
    // The guide's SOQL considerations: no GROUP BY, OFFSET or aggregate functions in a query job.
    // (It names the clauses, not the error code; INVALIDJOB is the code the job endpoints use for a bad job.)
    const aggregate = parsed.select.some((item) => item.expr.kind === 'aggregate');
    if (parsed.groupBy || parsed.offset !== undefined || aggregate) {
      throw invalid('Bulk API 2.0 query jobs do not support GROUP BY, OFFSET or aggregate functions');
    }
    const answer = this.engine.run(spec.query, apiVersion, userId);
    const columns = parsed.select.flatMap((item) =>
      item.expr.kind === 'field' ? [item.expr.path.join('.')] : [],
    );
    const job: QueryJob = {
      ...this.newJob(spec, invalid, userId, apiVersion),
      operation: spec.operation,
      object: parsed.from.name,
      state: 'UploadComplete',
      columns,
      rows: answer.records.map((record) => columns.map((column) => csvValue(record, column))),
    };
    this.jobs.set(job.id, job);
    const complete = () => {
      if (job.state === 'UploadComplete' || job.state === 'InProgress') this.setState(job, 'JobComplete');
    };
    // Like Salesforce, the job runs after the request returns; clients poll for its state.
    if (this.processingDelayMs > 0) {
      this.setState(job, 'InProgress');
      job.timer = setTimeout(complete, this.processingDelayMs);
    } else setImmediate(complete);
    return this.describe(job);
  }

  info(id: string): Record<string, unknown> {
    return this.describe(this.job(id));
  }

  /** One page of results from `locator` (an offset here; opaque to clients) and the next page's locator. */
  results(
    id: string,
    locator: string | null,
    maxRecords: string | null,
  ): { csv: string; locator: string; count: number } {
    const job = this.job(id);
    if (job.state !== 'JobComplete') {
      throw new ApiError(
        400,
        'INVALIDJOBSTATE',
        `Job ${job.id} is ${job.state}; results are available once it is JobComplete`,
      );
    }
    const start = locator === null ? 0 : Number(Buffer.from(locator, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > job.rows.length) {
      throw new ApiError(400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
    }
    const size = maxRecords === null ? DEFAULT_MAX_RECORDS : Number(maxRecords);
    if (!Number.isInteger(size) || size < 1) {
      throw new ApiError(
        400,
        'INVALIDMAXRECORDS',
        `maxRecords must be a positive integer, not ${maxRecords}`,
      );
    }
    const page = job.rows.slice(start, start + size);
    const end = start + page.length;
    // Every page carries the header row; the last page's locator is the string "null".
    const csv = stringify([job.columns, ...page], {
      record_delimiter: job.lineEnding === 'CRLF' ? 'windows' : 'unix',
    });
    return {
      csv,
      locator: end < job.rows.length ? Buffer.from(String(end)).toString('base64url') : 'null',
      count: page.length,
    };
  }

  abort(id: string, body: unknown): Record<string, unknown> {
    const job = this.job(id);
    if ((body as { state?: unknown } | null)?.state !== 'Aborted') {
      throw invalidJobState('A query job can only be set to Aborted');
    }
    if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
      throw invalidJobState(`Job ${job.id} is ${job.state} and cannot be aborted`);
    }
    clearTimeout(job.timer);
    this.setState(job, 'Aborted');
    return this.describe(job);
  }

  private describe(job: QueryJob): Record<string, unknown> {
    return {
      ...this.jobInfo(job),
      ...(job.state === 'JobComplete'
        ? { numberRecordsProcessed: job.rows.length, retries: 0, totalProcessingTime: 0 }
        : {}),
    };
  }
}

/** CSV cells as Salesforce writes them: empty for null, dotted paths for parent fields. */
function csvValue(record: QueryRecord, column: string): string {
  let value: unknown = record;
  for (const part of column.split('.')) {
    if (value === null || typeof value !== 'object') return '';
    const entry = Object.entries(value as Record<string, unknown>).find(
      ([k]) => k.toLowerCase() === part.toLowerCase(),
    );
    value = entry?.[1];
  }
  return value === null || value === undefined ? '' : String(value);
}
