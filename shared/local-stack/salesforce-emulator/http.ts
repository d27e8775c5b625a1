import type { IncomingMessage, ServerResponse } from 'node:http';
import { streamBody } from '../../adapters/http/body.js';

/** A REST API failure in Salesforce's wire shape: `[{"message": ..., "errorCode": ...}]`. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }

  body(): Array<{ message: string; errorCode: string; fields?: string[] }> {
    return [
      { message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) },
    ];
  }
}

export const notFound = () => new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export function methodNotAllowed(method: string, allowed: string[]): ApiError {
  return new ApiError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`,
  );
}

const MAX_BODY_BYTES = 150 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const body = await streamBody(req, MAX_BODY_BYTES);
  if (!body.ok) throw new ApiError(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request body too large');
  return body.bytes.toString('utf8');
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', `Unexpected JSON: ${(error as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}
