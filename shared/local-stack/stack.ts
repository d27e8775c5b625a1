import '../runtime/local-process.js';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyStructuredResultV2, Context, ScheduledEvent } from 'aws-lambda';
import { DynamoRepCounters } from '../adapters/dynamodb/rep-counters.js';
import { DynamoTerritoryStore } from '../adapters/dynamodb/territory-store.js';
import { publicHolidays } from '../adapters/holidays/public-holidays.js';
import { outboundRefusal } from '../adapters/http/outbound-message-endpoint.js';
import { postalCentroid } from '../adapters/postal/centroids.js';
import { salesforceConnection } from '../adapters/salesforce/connection.js';
import { SalesforceLeadCounts } from '../adapters/salesforce/lead-counts.js';
import {
  buildOutboundMessage,
  ROUTING_LEAD_FIELDS,
} from '../adapters/salesforce/outbound-message-builder.js';
import { reconcileRepCounters } from '../application/capacity/reconcile-counters.js';
import { ensureProductionModel } from '../application/territories/publish.js';
import { type Config, ConfigError, localPorts, parseConfig } from '../runtime/config.js';
import { documentClient } from '../runtime/dynamodb.js';
import { createAccountSyncHandler } from '../runtime/handlers/account-sync.js';
import { createIntakeHandler } from '../runtime/handlers/intake.js';
import { createReleaseHeldLeadsHandler } from '../runtime/handlers/release-held-leads.js';
import { createSlaSweepHandler } from '../runtime/handlers/sla-sweep.js';
import { createTopUpHandler } from '../runtime/handlers/top-up.js';
import { createWriteBackHandler } from '../runtime/handlers/write-back.js';
import { JOB_TIMEOUT_MINUTES } from '../runtime/job-timeouts.js';
import { type SalesforceCredentials, salesforceCredentialsFromEnv } from '../runtime/salesforce.js';
import { ensurePrivateDir, lockDataDir, writePrivateFile } from './data-dir.js';
import { demoData } from './demo-data.js';
import { DEMO_ORG_ENV } from './demo-org-ids.js';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from './dynamodb-local.js';
import { type LocalGateway, type LocalRoute, localContext, startLocalGateway } from './http-gateway.js';
import { localObservability } from './observability.js';
import { localReassignEnv, startLocalReassign } from './reassign.js';
import {
  type RecordStore,
  type SalesforceEmulator,
  type SeedData,
  SOBJECT_TYPES,
  startSalesforceEmulator,
} from './salesforce-emulator/index.js';
import { writeStackRecord } from './stack-record.js';

type ComponentState = { state: 'starting' | 'up' | 'down'; detail?: string; [k: string]: unknown };

