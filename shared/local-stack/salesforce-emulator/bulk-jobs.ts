import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import { ApiError, notFound } from './http.js';
import { toSalesforceDateTime } from './values.js';

/** What Bulk API 2.0 ingest and query jobs have in common (job info, lookup, state stamps). */
export interface BulkJob<State extends string> {
  id: string;
  operation: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: State;
  apiVersion: number;
  lineEnding: 'LF' | 'CRLF';
  timer?: NodeJS.Timeout;
}

/** The jobs of one kind: ids, lookup by 15- or 18-character id, state changes and the shared job-info fields. */
export abstract class BulkJobs<State extends string, Job extends BulkJob<State>> {
  protected readonly jobs = new Map<string, Job>();
  private created = 0;

  constructor(
    protected readonly now: () => Date,
    /** `750EM…` ingest, `750EQ…` query: the emulator's ids say which kind they are. */
    private readonly idPrefix: string,
    private readonly jobType: 'V2Ingest' | 'V2Query',
  ) {}

  delete(id: string): void {
    const job = this.job(id);
    clearTimeout(job.timer);
    this.jobs.delete(job.id);
  }

  stop(): void {
    for (const job of this.jobs.values()) clearTimeout(job.timer);
  }

  /** The common fields of a new job, after its format (CSV, COMMA, LF/CRLF) is checked. */
  protected newJob(
    spec: Record<string, unknown>,
    invalid: (message: string) => ApiError,
    userId: string,
    apiVersion: string,
  ): Omit<BulkJob<State>, 'operation' | 'object' | 'state'> {
    if (spec.contentType !== undefined && spec.contentType !== 'CSV')
      throw invalid('contentType must be CSV');
    if (spec.columnDelimiter !== undefined && spec.columnDelimiter !== 'COMMA') {
      throw invalid(
        `columnDelimiter ${String(spec.columnDelimiter)} is not supported by the Salesforce emulator`,
      );
    }
    const lineEnding = spec.lineEnding ?? 'LF';
    if (lineEnding !== 'LF' && lineEnding !== 'CRLF') throw invalid('lineEnding must be LF or CRLF');
    this.created += 1;
    const stamp = toSalesforceDateTime(this.now());
    return {
      id: toId18(`${this.idPrefix}${String(this.created).padStart(10, '0')}`),
      createdById: userId,
      createdDate: stamp,
      systemModstamp: stamp,
      apiVersion: Number(apiVersion),
      lineEnding,
    };
  }

  protected job(id: string): Job {
    const job = isSalesforceId(id) ? this.jobs.get(toId18(id)) : undefined;
    if (!job) throw notFound();
    return job;
  }

  protected setState(job: Job, state: State): void {
    job.state = state;
    job.systemModstamp = toSalesforceDateTime(this.now());
  }

  /** Job info as "Get Information About a Job" answers it; each kind adds its counters. */
  protected jobInfo(job: Job): Record<string, unknown> {
    return {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: job.createdById,
      createdDate: job.createdDate,
      systemModstamp: job.systemModstamp,
      state: job.state,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: job.apiVersion,
      jobType: this.jobType,
      lineEnding: job.lineEnding,
      columnDelimiter: 'COMMA',
    };
  }
}

export function invalidJobState(message: string): ApiError {
  return new ApiError(400, 'INVALIDJOBSTATE', message);
}
