import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../demo-org-ids.js';
import {
  DEFAULT_EMULATOR_CREDENTIALS,
  type EmulatorCredentials,
  emulatorJwtKeys,
  grantToken,
  type Session,
  SessionRegistry,
} from './auth.js';
import { IngestJobs } from './bulk.js';
import { QueryJobs } from './bulk-query.js';
import { describeSObject } from './describe.js';
import { RecordWriter, type SaveError } from './dml.js';
import { FaultSwitches, faultSettingsSchema } from './faults.js';
import {
  ApiError,
  methodNotAllowed,
  notFound,
  readBody,
  readJson,
  sendEmpty,
  sendJson,
  sendText,
} from './http.js';
import { type PackageFieldSet, packageCustomFields } from './package-fields.js';
import { type QueryAnswer, QueryCursors, QueryEngine, type QueryRecord, recordUrl } from './query.js';
import {
  type CustomFields,
  fieldOf,
  type OrgCurrencies,
  OrgSchema,
  type SalesforceRecord,
  type SeedData,
  SOBJECT_TYPES,
  type SObjectSchema,
  type SObjectType,
} from './schema.js';
import { SoqlError } from './soql.js';
import { RecordStore } from './store.js';
import { toSalesforceDateTime } from './values.js';

export interface SalesforceEmulatorOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  host?: string;
  /** 15 or 18 characters; defaults to EMULATOR_ORG_ID, which the local stack accepts. */
  orgId?: string;
  /** Records to start with, e.g. `demoData()`. */
  seed?: SeedData;
  credentials?: Partial<EmulatorCredentials>;
  /** The Salesforce package's custom fields the org has: all (the demo org, default) or only the required one. */
  packageFields?: PackageFieldSet;
  /** Custom fields beyond the package's, e.g. a differently named reason field. */
  customFields?: CustomFields;
  /** Makes the org multi-currency (CurrencyIsoCode, convertCurrency()); single-currency by default. */
  currencies?: OrgCurrencies;
  /** The M of `Sforce-Limit-Info: api-usage=N/M`; calls beyond it get REQUEST_LIMIT_EXCEEDED. */
  dailyApiLimit?: number;
  /** Stamps LastModifiedDate and resolves TODAY / LAST_N_DAYS; defaults to the wall clock. */
  clock?: () => Date;
  /** Access tokens expire this long after issue (Salesforce's default session timeout is 2 h). */
  sessionTimeoutMs?: number;
  /** Delay before a closed Bulk job starts processing. */
  bulkProcessingDelayMs?: number;
  /**
   * Called after API writes change records and before the caller is answered, like a real org's
   * commit: the local stack saves the org here, so nothing it acknowledged is lost to a crash.
   */
  onCommit?: (store: RecordStore) => void;
}

export type CallKind =
  | 'token'
  | 'identity'
  | 'query'
  | 'queryMore'
  | 'collections'
  | 'composite'
  | 'sobject'
  | 'bulk'
  | 'limits'
  | 'other';

/** Calls received per kind, rejected ones included; kinds never called are absent. */
export type CallCounts = Partial<Record<CallKind, number>>;

export interface ApiUsage {
  used: number;
  limit: number;
}

export interface SalesforceEmulator {
  /** Base URL: both the login URL and the instance URL. */
  readonly url: string;
  readonly loginUrl: string;
  /** 18-character org id. */
  readonly orgId: string;
  readonly credentials: EmulatorCredentials;
  readonly store: RecordStore;
  readonly faults: FaultSwitches;
  /** Run SOQL directly (no HTTP, not counted): all matching records, for assertions. */
  query(soql: string): { totalSize: number; records: QueryRecord[] };
  calls(): CallCounts;
  resetCalls(): void;
  apiUsage(): ApiUsage;
  close(): Promise<void>;
}

const DEFAULT_DAILY_API_LIMIT = 15_000;
/** The longest request URI Salesforce's REST API accepts (help article 000386264). */
const MAX_URI_BYTES = 16_384;
const TWO_HOURS_MS = 2 * 60 * 60_000;
const MAX_COLLECTION_RECORDS = 200;
const MAX_RETRIEVE_POST_RECORDS = 2000;
const MAX_RETRIEVE_GET_RECORDS = 800;
const DEFAULT_BATCH_SIZE = 2000;
const DEFAULT_API_VERSION = '62.0';

