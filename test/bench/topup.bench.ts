import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoOutbox } from '../../shared/adapters/dynamodb/outbox.js';
import { DynamoRepCounters } from '../../shared/adapters/dynamodb/rep-counters.js';
import { DynamoTerritoryStore } from '../../shared/adapters/dynamodb/territory-store.js';
import { postalCentroid } from '../../shared/adapters/postal/centroids.js';
import { salesforceConnection } from '../../shared/adapters/salesforce/connection.js';
import { SalesforceLeadCounts } from '../../shared/adapters/salesforce/lead-counts.js';
import { forgetOrgFields } from '../../shared/adapters/salesforce/org-fields.js';
import { SalesforceOwnerGateway } from '../../shared/adapters/salesforce/owner-gateway.js';
import { reconcileRepCounters } from '../../shared/application/capacity/reconcile-counters.js';
import { ensureProductionModel } from '../../shared/application/territories/publish.js';
import { runTopUp } from '../../shared/application/topup/run-top-up.js';
import { drainOutbox } from '../../shared/application/write-back/drain-outbox.js';
import {
  capacityConfigSchema,
  DEFAULT_CAPACITY_RULES,
  newLimitByRatio,
} from '../../shared/domain/capacity/capacity.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { type CompiledModel, compileModel } from '../../shared/domain/territory/compile-model.js';
import { formatProblem, validateTerritoryConfig } from '../../shared/domain/territory/validate.js';
import { allocateTopUp, type PoolLead, type TopUpRep } from '../../shared/domain/topup/allocate.js';
import { DEMO_ORG_ENV } from '../../shared/local-stack/demo-org-ids.js';
import {
  type DynamoDbLocal,
  ensureTable,
  startDynamoDbLocal,
} from '../../shared/local-stack/dynamodb-local.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { toSalesforceDateTime } from '../../shared/local-stack/salesforce-emulator/values.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { topUpDeps } from '../../shared/runtime/top-up.js';
import { bench, timeMs } from './harness.js';

/**
 * Top-up: allocation time for a large pool (pure), Salesforce calls to write 10,000 owners back
 * through the outbox (sObject Collections) and through one Bulk API 2.0 job, and the calls a
 * reconciliation of 500 reps takes. Data is generated from a fixed seed.
 */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

const QUEUE = toId18('00GTR0000000001');
const REVIEW = toId18('00GTR0000000002');
const repIdOf = (i: number) => toId18(`005BT${String(i).padStart(10, '0')}`);

/** 100 territories on FSAs (K0A…P9B), 5 reps each; a few reps inactive or away. */
function largeModel(): CompiledModel {
  const fsas = [...'KLMNP'].flatMap((l) => [...'0123456789'].flatMap((d) => [`${l}${d}A`, `${l}${d}B`]));
  const reps = Array.from({ length: 500 }, (_, i) => ({
    key: `r${i}`,
    id: repIdOf(i),
    name: `Rep ${i}`,
    active: i % 97 !== 0,
    outOfOffice: i % 89 === 0 ? [{ from: '2026-11-01', to: '2026-12-31' }] : [],
  }));
  const result = validateTerritoryConfig({
    name: 'Bench',
    timeZone: 'America/Toronto',
    defaultOwner: 'review',
    queues: [{ key: 'review', id: REVIEW, name: 'Review' }],
    reps,
    categories: [
      { id: 'on', name: 'Ontario', expression: 'PostalCode STARTS WITH ("K", "L", "M", "N", "P")' },
    ],
    territories: fsas.map((fsa, t) => ({
      id: `t${t}`,
      name: `Territory ${fsa}`,
      category: 'on',
      priority: 5,
      expression: `PostalCode STARTS WITH "${fsa}"`,
      participants: Array.from({ length: 5 }, (_, k) => `r${t * 5 + k}`),
    })),
  });
  if (!result.ok) throw new Error(result.problems.map((p) => formatProblem(p)).join('\n'));
  return compileModel(result.model);
}

interface AllocateState {
  model: CompiledModel;
  reps: Map<string, TopUpRep>;
  pool: PoolLead[];
}

function allocateSetup(): AllocateState {
  const r = random(7);
  const model = largeModel();
  const reps = new Map<string, TopUpRep>();
  for (let i = 0; i < 500; i++) {
    const inProgress = r.int(200);
    const fresh = r.int(45);
    reps.set(repIdOf(i), {
      id: repIdOf(i),
      counts: {
        open: fresh + inProgress,
        new: fresh,
        inProgress,
        newLimitByRatio: newLimitByRatio(inProgress, DEFAULT_CAPACITY_RULES),
      },
      rules: DEFAULT_CAPACITY_RULES,
      performance: r.next(),
    });
  }
  const letters = 'KLMNP';
  const pool: PoolLead[] = Array.from({ length: 100_000 }, (_, i) => {
    const id = toId18(`00QBT${String(i).padStart(10, '0')}`);
    // 2% from outside the model's territories.
    const postal =
      r.next() < 0.02
        ? 'V6B 1A1'
        : `${letters[r.int(5)]}${r.int(10)}${r.next() < 0.5 ? 'A' : 'B'} ${r.int(10)}X${r.int(10)}`;
    return {
      id,
      ownerId: QUEUE,
      createdAtMs: Date.parse('2026-10-01T00:00:00Z') + r.int(50 * 86_400_000),
      score: r.next() < 0.9 ? r.int(100) : null,
      fields: { Id: id, Country: 'Canada', PostalCode: postal },
    };
  });
  return { model, reps, pool };
}

