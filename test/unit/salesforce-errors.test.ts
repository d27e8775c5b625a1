import { describe, expect, it } from 'vitest';
import {
  isRetryable,
  SalesforceError,
  SalesforceLockedError,
  SalesforceRateLimitedError,
  SalesforceUnavailableError,
  toSalesforceError,
} from '../../shared/adapters/salesforce/errors.js';

/** What jsforce throws for a REST error: an Error whose name and errorCode are Salesforce's code. */
function jsforceApiError(errorCode: string, message: string): Error {
  const error = new Error(message) as Error & { errorCode: string; data: unknown };
  error.name = errorCode;
  error.errorCode = errorCode;
  error.data = { errorCode, message };
  return error;
}

/** What jsforce throws for an OAuth token endpoint error: an Error named after `error`. */
function jsforceOAuthError(error: string, description: string): Error {
  const e = new Error(description);
  e.name = error;
  return e;
}

function fetchError(code: string): Error {
  const error = new Error(`request to http://127.0.0.1:1/ failed, reason: connect ${code}`) as Error & {
    code: string;
  };
  error.name = 'FetchError';
  error.code = code;
  return error;
}

describe('toSalesforceError', () => {
  it.each([
    [
      jsforceApiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
      SalesforceRateLimitedError,
      'REQUEST_LIMIT_EXCEEDED',
      403,
      true,
    ],
    [
      jsforceApiError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access'),
      SalesforceLockedError,
      'UNABLE_TO_LOCK_ROW',
      undefined,
      true,
    ],
    [
      jsforceApiError('SERVER_UNAVAILABLE', 'Server temporarily unavailable'),
      SalesforceUnavailableError,
      'SERVER_UNAVAILABLE',
      503,
      true,
    ],
    [
      jsforceApiError('ERROR_HTTP_502', '<html>Bad gateway</html>'),
      SalesforceUnavailableError,
      'ERROR_HTTP_502',
      502,
      true,
    ],
    [
      jsforceApiError('UNKNOWN_EXCEPTION', 'An unexpected error occurred'),
      SalesforceUnavailableError,
      'UNKNOWN_EXCEPTION',
      500,
      true,
    ],
    [jsforceApiError('MALFORMED_QUERY', 'unexpected token'), SalesforceError, 'MALFORMED_QUERY', 400, false],
    [
      jsforceApiError('INVALID_SESSION_ID', 'Session expired or invalid'),
      SalesforceError,
      'INVALID_SESSION_ID',
      401,
      false,
    ],
    [jsforceApiError('ERROR_HTTP_404', 'Not Found'), SalesforceError, 'ERROR_HTTP_404', 404, false],
    [
      jsforceOAuthError('invalid_grant', 'authentication failure'),
      SalesforceError,
      'invalid_grant',
      400,
      false,
    ],
    [
      jsforceOAuthError('invalid_client', 'invalid client credentials'),
      SalesforceError,
      'invalid_client',
      400,
      false,
    ],
    [fetchError('ECONNREFUSED'), SalesforceUnavailableError, 'ECONNREFUSED', undefined, true],
    [
      // Node's fetch: TypeError('fetch failed') with the socket error as its cause.
      new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }),
      SalesforceUnavailableError,
      'ECONNREFUSED',
      undefined,
      true,
    ],
    [
      new Error('Unable to refresh session due to: authentication failure'),
      SalesforceError,
      'INVALID_SESSION_ID',
      401,
      false,
    ],
    [
      new Error('Unable to refresh session due to: connect ECONNREFUSED 127.0.0.1:1'),
      SalesforceUnavailableError,
      'ECONNREFUSED',
      undefined,
      true,
    ],
    [new Error('something else'), SalesforceError, 'UNKNOWN', undefined, false],
  ])('maps %s', (input, type, errorCode, statusCode, retryable) => {
    const error = toSalesforceError(input);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ errorCode, statusCode, retryable });
    expect(error.cause).toBe(input);
    expect(isRetryable(input)).toBe(retryable);
  });

  it.each([
    [
      {
        statusCode: 'UNABLE_TO_LOCK_ROW',
        message: 'unable to obtain exclusive access to this record',
        fields: [],
      },
      SalesforceLockedError,
      true,
    ],
    [
      { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back', fields: [] },
      SalesforceError,
      true,
    ],
    [
      { statusCode: 'INACTIVE_OWNER_OR_USER', message: 'operation performed with inactive user', fields: [] },
      SalesforceError,
      false,
    ],
    [{ statusCode: 'INVALID_FIELD', message: "No such column 'X'", fields: ['X'] }, SalesforceError, false],
  ])('maps the per-record save error %j', (input, type, retryable) => {
    const error = toSalesforceError(input);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({
      errorCode: input.statusCode,
      retryable,
      statusCode: undefined,
      fields: input.fields,
    });
  });

  it('names each class and keeps an already typed error as it is', () => {
    const limited = new SalesforceRateLimitedError('slow down');
    expect(limited.name).toBe('SalesforceRateLimitedError');
    expect(new SalesforceLockedError('locked').name).toBe('SalesforceLockedError');
    expect(new SalesforceUnavailableError('down').name).toBe('SalesforceUnavailableError');
    expect(new SalesforceError('x', { errorCode: 'X' }).name).toBe('SalesforceError');
    expect(toSalesforceError(limited)).toBe(limited);
  });

  it('caps very long messages such as HTML error pages', () => {
    expect(toSalesforceError(jsforceApiError('ERROR_HTTP_500', 'x'.repeat(5000))).message).toHaveLength(500);
  });
});