/**
 * A local Salesforce org speaking the REST API subset jsforce uses, with Salesforce's response
 * and error shapes and switchable faults, so the real jsforce code runs in tests and locally.
 */
export async function startSalesforceEmulator(
  options: SalesforceEmulatorOptions = {},
): Promise<SalesforceEmulator> {
  const now = options.clock ?? (() => new Date());
  const orgId = toId18(options.orgId ?? EMULATOR_ORG_ID);
  const credentials: EmulatorCredentials = {
    ...DEFAULT_EMULATOR_CREDENTIALS,
    ...emulatorJwtKeys(),
    ...options.credentials,
  } as EmulatorCredentials;
  credentials.runAsUserId = toId18(credentials.runAsUserId);
  const packageFields = packageCustomFields(options.packageFields ?? 'all');
  const schema = new OrgSchema(mergeFields(packageFields, options.customFields ?? {}), options.currencies);
  const store = new RecordStore(schema, now);
  if (options.seed) store.seed(options.seed, absentFields(packageCustomFields('all'), packageFields));
  const sessions = new SessionRegistry(orgId, now, options.sessionTimeoutMs ?? TWO_HOURS_MS);
  const faults = new FaultSwitches(() => sessions.expireAll());
  const writer = new RecordWriter(store, faults, options.onCommit);
  const engine = new QueryEngine(store, now);
  const cursors = new QueryCursors(now);
  const jobs = new IngestJobs(schema, writer, now, options.bulkProcessingDelayMs ?? 0, () =>
    faults.takeJobFailure(),
  );
  const queryJobs = new QueryJobs(engine, now, options.bulkProcessingDelayMs ?? 0);
  const dailyLimit = options.dailyApiLimit ?? DEFAULT_DAILY_API_LIMIT;
  const usage = { day: '', used: 0 };
  let counts: CallCounts = {};

  const org: Org = {
    orgId,
    credentials,
    store,
    schema,
    sessions,
    faults,
    writer,
    engine,
    cursors,
    jobs,
    queryJobs,
    baseUrl: '',
  };

  /** The daily API counter: Salesforce counts over a rolling 24 hours, the emulator per UTC day. */
  const currentUsage = (): ApiUsage => {
    const day = now().toISOString().slice(0, 10);
    if (day !== usage.day) {
      usage.day = day;
      usage.used = 0;
    }
    return { used: usage.used, limit: dailyLimit };
  };

  // Headers up to 64 KB reach the handler, so a URI over Salesforce's 16 KB gets Salesforce's 414.
  const server = createServer({ maxHeaderSize: 65_536 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, [{ message: String(error), errorCode: 'UNKNOWN_EXCEPTION' }]);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', org.baseUrl);
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__emulator/')) return control(req, res, url.pathname);
    const kind = callKind(url.pathname);
    counts[kind] = (counts[kind] ?? 0) + 1;
    // Salesforce refuses a request URI over 16,384 bytes with 414 (a long SOQL IN list in ?q=).
    if (Buffer.byteLength(req.url ?? '', 'utf8') > MAX_URI_BYTES) {
      return sendJson(res, 414, [{ message: 'URI Too Long', errorCode: 'URI_TOO_LONG' }]);
    }
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    try {
      if (url.pathname === '/services/oauth2/token') return await token(req, res, method);
      if (url.pathname === '/services/oauth2/revoke') {
        const params = new URLSearchParams(await readBody(req));
        sessions.revoke(params.get('token') ?? '');
        return sendEmpty(res, 200);
      }
      if (url.pathname.startsWith('/id/')) return identity(req, res, url);
      if (url.pathname === '/services/data' || url.pathname.startsWith('/services/data/')) {
        return await rest(req, res, url, method);
      }
      throw notFound();
    } catch (error) {
      sendApiError(res, error);
    }
  }

  async function token(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (method !== 'POST') throw methodNotAllowed(method, ['POST']);
    const answer = grantToken(new URLSearchParams(await readBody(req)), { ...org, orgId18: orgId });
    sendJson(res, answer.status, answer.body);
  }

  function identity(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const session = authenticate(req, url);
    const [, , org15or18, userId] = url.pathname.split('/');
    if (!session || !org15or18 || !userId || !isSalesforceId(userId) || toId18(userId) !== session.userId) {
      throw new ApiError(403, 'Bad_OAuth_Token', 'Bad_OAuth_Token');
    }
    const user = store.get('User', session.userId);
    sendJson(res, 200, {
      id: `${org.baseUrl}/id/${orgId}/${session.userId}`,
      asserted_user: true,
      user_id: session.userId,
      organization_id: orgId,
      username: user?.Username ?? credentials.username,
      display_name: user?.Name ?? 'Integration User',
      email: user?.Email ?? null,
      active: user?.IsActive ?? true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_CA',
      urls: {
        rest: `${org.baseUrl}/services/data/v{version}/`,
        sobjects: `${org.baseUrl}/services/data/v{version}/sobjects/`,
        query: `${org.baseUrl}/services/data/v{version}/query/`,
      },
    });
  }

  function authenticate(req: IncomingMessage, url?: URL): Session | undefined {
    const header = req.headers.authorization ?? '';
    const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header);
    const token = match?.[1] ?? url?.searchParams.get('oauth_token') ?? undefined;
    return token ? sessions.find(token) : undefined;
  }

  async function rest(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const session = authenticate(req);
    if (!session || faults.take('invalidSession')) {
      throw new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    const limit = currentUsage();
    res.setHeader('Sforce-Limit-Info', `api-usage=${limit.used}/${limit.limit}`);
    if (faults.take('unavailable')) {
      throw new ApiError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable, please try again later');
    }
    if (faults.take('requestLimitExceeded') || limit.used >= limit.limit) {
      throw new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    usage.used += 1;
    res.setHeader('Sforce-Limit-Info', `api-usage=${usage.used}/${limit.limit}`);
    await routeRest(org, { req, res, url, method, session });
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    try {
      if (path === '/__emulator/health' && method === 'GET') return sendJson(res, 200, { ok: true, orgId });
      if (path === '/__emulator/faults') {
        if (method === 'GET') return sendJson(res, 200, faults.current());
        if (method === 'DELETE') {
          faults.clear();
          return sendJson(res, 200, faults.current());
        }
        if (method === 'POST') {
          const parsed = faultSettingsSchema.safeParse(await readJson(req));
          if (!parsed.success) return sendJson(res, 400, { error: z.prettifyError(parsed.error) });
          faults.set(parsed.data);
          return sendJson(res, 200, faults.current());
        }
      }
      if (path === '/__emulator/calls' && method === 'GET') {
        return sendJson(res, 200, { calls: counts, apiUsage: currentUsage() });
      }
      if (path === '/__emulator/reset-calls' && method === 'POST') {
        counts = {};
        return sendJson(res, 200, { calls: counts });
      }
      throw notFound();
    } catch (error) {
      sendApiError(res, error);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  org.baseUrl = `http://${host}:${address.port}`;

  return {
    url: org.baseUrl,
    loginUrl: org.baseUrl,
    orgId,
    credentials,
    store,
    faults,
    query: (soql) => {
      const answer = engine.run(soql, DEFAULT_API_VERSION);
      return { totalSize: answer.totalSize, records: answer.records };
    },
    calls: () => ({ ...counts }),
    resetCalls: () => {
      counts = {};
    },
    apiUsage: currentUsage,
    close: async () => {
      jobs.stop();
      queryJobs.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// ---------- REST routes ----------

interface Org {
  orgId: string;
  credentials: EmulatorCredentials;
  store: RecordStore;
  schema: OrgSchema;
  sessions: SessionRegistry;
  faults: FaultSwitches;
  writer: RecordWriter;
  engine: QueryEngine;
  cursors: QueryCursors;
  jobs: IngestJobs;
  queryJobs: QueryJobs;
  baseUrl: string;
}

interface RestCall {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  session: Session;
}

const VERSION_SEGMENT = /^v(\d{2})\.0$/;
/** Versions 21.0-30.0 were retired in Summer '25; 68.0 is Winter '27, the newest release. */
const OLDEST_VERSION = 31;
const NEWEST_VERSION = 68;

async function routeRest(org: Org, call: RestCall): Promise<void> {
  const { res, url, method } = call;
  const [, , , versionSegment, ...segments] = url.pathname.split('/').map(decodeURIComponent);
  if (!versionSegment) {
    return sendJson(res, 200, [
      { label: "Winter '25", url: `/services/data/v${DEFAULT_API_VERSION}`, version: DEFAULT_API_VERSION },
    ]);
  }
  const major = Number(VERSION_SEGMENT.exec(versionSegment)?.[1]);
  // An unknown or retired version is a resource that does not exist, as in Salesforce.
  if (!(major >= OLDEST_VERSION && major <= NEWEST_VERSION)) throw notFound();
  const version = `${major}.0`;
  const path = segments.filter((s) => s !== '');
  const [resource, ...rest] = path;

  switch (resource) {
    case undefined:
      return sendJson(res, 200, {
        query: `/services/data/v${version}/query`,
        sobjects: `/services/data/v${version}/sobjects`,
        composite: `/services/data/v${version}/composite`,
        jobs: `/services/data/v${version}/jobs`,
        limits: `/services/data/v${version}/limits`,
      });
    case 'query':
    case 'queryAll': {
      if (method !== 'GET') throw methodNotAllowed(method, ['GET']);
      // Nothing is ever deleted in the emulator, so queryAll answers like query.
      if (rest.length === 1) return sendJson(res, 200, org.cursors.nextPage(rest[0]!, version));
      if (rest.length > 1) throw notFound();
      const soql = url.searchParams.get('q');
      if (url.searchParams.has('explain')) throw unsupported('Query plans (explain)');
      if (!soql) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      const answer: QueryAnswer = org.engine.run(soql, version, call.session.userId);
      return sendJson(res, 200, org.cursors.firstPage(answer, batchSize(call.req), version));
    }
    case 'composite':
      if (rest.length === 0) {
        if (method !== 'POST') throw methodNotAllowed(method, ['POST']);
        return composite(org, call, version);
      }
      if (rest[0] !== 'sobjects') throw unsupported(`composite/${rest.join('/')}`);
      if (rest.length === 1) {
        if (method === 'PATCH') return updateCollection(org, call);
        if (method === 'POST' || method === 'DELETE') throw unsupported(`${method} composite/sobjects`);
        throw methodNotAllowed(method, ['PATCH']);
      }
      if (rest.length > 2) throw notFound();
      if (method === 'GET' || method === 'POST') return retrieveCollection(org, call, rest[1]!, version);
      throw methodNotAllowed(method, ['GET', 'POST']);
    case 'sobjects':
      return sobject(org, call, rest, version);
    case 'limits': {
      if (method !== 'GET') throw methodNotAllowed(method, ['GET']);
      const header = String(res.getHeader('Sforce-Limit-Info') ?? '');
      const [, used = '0', max = '0'] = /api-usage=(\d+)\/(\d+)/.exec(header) ?? [];
      return sendJson(res, 200, {
        DailyApiRequests: { Max: Number(max), Remaining: Number(max) - Number(used) },
      });
    }
    case 'jobs':
      if (rest[0] === 'query') return bulkQuery(org, call, rest.slice(1), version);
      if (rest[0] !== 'ingest')
        throw unsupported(`jobs/${rest[0] ?? ''} (only Bulk API 2.0 ingest and query)`);
      return ingest(org, call, rest.slice(1), version);
    default:
      throw notFound();
  }
}

/** Salesforce's composite limits: 25 subrequests, at most 5 of them queries. */
const MAX_COMPOSITE_SUBREQUESTS = 25;
const MAX_COMPOSITE_QUERIES = 5;

/**
 * POST /composite with query subrequests only (GET query/?q= and query/{locator}): the SOQL travels
 * in the body, so a query longer than a request URI may be (16,384 bytes) can still be sent, and
 * the whole request is one API call. Each subrequest answers with its own status and body.
 */
async function composite(org: Org, call: RestCall, version: string): Promise<void> {
  const body = (await readJson(call.req)) as { compositeRequest?: unknown } | null;
  const requests = body?.compositeRequest;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must have a compositeRequest array');
  }
  if (requests.length > MAX_COMPOSITE_SUBREQUESTS) {
    throw new ApiError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded. The number of subrequests cannot exceed ${MAX_COMPOSITE_SUBREQUESTS}.`,
    );
  }
  if (requests.length > MAX_COMPOSITE_QUERIES) {
    throw new ApiError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded. No more than ${MAX_COMPOSITE_QUERIES} query or sObject Collections subrequests are allowed.`,
    );
  }
  const compositeResponse = requests.map((raw: unknown) => {
    const sub = (raw ?? {}) as { method?: unknown; url?: unknown; referenceId?: unknown };
    const referenceId = typeof sub.referenceId === 'string' ? sub.referenceId : null;
    try {
      if (sub.method !== 'GET' || typeof sub.url !== 'string') {
        throw unsupported('composite subrequests other than GET query');
      }
      const url = new URL(sub.url, org.baseUrl);
      const [, , , versionSegment, resource, locator, extra] = url.pathname.split('/');
      if ((resource !== 'query' && resource !== 'queryAll') || extra !== undefined || !versionSegment) {
        throw unsupported(`composite subrequest ${url.pathname}`);
      }
      if (locator) return subResult(200, org.cursors.nextPage(locator, version), referenceId);
      const soql = url.searchParams.get('q');
      if (!soql) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      const answer = org.engine.run(soql, version, call.session.userId);
      return subResult(200, org.cursors.firstPage(answer, batchSize(call.req), version), referenceId);
    } catch (error) {
      if (error instanceof ApiError) return subResult(error.status, error.body(), referenceId);
      if (error instanceof SoqlError)
        return subResult(400, [{ message: error.message, errorCode: error.errorCode }], referenceId);
      throw error;
    }
  });
  sendJson(call.res, 200, { compositeResponse });
}

function subResult(httpStatusCode: number, body: unknown, referenceId: string | null) {
  return { body, httpHeaders: {}, httpStatusCode, referenceId };
}

async function updateCollection(org: Org, { req, res, session }: RestCall): Promise<void> {
  const body = (await readJson(req)) as { allOrNone?: unknown; records?: unknown } | null;
  if (!body || !Array.isArray(body.records)) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must have a records array');
  }
  if (body.records.length > MAX_COLLECTION_RECORDS) {
    throw new ApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`,
    );
  }
  const updates = body.records.map((raw: unknown) => {
    const { attributes, id, Id, ...fields } = (raw ?? {}) as Record<string, unknown>;
    const type = (attributes as { type?: unknown } | undefined)?.type;
    return { type: typeof type === 'string' ? type : undefined, id: id ?? Id, fields };
  });
  const results = org.writer.update(updates, {
    allOrNone: body.allOrNone === true,
    source: 'json',
    userId: session.userId,
  });
  sendJson(res, 200, results);
}

/** GET with `?ids=&fields=` or POST with `{ids, fields}`: records of the type in order, null where missing. */
async function retrieveCollection(
  org: Org,
  { req, res, url, method }: RestCall,
  typeName: string,
  version: string,
) {
  const schema = org.schema.object(typeName);
  if (!schema) throw notFound();
  let ids: string[];
  let fields: string[];
  if (method === 'POST') {
    const body = (await readJson(req)) as { ids?: unknown; fields?: unknown } | null;
    ids = Array.isArray(body?.ids) ? body.ids.map(String) : [];
    fields = Array.isArray(body?.fields) ? body.fields.map(String) : [];
  } else {
    ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
    fields = (url.searchParams.get('fields') ?? '').split(',').filter(Boolean);
  }
  if (ids.length === 0 || fields.length === 0) {
    throw new ApiError(400, 'MALFORMED_QUERY', 'ids and fields are required parameters');
  }
  // Salesforce: up to 2,000 ids in a POST body; a GET is bounded by URL length (about 800 ids).
  const maxIds = method === 'POST' ? MAX_RETRIEVE_POST_RECORDS : MAX_RETRIEVE_GET_RECORDS;
  if (ids.length > maxIds) {
    throw new ApiError(400, 'EXCEEDED_ID_LIMIT', `cannot retrieve more than ${maxIds} records`);
  }
  sendJson(
    res,
    200,
    ids.map((id) => {
      const record = isSalesforceId(id) ? org.store.live(schema.name, toId18(id)) : undefined;
      return record ? shapeRecord(schema, record, fields, version) : null;
    }),
  );
}

/**
 * sObject Get Deleted: `GET sobjects/Account/deleted/?start=…&end=…`, ids deleted in the window from the
 * delete log (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/resources_getdeleted.htm).
 */
function getDeleted(org: Org, call: RestCall, type: SObjectType): void {
  const start = Date.parse(call.url.searchParams.get('start') ?? '');
  const end = Date.parse(call.url.searchParams.get('end') ?? '');
  if (!Number.isFinite(start) || !Number.isFinite(end) || start > end) {
    throw new ApiError(
      400,
      'INVALID_REPLICATION_DATE',
      'start and end must be date-times with start before end',
    );
  }
  const deletedRecords = org.store.deletedBetween(type, new Date(start), new Date(end));
  sendJson(call.res, 200, {
    deletedRecords,
    earliestDateAvailable: toSalesforceDateTime(new Date(start)),
    latestDateCovered: toSalesforceDateTime(new Date(end)),
  });
}

async function sobject(org: Org, call: RestCall, path: string[], version: string): Promise<void> {
  const { req, res, url, method, session } = call;
  const [typeName, id, ...more] = path;
  const schema = typeName ? org.schema.object(typeName) : undefined;
  if (!schema) throw notFound();
  if (id === 'describe' && more.length === 0) {
    if (method !== 'GET') throw methodNotAllowed(method, ['GET']);
    return sendJson(res, 200, describeSObject(schema));
  }
  if (id === 'deleted' && more.length === 0) {
    if (method !== 'GET') throw methodNotAllowed(method, ['GET']);
    return getDeleted(org, call, schema.name);
  }
  if (!id || more.length > 0) throw unsupported(`sobjects/${path.join('/')}`);
  if (method === 'GET') {
    const record =
      isSalesforceId(id) && toId18(id).startsWith(schema.keyPrefix)
        ? org.store.live(schema.name, toId18(id))
        : undefined;
    if (!record) throw notFound();
    const fields = url.searchParams.get('fields')?.split(',').filter(Boolean);
    return sendJson(res, 200, shapeRecord(schema, record, fields, version));
  }
  if (method === 'PATCH') {
    const fields = (await readJson(req)) as Record<string, unknown> | null;
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) {
      throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object of fields');
    }
    const [result] = org.writer.update([{ type: schema.name, id, fields }], {
      allOrNone: true,
      source: 'json',
      userId: session.userId,
    });
    if (result?.success) return sendEmpty(res, 204);
    const errors: SaveError[] = result?.errors ?? [];
    if (errors.some((e) => e.statusCode === 'ENTITY_IS_DELETED' || e.statusCode === 'MALFORMED_ID'))
      throw notFound();
    return sendJson(
      res,
      400,
      errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields })),
    );
  }
  if (method === 'DELETE') throw unsupported('deleting records');
  throw methodNotAllowed(method, ['GET', 'PATCH']);
}

async function bulkQuery(org: Org, call: RestCall, path: string[], version: string): Promise<void> {
  const { req, res, method, session, url } = call;
  const [jobId, resource, ...more] = path;
  if (more.length > 0) throw notFound();
  if (!jobId) {
    if (method !== 'POST') throw unsupported('listing query jobs');
    return sendJson(res, 200, org.queryJobs.create(await readJson(req), session.userId, version));
  }
  if (!resource) {
    if (method === 'GET') return sendJson(res, 200, org.queryJobs.info(jobId));
    if (method === 'PATCH') return sendJson(res, 200, org.queryJobs.abort(jobId, await readJson(req)));
    if (method === 'DELETE') {
      org.queryJobs.delete(jobId);
      return sendEmpty(res, 204);
    }
    throw methodNotAllowed(method, ['GET', 'PATCH', 'DELETE']);
  }
  if (resource !== 'results') throw notFound();
  if (method !== 'GET') throw methodNotAllowed(method, ['GET']);
  const page = org.queryJobs.results(
    jobId,
    url.searchParams.get('locator'),
    url.searchParams.get('maxRecords'),
  );
  res.setHeader('Sforce-Locator', page.locator);
  res.setHeader('Sforce-NumberOfRecords', String(page.count));
  return sendText(res, 200, page.csv, 'text/csv');
}

async function ingest(org: Org, call: RestCall, path: string[], version: string): Promise<void> {
  const { req, res, method, session } = call;
  const [jobId, resource, ...more] = path;
  if (more.length > 0) throw notFound();
  if (!jobId) {
    if (method !== 'POST') throw unsupported('listing ingest jobs');
    return sendJson(res, 200, org.jobs.create(await readJson(req), session.userId, version));
  }
  if (!resource) {
    if (method === 'GET') return sendJson(res, 200, org.jobs.info(jobId));
    if (method === 'PATCH') return sendJson(res, 200, org.jobs.changeState(jobId, await readJson(req)));
    if (method === 'DELETE') {
      org.jobs.delete(jobId);
      return sendEmpty(res, 204);
    }
    throw methodNotAllowed(method, ['GET', 'PATCH', 'DELETE']);
  }
  if (resource === 'batches') {
    if (method !== 'PUT') throw methodNotAllowed(method, ['PUT']);
    org.jobs.upload(jobId, await readBody(req));
    return sendEmpty(res, 201);
  }
  const results: Record<string, (id: string) => string> = {
    successfulResults: (id) => org.jobs.successfulResults(id),
    failedResults: (id) => org.jobs.failedResults(id),
    unprocessedrecords: (id) => org.jobs.unprocessedRecords(id),
  };
  const read = results[resource];
  if (!read) throw notFound();
  if (method !== 'GET') throw methodNotAllowed(method, ['GET']);
  return sendText(res, 200, read(jobId), 'text/csv');
}

// ---------- helpers ----------

function mergeFields(a: CustomFields, b: CustomFields): CustomFields {
  return Object.fromEntries(SOBJECT_TYPES.map((type) => [type, { ...a[type], ...b[type] }]));
}

/** Fields of `all` that `present` lacks. */
function absentFields(all: CustomFields, present: CustomFields): CustomFields {
  return Object.fromEntries(
    SOBJECT_TYPES.map((type) => [
      type,
      Object.fromEntries(Object.entries(all[type] ?? {}).filter(([name]) => !present[type]?.[name])),
    ]),
  );
}

/** Which counter a request adds to. */
function callKind(pathname: string): CallKind {
  if (pathname === '/services/oauth2/token') return 'token';
  if (pathname.startsWith('/id/')) return 'identity';
  const [, , , , resource, next] = pathname.split('/');
  switch (resource) {
    case 'query':
    case 'queryAll':
      return next ? 'queryMore' : 'query';
    case 'composite':
      return next ? 'collections' : 'composite';
    case 'sobjects':
      return 'sobject';
    case 'jobs':
      return 'bulk';
    case 'limits':
      return 'limits';
    default:
      return 'other';
  }
}

/** `Sforce-Query-Options: batchSize=N`, which Salesforce honours between 200 and 2000. */
function batchSize(req: IncomingMessage): number {
  const header = String(req.headers['sforce-query-options'] ?? '');
  const requested = Number(/batchSize=(\d+)/i.exec(header)?.[1]);
  if (!Number.isFinite(requested) || requested <= 0) return DEFAULT_BATCH_SIZE;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(200, requested));
}

function shapeRecord(
  schema: SObjectSchema,
  record: SalesforceRecord,
  fields: string[] | undefined,
  version: string,
): QueryRecord {
  const out: QueryRecord = {
    attributes: { type: schema.name, url: recordUrl(version, schema.name, String(record.Id)) },
  };
  const specs = fields
    ? fields.map((name) => {
        const spec = fieldOf(schema, name.trim());
        if (!spec)
          throw new ApiError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${schema.name}'.`);
        return spec;
      })
    : [...schema.fields.values()];
  for (const spec of specs) out[spec.name] = record[spec.name] ?? null;
  return out;
}

function unsupported(what: string): ApiError {
  return new ApiError(
    400,
    'FUNCTIONALITY_NOT_ENABLED',
    `${what} is not supported by the Salesforce emulator`,
  );
}

function sendApiError(res: ServerResponse, error: unknown): void {
  if (error instanceof ApiError) sendJson(res, error.status, error.body());
  else if (error instanceof SoqlError)
    sendJson(res, 400, [{ message: error.message, errorCode: error.errorCode }]);
  else throw error;
}
