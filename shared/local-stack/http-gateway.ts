import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { httpResponse, streamBody } from '../adapters/http/body.js';

/** The same function signature the Lambdas export for HTTP API (payload v2) routes. */
export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

export interface LocalRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway route syntax: `/salesforce/outbound/{secret}`. */
  path: string;
  handler: HttpHandler;
  /**
   * How this route's callers are told about a request the gateway refuses (unknown path under the
   * route's prefix, other method, too large, malformed path): Salesforce expects SOAP faults.
   */
  refusal?: (statusCode: number, message: string) => APIGatewayProxyStructuredResultV2;
}

export interface LocalGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** API Gateway HTTP APIs cap payloads at 10 MB; handlers enforce their own smaller limits. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * A local stand-in for API Gateway HTTP API: turns each request into a payload-v2 event and hands it
 * to the same handler code the Lambdas export, so the local stack exercises the deployed code paths.
 */
export function startLocalGateway(options: { port: number; routes: LocalRoute[] }): Promise<LocalGateway> {
  const compiled = options.routes.map((route) => ({
    route,
    match: compilePath(route.path),
    prefix: route.path.split('{')[0] ?? route.path,
  }));
  const server: Server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      console.error('local gateway error', error instanceof Error ? error.message : error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    // A route owns the refusals of every path under its prefix (`/salesforce/outbound/`).
    const owner = compiled.find(({ route, prefix }) => route.refusal && url.pathname.startsWith(prefix));
    const refuse = (statusCode: number, message: string) =>
      writeResult(
        res,
        owner?.route.refusal?.(statusCode, message) ??
          httpResponse(statusCode, 'application/json', JSON.stringify({ message })),
      );

    let pathParameters: Record<string, string> | undefined;
    let methodAllowed = false;
    let found: (typeof compiled)[number] | undefined;
    for (const candidate of compiled) {
      const params = candidate.match(url.pathname);
      if (params === undefined) continue;
      if (params === 'malformed') return refuse(400, 'Bad Request: malformed %-escape in the path');
      methodAllowed = true;
      if (candidate.route.method !== method) continue;
      pathParameters = params;
      found = candidate;
      break;
    }
    if (!found) return refuse(methodAllowed ? 405 : 404, methodAllowed ? 'Method Not Allowed' : 'Not Found');
    const body = await streamBody(req, MAX_BODY_BYTES);
    if (!body.ok) return refuse(413, 'Request Entity Too Large');
    const event = toEvent(req, url, method, found.route.path, pathParameters, body.bytes);
    const result = await found.route.handler(event, localContext());
    writeResult(res, result);
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : options.port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** A matcher of one route template: its decoded parameters, undefined, or malformed (bad %-escape). */
function compilePath(template: string): (path: string) => Record<string, string> | 'malformed' | undefined {
  const names: string[] = [];
  const pattern = template
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
  const regex = new RegExp(`^${pattern}$`);
  return (path) => {
    const m = regex.exec(path);
    if (!m) return undefined;
    try {
      return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(m[i + 1] ?? '')]));
    } catch {
      return 'malformed';
    }
  };
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|soap\+xml|x-www-form-urlencoded|csv))/i;

function toEvent(
  req: IncomingMessage,
  url: URL,
  method: string,
  routePath: string,
  pathParameters: Record<string, string> | undefined,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const contentType = headers['content-type'] ?? '';
  const isText = body.length === 0 || TEXT_TYPES.test(contentType);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${method} ${routePath}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(pathParameters && Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${method} ${routePath}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
}

/** A Lambda context for in-process invocations (API Gateway's 30 s unless told; fresh request id). */
export function localContext(timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:local',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(result);
    return;
  }
  const headers: Record<string, string | number | boolean> = { ...(result.headers ?? {}) };
  if (result.cookies?.length) res.setHeader('set-cookie', result.cookies);
  res.writeHead(result.statusCode ?? 200, headers as Record<string, string>);
  const body = result.body ?? '';
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}