export interface LocalStack {
  gatewayUrl: string;
  salesforceUrl: string;
  outboundUrl: string;
  health(): Record<string, ComponentState>;
  /** Run the write-back once now (the timer also runs it). */
  writeBackNow(): Promise<unknown>;
  /** Run a top-up now (the timer also runs it); `territory-router top-up` does the same from a shell. */
  topUpNow(input?: { dryRun?: boolean }): Promise<unknown>;
  /** Sync the account index now (the timer also does); `territory-router accounts sync` does the same. */
  accountSyncNow(input?: { mode?: 'full' | 'incremental' }): Promise<unknown>;
  /** Assign held leads whose territory has a rep on shift now (the timer also does, every minute). */
  releaseHeldLeadsNow(): Promise<unknown>;
  /** Run the SLA sweep now (the timer runs it every SLA_SWEEP_INTERVAL_MS). */
  slaSweepNow(): Promise<unknown>;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Environment to read the configuration from (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Write-back poll interval; 0 disables the timer. */
  writeBackIntervalMs?: number;
  /** Top-up interval (default TOP_UP_INTERVAL_MS); 0 disables the timer. */
  topUpIntervalMs?: number;
  /** Account-sync interval (default ACCOUNT_SYNC_INTERVAL_MS); 0 disables the timer. */
  accountSyncIntervalMs?: number;
  /** Held-lead release interval (default RELEASE_HELD_LEADS_INTERVAL_MS); 0 disables the timer. */
  releaseHeldLeadsIntervalMs?: number;
  /** SLA sweep interval (default SLA_SWEEP_INTERVAL_MS, a minute); 0 disables the timer. */
  slaSweepIntervalMs?: number;
  log?: (line: string) => void;
}

const here = dirname(fileURLToPath(import.meta.url));
const EXAMPLE_MODEL = join(here, 'ontario-territories.yaml');
const SEED_FILE = 'salesforce-org.json';
const SEED_COLLECTION_OF: Record<string, keyof SeedData> = {
  User: 'users',
  Group: 'queues',
  Account: 'accounts',
  Opportunity: 'opportunities',
  Lead: 'leads',
  Contact: 'contacts',
  Task: 'tasks',
  Event: 'events',
};

/**
 * Everything on this machine: DynamoDB Local persisted under DATA_DIR, the Salesforce emulator
 * seeded with the demo org (or a real org), the Ontario model in production, and the Lambda
 * handlers behind a local HTTP API gateway, with the write-back on a timer.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  // The demo org's ids unless the environment names a real org's.
  const env: Record<string, string | undefined> = { ...DEMO_ORG_ENV, ...(options.env ?? process.env) };
  const log = options.log ?? ((line: string) => console.log(line));
  const components: Record<string, ComponentState> = {
    dynamodb: { state: 'starting' },
    salesforce: { state: 'starting' },
    territoryModel: { state: 'starting' },
    capacity: { state: 'starting' },
    gateway: { state: 'starting' },
    writeBack: { state: 'starting' },
    topUp: { state: 'starting' },
    accountSync: { state: 'starting' },
    slaSweep: { state: 'starting' },
  };
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };

  try {
    const base = parseConfig(env);
    const dataDir = resolve(base.DATA_DIR);
    ensurePrivateDir(dataDir);
    const lock = lockDataDir(dataDir);
    stops.push(async () => lock.release());
    const outboundSecret = base.OUTBOUND_SECRET ?? persistentSecret(join(dataDir, 'outbound-secret'));

    const ports = localPorts(base);
    const db: DynamoDbLocal = await startDynamoDbLocal({
      dataDir: join(dataDir, 'dynamodb'),
      port: ports.dynamodb,
    });
    stops.push(() => db.stop());
    if (db.replacedLeftover) {
      log(`stopped DynamoDB Local pid ${db.replacedLeftover}, left running on ${dataDir} by a crashed run`);
    }
    await ensureTable(db.client, base.TABLE_NAME);
    components.dynamodb = { state: 'up', endpoint: db.endpoint, table: base.TABLE_NAME };

    let salesforceCredentials: SalesforceCredentials;
    let salesforceUrl: string;
    let emulator: SalesforceEmulator | undefined;
    if (base.SF_LOGIN_URL) {
      salesforceCredentials = salesforceCredentialsFromEnv(base)!;
      salesforceUrl = base.SF_LOGIN_URL;
      components.salesforce = { state: 'up', mode: 'real org', url: salesforceUrl };
    } else {
      const seedPath = join(dataDir, SEED_FILE);
      const seed: SeedData = existsSync(seedPath) ? JSON.parse(readFileSync(seedPath, 'utf8')) : demoData();
      // Saved on every committed write, before the write-back hears success and settles its outbox
      // item: a crash (kill -9) can never leave "written" in the ledger and the old owner in the org.
      const sf = await startSalesforceEmulator({
        seed,
        port: ports.salesforce,
        packageFields: base.SF_EMULATOR_FIELDS,
        onCommit: (store) => saveOrg(store, seedPath),
      });
      emulator = sf;
      stops.push(async () => {
        saveOrg(sf.store, seedPath);
        await sf.close();
      });
      salesforceCredentials = {
        loginUrl: sf.loginUrl,
        clientId: sf.credentials.clientId,
        clientSecret: sf.credentials.clientSecret,
      };
      salesforceUrl = sf.url;
      components.salesforce = {
        state: 'up',
        mode: 'emulator',
        url: sf.url,
        customFields: base.SF_EMULATOR_FIELDS,
        leads: sf.store.count('Lead'),
      };
    }

    // The handlers' configuration, passed explicitly: what Lambda reads from its environment and
    // secrets, here the local endpoints and the generated secrets.
    const cfg: Config = parseConfig({
      ...env,
      DYNAMODB_ENDPOINT: db.endpoint,
      TABLE_NAME: base.TABLE_NAME,
      OUTBOUND_SECRET: outboundSecret,
      SALESFORCE_CREDENTIALS: JSON.stringify(salesforceCredentials),
      ...localReassignEnv({ env, port: base.PORT, secret: (name) => persistentSecret(join(dataDir, name)) }),
    });
    const doc = documentClient(cfg);
    const io = { doc, observability: localObservability };

    const store = new DynamoTerritoryStore({ doc, tableName: cfg.TABLE_NAME });
    const model = await ensureProductionModel(
      { store, postalCentroid, holidays: publicHolidays },
      { text: readFileSync(EXAMPLE_MODEL, 'utf8'), by: 'local stack' },
    );
    const production = await store.getProduction();
    components.territoryModel = {
      state: 'up',
      version: model.version,
      ...(model.created ? { detail: 'example model pushed and promoted' } : {}),
      territories: production?.model.territories.length ?? 0,
    };

    const connection = () =>
      salesforceConnection({ ...salesforceCredentials, apiVersion: cfg.SF_API_VERSION } as never);
    const reps = production?.model.reps.map((r) => r.id) ?? [];
    const reconciled = await reconcileRepCounters(reps, {
      crm: new SalesforceLeadCounts(connection),
      counters: new DynamoRepCounters(doc, cfg.TABLE_NAME),
      capacity: cfg.CAPACITY_RULES,
      now: () => new Date(),
    });
    components.capacity = { state: 'up', repsReconciled: reconciled.reps };

    const intake = createIntakeHandler(cfg, io);
    const reassign = startLocalReassign({
      cfg,
      io,
      dataDir,
      emulator,
      effectiveDateWait: env.REASSIGN_LOCAL_WAIT === 'honor' ? 'honor' : 'skip',
      log,
    });
    const writeBack = createWriteBackHandler(cfg, io);
    const routes: LocalRoute[] = [
      {
        method: 'POST',
        path: '/salesforce/outbound/{secret}',
        handler: intake,
        refusal: outboundRefusal,
      },
      { method: 'GET', path: '/health', handler: async () => healthResponse(components) },
      ...reassign.routes,
    ];
    const gateway: LocalGateway = await startLocalGateway({ port: cfg.PORT, routes });
    stops.push(() => gateway.close());
    components.gateway = { state: 'up', url: gateway.url };
    // Approvals and effective-date waits of the last run continue (their links point at this gateway).
    await reassign.resumeInFlight();

    // The handlers AWS runs on schedules (and the write-back on its stream), here on timers.
    const job = localJobs(components, stops);
    const writeBackNow = job('writeBack', {
      handler: (input: ScheduledEvent, context) => writeBack(input, context),
      input: scheduledEvent,
      intervalMs: options.writeBackIntervalMs ?? 2000,
      timeoutMinutes: JOB_TIMEOUT_MINUTES.writeBack,
    });
    // Overlapping top-ups meet the lease.
    const topUp = createTopUpHandler(cfg, io);
    const topUpNow = job('topUp', {
      handler: async (input: { dryRun?: boolean }, context) =>
        (await topUp(input, context)) as {
          status: string;
          summary?: { allocated: number; pool: { read: number } };
        },
      input: () => ({}),
      intervalMs: options.topUpIntervalMs ?? cfg.TOP_UP_INTERVAL_MS,
      timeoutMinutes: JOB_TIMEOUT_MINUTES.topUp,
      lastRun: ({ status, summary }) => ({
        status,
        ...(summary ? { allocated: summary.allocated, pool: summary.pool.read } : {}),
      }),
    });
    // With nothing stored yet the account sync's first run is a full load.
    const accountSyncNow = job('accountSync', {
      handler: createAccountSyncHandler(cfg, io),
      input: () => ({}),
      intervalMs: options.accountSyncIntervalMs ?? cfg.ACCOUNT_SYNC_INTERVAL_MS,
      timeoutMinutes: JOB_TIMEOUT_MINUTES.accountSync,
    });
    // Leads held while nobody was on shift go out once someone is.
    const releaseHeldLeadsNow = job('releaseHeldLeads', {
      handler: createReleaseHeldLeadsHandler(cfg, io),
      input: () => ({}),
      intervalMs: options.releaseHeldLeadsIntervalMs ?? cfg.RELEASE_HELD_LEADS_INTERVAL_MS,
      timeoutMinutes: JOB_TIMEOUT_MINUTES.releaseHeldLeads,
    });
    // Overlapping sweeps meet the sweep's lease; the per-lead speeds stay out of /health.
    const slaSweepNow = job('slaSweep', {
      handler: createSlaSweepHandler(cfg, io),
      input: () => ({}),
      intervalMs: options.slaSweepIntervalMs ?? cfg.SLA_SWEEP_INTERVAL_MS,
      timeoutMinutes: JOB_TIMEOUT_MINUTES.slaSweep,
      lastRun: ({ speeds: _speeds, ...counts }) => counts,
    });

    const outboundUrl = `${gateway.url}/salesforce/outbound/${outboundSecret}`;
    const sample = emulator ? writeSampleMessage(emulator, cfg, dataDir) : undefined;
    const removeRecord = writeStackRecord({
      pid: process.pid,
      startedAt: new Date().toISOString(),
      dataDir,
      gatewayUrl: gateway.url,
      ...(emulator ? { salesforceUrl: emulator.url } : {}),
      dynamodbEndpoint: db.endpoint,
      tableName: base.TABLE_NAME,
    });
    stops.push(async () => removeRecord());
    // CLI commands find this stack from DATA_DIR/stack.json: with DATA_DIR in front they work from any shell.
    const cli = `DATA_DIR=${shellQuote(dataDir)} npx territory-router`;
    log(`Territory Router local stack is up
  gateway             ${gateway.url}   (GET /health)
  Salesforce          ${salesforceUrl}   (${components.salesforce.mode})
  outbound messages   ${outboundUrl}
  DynamoDB Local      ${db.endpoint}   (data in ${dataDir})
  territory model     version ${model.version}${model.created ? ' (example model promoted)' : ''}
  top-up              ${everySeconds(components.topUp)}; now: ${cli} top-up [--dry-run]
  account index       ${everySeconds(components.accountSync, 'synced ')}; now: ${cli} accounts sync [--full]${
    sample
      ? `

Route a lead from the demo org's intake queue (${sample.leadId}):
  curl -s -X POST -H 'content-type: text/xml' --data-binary @${sample.path} ${outboundUrl}
then, after the write-back (a couple of seconds), see its owner and reason in the emulator:
  ${cli} leads show ${sample.leadId}
and why it went there:
  ${cli} explain ${sample.leadId}`
      : ''
  }${reassign.banner(gateway.url).replaceAll('npx territory-router', cli)}
Ctrl-C stops everything; data stays in ${dataDir}.`);
    return {
      gatewayUrl: gateway.url,
      salesforceUrl,
      outboundUrl,
      health: () => components,
      writeBackNow,
      topUpNow,
      accountSyncNow,
      releaseHeldLeadsNow,
      slaSweepNow,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface LocalJobSpec<I, O> {
  handler: (input: I, context: Context) => Promise<O>;
  /** The event a timer run passes. */
  input: () => I;
  /** 0: no timer (runs only when asked). */
  intervalMs: number;
  /** The Lambda's timeout, the run's deadline here too. */
  timeoutMinutes: number;
  /** What /health shows of the last run (all of it by default). */
  lastRun?: (output: O) => unknown;
}