interface WriteBackState {
  db: DynamoDbLocal;
  sf: SalesforceEmulator;
  doc: DynamoDBDocumentClient;
}

const BENCH_MODEL = (reps: number) => `
name: Bench
timeZone: America/Toronto
defaultOwner: review
queues: [{ key: review, id: ${REVIEW}, name: Review }]
reps:
${Array.from({ length: reps }, (_, i) => `  - { key: r${i}, id: ${repIdOf(i)}, name: Rep ${i} }`).join('\n')}
territories:
  - id: gta
    name: GTA
    priority: 1
    expression: PostalCode STARTS WITH "M"
    participants: [${Array.from({ length: reps }, (_, i) => `r${i}`).join(', ')}]
`;

async function writeBackSetup(): Promise<WriteBackState> {
  const db = await startDynamoDbLocal();
  const doc = DynamoDBDocumentClient.from(db.client, { marshallOptions: { removeUndefinedValues: true } });
  const sf = await startSalesforceEmulator({ dailyApiLimit: 10_000_000 });
  sf.store.insert('Group', [
    { Id: QUEUE, Name: 'Lead Intake', Type: 'Queue' },
    { Id: REVIEW, Name: 'Review', Type: 'Queue' },
  ]);
  sf.store.insert(
    'User',
    Array.from({ length: 500 }, (_, i) => ({ Id: repIdOf(i), Name: `Rep ${i}`, IsActive: true })),
  );
  return { db, sf, doc };
}

async function writeBackTeardown(s: WriteBackState) {
  await s.sf.close();
  await s.db.stop();
}

const connection = (sf: SalesforceEmulator) => () => salesforceConnection(emulatorConnectionOptions(sf));

let tableSerial = 0;
/** A fresh table with the model, and 10,000 leads waiting in the intake queue. */
async function tenThousandInTheQueue(s: WriteBackState, bulkThreshold: number) {
  const table = `topup-bench-${++tableSerial}`;
  await ensureTable(s.db.client, table);
  await ensureProductionModel(
    { store: new DynamoTerritoryStore({ doc: s.doc, tableName: table }), postalCentroid },
    { text: BENCH_MODEL(50) },
  );
  for (const lead of s.sf.store.records('Lead'))
    s.sf.store.update('Lead', String(lead.Id), { OwnerId: REVIEW });
  s.sf.store.insert(
    'Lead',
    Array.from({ length: 10_000 }, (_, i) => ({
      LastName: `Pool ${i}`,
      Company: `Co ${i}`,
      Country: 'Canada',
      PostalCode: 'M5V 3L9',
      Status: 'Open - Not Contacted',
      OwnerId: QUEUE,
      CreatedDate: toSalesforceDateTime(Date.parse('2026-11-01T00:00:00Z') + i * 1000),
    })),
  );
  const cfg = parseConfig({
    ...DEMO_ORG_ENV,
    TABLE_NAME: table,
    INTAKE_QUEUE_IDS: QUEUE,
    TOP_UP_BULK_THRESHOLD: String(bulkThreshold),
    TOP_UP_BULK_POLL_INTERVAL_MS: '200',
    // 50 reps with room for 250 new leads each: every one of the 10,000 is allocated.
    CAPACITY_RULES: JSON.stringify({ defaults: { maxOpen: 1000, maxNew: 250, minInProgressRatio: 0 } }),
  });
  const deps = topUpDeps(cfg, { doc: s.doc, connection: connection(s.sf) });
  return { table, deps: { ...deps, settings: { ...deps.settings, applyConcurrency: 16 } } };
}

