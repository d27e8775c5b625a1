/**
 * Error names the workflow matches in Retry and Catch (a Lambda's error type is its error's
 * `name`), so they are a contract between these use cases and infra/constructs/reassign.ts.
 */
export const WORKFLOW_ERRORS = {
  /** Salesforce was rate-limited, locked or unavailable; the same batch may succeed later. */
  retryable: 'SalesforceRetryableError',
  /** Salesforce refused the call itself (not a per-record error); retrying won't help. */
  callFailed: 'SalesforceCallFailed',
  /** Another invocation holds the batch's lease. */
  batchBusy: 'BatchBusy',
  /** An approver rejected (SendTaskFailure). */
  rejected: 'ApprovalRejected',
  /** The request was closed while its approval task was being registered. */
  approvalClosed: 'ApprovalClosed',
} as const;

export class RetryableApplyError extends Error {
  override name = WORKFLOW_ERRORS.retryable;
}

export class ApplyCallError extends Error {
  override name = WORKFLOW_ERRORS.callFailed;
}

export class BatchBusyError extends Error {
  override name = WORKFLOW_ERRORS.batchBusy;
}

export class ReassignmentNotFoundError extends Error {
  override name = 'ReassignmentNotFoundError';
  constructor(readonly requestId: string) {
    super(`No reassignment ${requestId}`);
  }
}

/** The request body or file is not valid; every problem names its row. */
export class InvalidReassignmentError extends Error {
  override name = 'InvalidReassignmentError';
  constructor(readonly problems: string[]) {
    super(`Invalid reassignment request:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** A call-level error: anything with `retryable` (typed Salesforce errors) is judged by it. */
export function callError(error: unknown): { retryable: boolean; errorCode: string; message: string } {
  const e = error as { retryable?: unknown; errorCode?: unknown; message?: unknown };
  return {
    retryable: e?.retryable === true,
    errorCode: typeof e?.errorCode === 'string' ? e.errorCode : 'UNKNOWN',
    message: typeof e?.message === 'string' ? e.message.slice(0, 500) : String(error),
  };
}
