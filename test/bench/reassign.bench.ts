import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient as DocClient } from '@aws-sdk/lib-dynamodb';
import { salesforceConnection } from '../../shared/adapters/salesforce/connection.js';
import { applyBatch, prepareApply } from '../../shared/application/reassign/apply.js';
import type { ReassignDeps } from '../../shared/application/reassign/deps.js';
import { submitReassignment } from '../../shared/application/reassign/submit.js';
import { validateReassignment } from '../../shared/application/reassign/validate.js';
import { DEFAULT_GUARDRAIL_CONFIG } from '../../shared/domain/guardrails/config.js';
import { DEFAULT_APPROVERS } from '../../shared/domain/reassign/approvers.js';
import { evaluateReassignment } from '../../shared/domain/reassign/evaluate.js';
import type { ReassignmentSnapshot, RecordSnapshot } from '../../shared/domain/reassign/model.js';
import type { MoveRow } from '../../shared/domain/reassign/moves.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { DEMO_ORG_ENV } from '../../shared/local-stack/demo-org-ids.js';
import {
  type DynamoDbLocal,
  ensureTable,
  startDynamoDbLocal,
} from '../../shared/local-stack/dynamodb-local.js';
import {
  type CallCounts,
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { reassignDeps } from '../../shared/runtime/reassign.js';
import { bench, timeMs } from './harness.js';

const MOVES = 10_000;
const REPS = 100;
const repIdOf = (n: number) => toId18(`005BR${String(n).padStart(10, '0')}`);
const accountIdOf = (n: number) => toId18(`001BR${String(n).padStart(10, '0')}`);
/** Account n belongs to rep n % REPS and moves to the next rep. */
const ownerOf = (n: number) => repIdOf(n % REPS);
const targetOf = (n: number) => repIdOf((n + 1) % REPS);

interface CallsState {
  db: DynamoDbLocal;
  sf: SalesforceEmulator;
  deps: ReassignDeps;
  validateCalls: number[];
}

/** API calls as Salesforce counts them: the OAuth token endpoint is not an API call. */
function apiCalls(calls: CallCounts): number {
  return Object.entries(calls)
    .filter(([kind]) => kind !== 'token' && kind !== 'identity')
    .reduce((sum, [, n]) => sum + (n ?? 0), 0);
}

async function callsSetup(bulkThreshold: number): Promise<CallsState> {
  const db = await startDynamoDbLocal();
  const table = 'bench-reassign';
  await ensureTable(db.client, table);
  const doc: DynamoDBDocumentClient = DocClient.from(db.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sf = await startSalesforceEmulator({
    seed: {
      users: Array.from({ length: REPS }, (_, r) => ({
        Id: repIdOf(r),
        LastName: `Rep ${r}`,
        Name: `Rep ${r}`,
        IsActive: true,
      })),
      accounts: Array.from({ length: MOVES }, (_, n) => ({
        Id: accountIdOf(n),
        Name: `Account ${n}`,
        OwnerId: ownerOf(n),
        ARR__c: 1000,
      })),
    },
  });
  const cfg = parseConfig({
    ...DEMO_ORG_ENV,
    TABLE_NAME: table,
    APPROVAL_BASE_URL: 'http://127.0.0.1:1',
    REASSIGN_BULK_THRESHOLD: String(bulkThreshold),
    // Every rep hands over its whole book here; the bench counts Salesforce calls, not guardrails.
    GUARDRAILS: JSON.stringify({ bookChange: { enabled: false }, effectiveDate: { minNoticeDays: 0 } }),
  });
  const deps = reassignDeps(cfg, {
    doc,
    connection: () => salesforceConnection(emulatorConnectionOptions(sf)),
    notifier: { notify: async () => undefined },
    workflow: { start: async () => undefined },
    tokens: { succeed: async () => undefined, fail: async () => undefined, heartbeat: async () => true },
    approvalSigningSecret: () => 'bench',
    bulkPollIntervalMs: 20,
  });
  return { db, sf, deps, validateCalls: [] };
}

/**
 * One reassignment of 10,000 accounts: validate (not counted here, see -validate), then the
 * apply phase as the workflow runs it — prepare (re-read owners) and every batch — counting
 * the Salesforce API calls it makes.
 */
async function applyCalls(state: CallsState): Promise<number> {
  const { sf, deps } = state;
  for (let n = 0; n < MOVES; n++) sf.store.update('Account', accountIdOf(n), { OwnerId: ownerOf(n) });
  const moves = Array.from({ length: MOVES }, (_, n) => ({
    recordId: accountIdOf(n),
    objectType: 'Account',
    toOwnerId: targetOf(n),
  }));
  const request = await submitReassignment({ requestedBy: 'bench', moves }, { submittedBy: 'bench' }, deps);
  sf.resetCalls();
  await validateReassignment(request.id, deps);
  state.validateCalls.push(apiCalls(sf.calls()));

  sf.resetCalls();
  const plan = await prepareApply(request.id, deps);
  for (const batchId of plan.batchIds) await applyBatch(request.id, batchId, deps);
  const calls = apiCalls(sf.calls());
  const moved = sf.query(`SELECT COUNT() FROM Account WHERE OwnerId = '${targetOf(0)}'`).totalSize;
  if (moved !== MOVES / REPS)
    throw new Error(`expected ${MOVES / REPS} accounts moved to one rep, found ${moved}`);
  return calls;
}

async function callsTeardown(state: CallsState): Promise<void> {
  await state.sf.close();
  await state.db.stop();
}

/** A snapshot of a large org: 20,000 accounts over 500 reps, 4,000 open deals, a year of history. */
function guardrailInput(moves: number): { rows: MoveRow[]; snapshot: ReassignmentSnapshot } {
  const reps = 500;
  const rep = (r: number) => `005G${r}`;
  const accounts: RecordSnapshot[] = Array.from({ length: 20_000 }, (_, n) => ({
    id: `001G${n}`,
    objectType: 'Account',
    ownerId: rep(n % reps),
    named: n % 97 === 0,
    parentId: n % 5 === 0 ? `001G${n - (n % 10)}` : null,
    arr: 1000 * (n % 50),
  }));
  const rows: MoveRow[] = Array.from({ length: moves }, (_, i) => ({
    row: i + 1,
    recordId: `001G${i * 2}`,
    objectType: 'Account',
    toOwnerId: rep((i * 7 + 3) % reps),
  }));
  return {
    rows,
    snapshot: {
      records: new Map(accounts.map((a) => [a.id, a])),
      openOpportunities: Array.from({ length: 4000 }, (_, i) => ({
        id: `006G${i}`,
        accountId: `001G${i * 5}`,
        ownerId: rep(i % reps),
        amount: 20_000 + (i % 13) * 15_000,
      })),
      bookSizes: Object.fromEntries(Array.from({ length: reps }, (_, r) => [rep(r), 40])),
      users: new Map(
        Array.from({ length: reps }, (_, r) => [rep(r), { id: rep(r), name: `Rep ${r}`, active: true }]),
      ),
      history: Array.from({ length: 5000 }, (_, i) => ({
        recordId: `001G${i * 3 + 1}`,
        objectType: 'Account' as const,
        fromOwnerId: rep(i % reps),
        toOwnerId: rep((i + 1) % reps),
        effectiveDate: '2026-06-01',
      })),
    },
  };
}

function guardrailBench(moves: number) {
  const input = guardrailInput(moves);
  let ids = 0;
  return () =>
    timeMs(() =>
      evaluateReassignment({ moves: input.rows }, input.snapshot, {
        config: DEFAULT_GUARDRAIL_CONFIG,
        approvers: DEFAULT_APPROVERS,
        now: new Date('2026-11-20T12:00:00Z'),
        newId: () => `a${++ids}`,
      }),
    );
}

export const benches = [
  bench<CallsState>({
    name: 'reassign/sf-calls/10000-moves',
    unit: 'calls',
    runs: 1,
    warmup: 0,
    notes:
      'apply phase, sObject Collections: owner re-read (retrieve, 2,000 a call) + 200 records a write; goal <= 55',
    setup: () => callsSetup(Number.MAX_SAFE_INTEGER),
    run: applyCalls,
    teardown: callsTeardown,
  }),
  bench<CallsState>({
    name: 'reassign/sf-calls/10000-moves-bulk',
    unit: 'calls',
    runs: 1,
    warmup: 0,
    notes: 'apply phase, Bulk API 2.0 (threshold 2,000): owner re-read (5) + one ingest job; goal <= 10',
    setup: () => callsSetup(2000),
    run: applyCalls,
    teardown: callsTeardown,
  }),
  bench<CallsState>({
    name: 'reassign/sf-calls/10000-moves-validate',
    unit: 'calls',
    runs: 1,
    warmup: 0,
    notes: 'validation snapshot: records (retrieve), open deals (SOQL, 500 ids a query), users, book sizes',
    setup: () => callsSetup(Number.MAX_SAFE_INTEGER),
    run: async (state) => {
      await applyCalls(state);
      return state.validateCalls.at(-1) ?? Number.NaN;
    },
    teardown: callsTeardown,
  }),
  bench({ name: 'reassign/guardrails/1000-moves', unit: 'ms', runs: 7, run: guardrailBench(1000) }),
  bench({
    name: 'reassign/guardrails/10000-moves',
    unit: 'ms',
    runs: 7,
    baseline: 'reassign/guardrails/1000-moves',
    notes:
      'evaluateReassignment (shared guardrail engine) over 20k accounts, 500 reps, 4k open deals, 5k past moves',
    run: guardrailBench(10_000),
  }),
];
