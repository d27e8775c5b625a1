/**
 * Typed Salesforce failures. `toSalesforceError` is the one mapper from whatever jsforce throws
 * (REST errors, OAuth errors, network failures) and from per-record save errors to these classes.
 */

export interface SalesforceErrorOptions {
  errorCode: string;
  statusCode?: number;
  retryable?: boolean;
  /** Fields a per-record error names. */
  fields?: string[];
  cause?: unknown;
}

export class SalesforceError extends Error {
  override name = 'SalesforceError';
  readonly errorCode: string;
  /** HTTP status of the failed call, when known or implied by the code; absent for per-record errors. */
  readonly statusCode: number | undefined;
  readonly retryable: boolean;
  readonly fields: string[];

  constructor(message: string, options: SalesforceErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.errorCode = options.errorCode;
    this.statusCode = options.statusCode;
    this.retryable = options.retryable ?? false;
    this.fields = options.fields ?? [];
  }
}

/** REQUEST_LIMIT_EXCEEDED: the org's API allowance is spent; retry later. */
export class SalesforceRateLimitedError extends SalesforceError {
  override name = 'SalesforceRateLimitedError';
  constructor(message: string, options: Partial<SalesforceErrorOptions> = {}) {
    super(message, { statusCode: 403, ...options, errorCode: 'REQUEST_LIMIT_EXCEEDED', retryable: true });
  }
}

/** UNABLE_TO_LOCK_ROW: another transaction holds the record; retry with backoff. */
export class SalesforceLockedError extends SalesforceError {
  override name = 'SalesforceLockedError';
  constructor(message: string, options: Partial<SalesforceErrorOptions> = {}) {
    super(message, { ...options, errorCode: 'UNABLE_TO_LOCK_ROW', retryable: true });
  }
}

/** Salesforce answered 5xx or could not be reached. */
export class SalesforceUnavailableError extends SalesforceError {
  override name = 'SalesforceUnavailableError';
  constructor(message: string, options: Partial<SalesforceErrorOptions> = {}) {
    super(message, { errorCode: 'SERVER_UNAVAILABLE', ...options, retryable: true });
  }
}

const STATUS_BY_CODE: Record<string, number> = {
  MALFORMED_QUERY: 400,
  INVALID_FIELD: 400,
  INVALID_TYPE: 400,
  INVALID_QUERY_FILTER_OPERATOR: 400,
  INVALID_QUERY_LOCATOR: 400,
  EXCEEDED_ID_LIMIT: 400,
  JSON_PARSER_ERROR: 400,
  INVALID_SESSION_ID: 401,
  REQUEST_LIMIT_EXCEEDED: 403,
  INSUFFICIENT_ACCESS: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  SERVER_UNAVAILABLE: 503,
  UNKNOWN_EXCEPTION: 500,
};

/** The OAuth token endpoint's `error` values (jsforce puts them in `name`). */
const OAUTH_ERRORS = new Set([
  'invalid_grant',
  'invalid_client',
  'invalid_client_id',
  'invalid_request',
  'unsupported_grant_type',
  'inactive_user',
  'inactive_org',
]);

const NETWORK_CODES =
  /\b(ECONNRESET|ECONNREFUSED|ENOTFOUND|ENETDOWN|ENETUNREACH|EHOSTDOWN|ETIMEDOUT|EPIPE|UND_ERR_SOCKET)\b/;

/** Per-record codes worth retrying besides locks: the record itself was fine. */
const RETRYABLE_CODES = new Set(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'JOB_POLLING_TIMEOUT']);

const MAX_MESSAGE = 500;

/** Map anything thrown while talking to Salesforce, or a per-record save error, to a typed error. */
export function toSalesforceError(error: unknown): SalesforceError {
  if (error instanceof SalesforceError) return error;
  if (typeof error !== 'object' || error === null) {
    return new SalesforceError(String(error), { errorCode: 'UNKNOWN', cause: error });
  }
  const e = error as {
    name?: unknown;
    message?: unknown;
    errorCode?: unknown;
    statusCode?: unknown;
    code?: unknown;
    fields?: unknown;
  };
  const message =
    typeof e.message === 'string' ? e.message.slice(0, MAX_MESSAGE) : 'Salesforce request failed';
  const fields = Array.isArray(e.fields)
    ? e.fields.filter((f): f is string => typeof f === 'string')
    : undefined;

  // A per-record error from sObject Collections: {statusCode: 'UNABLE_TO_LOCK_ROW', message, fields}.
  if (typeof e.statusCode === 'string' && !(error instanceof Error)) {
    return byCode(e.statusCode, message, { fields, cause: error, perRecord: true });
  }
  if (typeof e.errorCode === 'string' && e.errorCode !== '') {
    return byCode(e.errorCode, message, { fields, cause: error });
  }
  const name = typeof e.name === 'string' ? e.name : '';
  if (OAUTH_ERRORS.has(name)) {
    return new SalesforceError(message, { errorCode: name, statusCode: 400, cause: error });
  }
  if (name === 'JobPollingTimeoutError') return byCode('JOB_POLLING_TIMEOUT', message, { cause: error });
  // Node's fetch throws TypeError('fetch failed') and keeps the socket's code on its cause.
  const causeCode = (e as { cause?: { code?: unknown } }).cause?.code;
  const networkCode = [e.code, causeCode, message]
    .filter((c): c is string => typeof c === 'string')
    .map((c) => NETWORK_CODES.exec(c)?.[1])
    .find((c) => c !== undefined);
  if (name === 'FetchError' || name === 'AbortError' || networkCode) {
    const detail = networkCode && !message.includes(networkCode) ? `${message} (${networkCode})` : message;
    return new SalesforceUnavailableError(detail, {
      errorCode: networkCode ?? 'CONNECTION_FAILED',
      cause: error,
    });
  }
  if (message.startsWith('Unable to refresh session')) {
    // jsforce wraps a failed re-login in a plain Error, keeping only the message.
    return new SalesforceError(message, { errorCode: 'INVALID_SESSION_ID', statusCode: 401, cause: error });
  }
  return new SalesforceError(message, { errorCode: 'UNKNOWN', cause: error });
}

/** True when trying the same call again later may succeed. */
export function isRetryable(error: unknown): boolean {
  return toSalesforceError(error).retryable;
}

function byCode(
  errorCode: string,
  message: string,
  options: { fields?: string[] | undefined; cause: unknown; perRecord?: boolean },
): SalesforceError {
  const httpStatus = /^ERROR_HTTP_(\d{3})$/.exec(errorCode)?.[1];
  // A per-record error arrived in a 200 response, so it has no HTTP status of its own.
  const statusCode = options.perRecord
    ? undefined
    : httpStatus
      ? Number(httpStatus)
      : STATUS_BY_CODE[errorCode];
  const common = { statusCode, cause: options.cause, ...(options.fields ? { fields: options.fields } : {}) };
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') return new SalesforceRateLimitedError(message, common);
  if (errorCode === 'UNABLE_TO_LOCK_ROW') return new SalesforceLockedError(message, common);
  if (statusCode !== undefined && statusCode >= 500) {
    return new SalesforceUnavailableError(message, { ...common, errorCode });
  }
  return new SalesforceError(message, { ...common, errorCode, retryable: RETRYABLE_CODES.has(errorCode) });
}