/**
 * Background jobs run here as AWS runs them: the same handler on a timer, a tick skipped while the
 * previous run is still going (the schedule's reserved concurrency of 1), the Lambda's deadline;
 * /health shows each job's last run or why it failed. Each job returns its run-now function.
 */
function localJobs(components: Record<string, ComponentState>, stops: Array<() => Promise<void>>) {
  return <I, O>(name: string, spec: LocalJobSpec<I, O>) => {
    const runNow = async (input: I = spec.input()): Promise<O> => {
      const output = await spec.handler(input, localContext(spec.timeoutMinutes * 60_000));
      components[name] = {
        ...components[name],
        state: 'up',
        lastRunAt: new Date().toISOString(),
        lastRun: spec.lastRun ? spec.lastRun(output) : output,
      };
      return output;
    };
    components[name] = { state: 'up', intervalMs: spec.intervalMs };
    if (spec.intervalMs > 0) {
      let running: Promise<unknown> | undefined;
      const tick = () => {
        if (running) return;
        running = runNow()
          .catch((error: unknown) => {
            components[name] = {
              state: 'down',
              detail: error instanceof Error ? error.message : String(error),
            };
          })
          .finally(() => {
            running = undefined;
          });
      };
      const timer = setInterval(tick, spec.intervalMs);
      stops.push(async () => {
        clearInterval(timer);
        // A run in flight finishes before the stack closes the table and the org under it.
        await running;
      });
    }
    return runNow;
  };
}