export const benches = [
  bench<AllocateState>({
    name: 'topup/match-only/100000-leads',
    unit: 'ms',
    notes: 'baseline: territory matching of the same 100,000 pool leads, no allocation',
    setup: allocateSetup,
    run: (s) =>
      timeMs(() => {
        for (const lead of s.pool) s.model.match(lead.fields);
      }),
  }),
  bench<AllocateState>({
    name: 'topup/allocate/100000-leads-500-reps',
    unit: 'ms',
    baseline: 'topup/match-only/100000-leads',
    notes:
      'goal < 1000 ms on one core: match, eligibility, weighted spreading, reasons; 100 territories x 5 reps, default caps',
    setup: allocateSetup,
    run: (s) =>
      timeMs(() => {
        const plan = allocateTopUp({
          runId: 'bench',
          model: s.model,
          reps: s.reps,
          pool: s.pool,
          order: 'score',
          now: new Date('2026-11-20T15:00:00Z'),
        });
        if (plan.allocations.length === 0) throw new Error('nothing allocated');
      }),
  }),
  bench<WriteBackState & { whole?: number }>({
    name: 'topup/sf-calls/10000-leads',
    unit: 'calls',
    runs: 1,
    warmup: 0,
    notes:
      'write-back of a 10,000-lead run through the outbox: one ownership check (Collections retrieve) per 2,000 + one sObject Collections update per 200 (goal <= 55: 5 checks + 50 updates)',
    setup: writeBackSetup,
    teardown: writeBackTeardown,
    run: async (s) => {
      const { table, deps } = await tenThousandInTheQueue(s, 1_000_000);
      const outcome = await runTopUp({}, deps);
      if (outcome.status !== 'completed' || outcome.summary.allocated !== 10_000)
        throw new Error(
          `top-up allocated ${outcome.status === 'completed' ? outcome.summary.allocated : outcome.status}`,
        );
      // As a fresh write-back container: the org's fields are described again.
      forgetOrgFields();
      s.sf.resetCalls();
      const summary = await drainOutbox(
        {
          outbox: new DynamoOutbox(s.doc, table),
          crm: new SalesforceOwnerGateway(connection(s.sf), { reasonField: 'Routing_Reason__c' }),
          now: () => new Date(),
          reasonMaxLength: 255,
          maxAttempts: 5,
        },
        { maxPages: 20 },
      );
      if (summary.written !== 10_000) throw new Error(`wrote ${summary.written}`);
      const calls = s.sf.calls();
      console.log(
        `  (once per container besides: ${calls.sobject ?? 0} describe, ${calls.token ?? 0} token calls)`,
      );
      return (calls.query ?? 0) + (calls.queryMore ?? 0) + (calls.collections ?? 0);
    },
  }),
  bench<WriteBackState>({
    name: 'topup/sf-calls/10000-leads-bulk',
    unit: 'calls',
    runs: 1,
    warmup: 0,
    notes:
      'write-back of the same run through one Bulk API 2.0 job (create, upload, close, poll, successful + failed results); goal <= 10',
    setup: writeBackSetup,
    teardown: writeBackTeardown,
    run: async (s) => {
      const { deps } = await tenThousandInTheQueue(s, 2000);
      s.sf.resetCalls();
      const outcome = await runTopUp({}, deps);
      if (outcome.status !== 'completed' || outcome.summary.writeBack.written !== 10_000)
        throw new Error(
          `bulk wrote ${JSON.stringify(outcome.status === 'completed' ? outcome.summary.writeBack : outcome)}`,
        );
      const calls = s.sf.calls();
      const reads = (calls.query ?? 0) + (calls.queryMore ?? 0);
      console.log(
        `  (whole run: ${reads} read calls — reconcile, performance, pool pages — plus ${calls.bulk ?? 0} bulk calls)`,
      );
      return calls.bulk ?? 0;
    },
  }),
  bench<WriteBackState & { table: string }>({
    name: 'topup/reconcile/500-reps',
    unit: 'calls',
    runs: 1,
    warmup: 0,
    notes: 'goal: one aggregate query (GROUP BY OwnerId, Status) plus paging for 500 reps',
    setup: async () => {
      const s = await writeBackSetup();
      const table = 'topup-bench-reconcile';
      await ensureTable(s.db.client, table);
      const r = random(11);
      s.sf.store.insert(
        'Lead',
        Array.from({ length: 500 }, (_, i) =>
          Array.from({ length: 1 + r.int(6) }, (_, k) => ({
            LastName: `Owned ${i}-${k}`,
            Company: 'Co',
            OwnerId: repIdOf(i),
            Status: k % 2 ? 'Working - Contacted' : 'Open - Not Contacted',
          })),
        ).flat(),
      );
      return { ...s, table };
    },
    teardown: writeBackTeardown,
    run: async (s) => {
      await connection(s.sf)();
      s.sf.resetCalls();
      const result = await reconcileRepCounters(
        Array.from({ length: 500 }, (_, i) => repIdOf(i)),
        {
          crm: new SalesforceLeadCounts(connection(s.sf)),
          counters: new DynamoRepCounters(s.doc, s.table),
          capacity: capacityConfigSchema.parse({}),
          now: () => new Date(),
        },
      );
      if (result.reps !== 500) throw new Error('not every rep reconciled');
      const calls = s.sf.calls();
      return (calls.query ?? 0) + (calls.queryMore ?? 0);
    },
  }),
];