/** The banner's words for a job's timer. */
function everySeconds(job: ComponentState | undefined, verb = ''): string {
  const ms = Number(job?.intervalMs ?? 0);
  return ms > 0 ? `${verb}every ${Math.round(ms / 1000)} s` : 'timer off';
}

function healthResponse(components: Record<string, ComponentState>): APIGatewayProxyStructuredResultV2 {
  const healthy = Object.values(components).every((c) => c.state === 'up');
  return {
    statusCode: healthy ? 200 : 503,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: healthy ? 'ok' : 'degraded', components }, null, 2),
  };
}

/** A generated secret kept in DATA_DIR so the outbound URL stays the same across restarts. */
function persistentSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(24).toString('base64url');
  writePrivateFile(path, `${secret}\n`);
  return secret;
}

/** The emulated org is saved beside DynamoDB's files, so owners written survive a restart too. */
function saveOrg(store: RecordStore, path: string): void {
  const data: Record<string, unknown[]> = {};
  for (const type of SOBJECT_TYPES) {
    const collection = SEED_COLLECTION_OF[type];
    if (collection) data[collection] = store.records(type);
  }
  writePrivateFile(path, JSON.stringify(data));
}

/**
 * A ready-to-post outbound message for the first lead still in the intake queue, so the README's
 * curl works against the demo org as it is now.
 */
function writeSampleMessage(sf: SalesforceEmulator, cfg: Config, dataDir: string) {
  const queue = new Set(cfg.INTAKE_QUEUE_IDS);
  const lead = sf.store.records('Lead').find((l) => queue.has(String(l.OwnerId)));
  if (!lead) return undefined;
  // An outbound message can only carry fields the org has.
  const fields = ROUTING_LEAD_FIELDS.filter((f) =>
    sf.store.schema.object('Lead')?.fields.has(f.toLowerCase()),
  );
  const record = Object.fromEntries(fields.map((f) => [f, lead[f] ?? null])) as { Id: string };
  const path = join(dataDir, 'sample-outbound-message.xml');
  writePrivateFile(path, buildOutboundMessage([record], { orgId: sf.orgId }));
  return { path, leadId: record.Id };
}

function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: 'local',
    'detail-type': 'Scheduled Event',
    source: 'local.timer',
    account: 'local',
    time: new Date().toISOString(),
    region: 'local',
    resources: [],
    detail: {},
  };
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  startLocalStack().then(
    (stack) => {
      // Fill the account index now rather than at the first timer tick, so lead-to-account matching works from the start.
      if (stack.health().accountSync?.intervalMs)
        stack.accountSyncNow().catch((error: unknown) => {
          console.error('account sync failed:', error instanceof Error ? error.message : error);
        });
      let stopping = false;
      const shutdown = () => {
        if (stopping) return;
        stopping = true;
        console.log('\nstopping local stack…');
        void stack.stop().then(() => process.exit(0));
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    },
    (error: unknown) => {
      if (error instanceof ConfigError) console.error(error.message);
      else console.error('local stack failed to start:', error instanceof Error ? error.message : error);
      process.exit(error instanceof ConfigError ? 2 : 1);
    },
  );
}

/** A value pasted into any POSIX shell as one word. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
