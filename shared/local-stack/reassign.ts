import { join } from 'node:path';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../adapters/dynamodb/keys.js';
import type { Config } from '../runtime/config.js';
import {
  createApprovalsHandler,
  createReassignRequestsHandler,
  createReassignWorkflowHandler,
} from '../runtime/handlers/reassign.js';
import type { Observability } from '../runtime/lambda.js';
import { writePrivateFile } from './data-dir.js';
import { type LocalRoute, localContext } from './http-gateway.js';
import { LocalReassignWorkflow, synthesizedReassignDefinition } from './reassign-workflow.js';
import type { SalesforceEmulator } from './salesforce-emulator/index.js';

/**
 * Environment the bulk-reassign handlers need locally: the API key for `POST /reassignments`
 * (IAM in AWS), the approval-link and Slack signing secrets (kept in DATA_DIR so links survive a
 * restart), and the gateway URL the links point at.
 */
export function localReassignEnv(input: {
  env: Record<string, string | undefined>;
  port: number;
  secret: (name: string) => string;
}): Record<string, string> {
  const { env } = input;
  return {
    APPROVAL_BASE_URL: env.APPROVAL_BASE_URL ?? `http://127.0.0.1:${input.port}`,
    REASSIGN_API_KEY: env.REASSIGN_API_KEY ?? input.secret('reassign-api-key'),
    APPROVAL_SIGNING_SECRET: env.APPROVAL_SIGNING_SECRET ?? input.secret('approval-signing-secret'),
    SLACK_SIGNING_SECRET: env.SLACK_SIGNING_SECRET ?? input.secret('slack-signing-secret'),
  };
}

export interface LocalReassign {
  routes: LocalRoute[];
  workflow: LocalReassignWorkflow;
  /** What to print at start: how to submit the sample request. */
  banner(gatewayUrl: string): string;
  /** Start the workflow again for every request a previous run left in flight; returns their ids. */
  resumeInFlight(): Promise<string[]>;
}

/** Statuses a request can be stopped in by a restart: the local workflow ran in the old process. */
const IN_FLIGHT = ['submitted', 'awaiting-approval', 'scheduled', 'applying'] as const;

/**
 * The bulk-reassign routes behind the local gateway and the synthesized state machine run
 * in-process, calling the same Lambda handlers as in AWS, built with the in-process runner as
 * their workflow and task tokens.
 */
export function startLocalReassign(input: {
  cfg: Config;
  io: { doc: DynamoDBDocumentClient; observability?: Observability };
  dataDir: string;
  emulator: SalesforceEmulator | undefined;
  /** `honor` waits for the effective date (60 days by default); locally the default applies right after approval. */
  effectiveDateWait: 'skip' | 'honor';
  log: (line: string) => void;
}): LocalReassign {
  const workflow: LocalReassignWorkflow = new LocalReassignWorkflow(synthesizedReassignDefinition(), {
    invoke: (payload) => workflowTasks(payload, localContext()),
    effectiveDateWait: input.effectiveDateWait,
    log: input.log,
  });
  const io = { ...input.io, workflow, tokens: workflow };
  const workflowTasks = createReassignWorkflowHandler(input.cfg, io);
  const requests = createReassignRequestsHandler(input.cfg, io);
  const approvals = createApprovalsHandler(input.cfg, io);
  const routes: LocalRoute[] = [
    { method: 'POST', path: '/reassignments', handler: requests },
    { method: 'GET', path: '/reassignments/{id}', handler: requests },
    { method: 'GET', path: '/approvals/{id}', handler: approvals },
    { method: 'POST', path: '/approvals/{id}', handler: approvals },
    { method: 'POST', path: '/slack/interactions', handler: approvals },
  ];
  const sample = input.emulator ? writeSampleReassignment(input.emulator, input.dataDir) : undefined;
  return {
    routes,
    workflow,
    // Every step is idempotent (stored evaluation, approvals keep their decisions, batches their
    // results), so running the state machine again continues where the old process stopped; the
    // approval links are posted again. A scan is fine here: a local table of one developer's requests.
    resumeInFlight: async () => {
      const ids: string[] = [];
      const { PK: prefix, SK: requestSk } = keys.reassignment('');
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await input.io.doc.send(
          new ScanCommand({
            TableName: input.cfg.TABLE_NAME,
            FilterExpression: `begins_with(PK, :pk) AND SK = :sk AND #status IN (${IN_FLIGHT.map((_, i) => `:s${i}`).join(', ')})`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':pk': prefix,
              ':sk': requestSk,
              ...Object.fromEntries(IN_FLIGHT.map((status, i) => [`:s${i}`, status])),
            },
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of page.Items ?? []) {
          const requestId = String(item.PK).slice(prefix.length);
          ids.push(requestId);
          input.log(
            `resuming reassignment ${requestId} (${String(item.status)}) left in flight by the last run`,
          );
          await workflow.start(requestId);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return ids;
    },
    banner: (gatewayUrl) =>
      sample
        ? `

Bulk reassignment (${sample.moves} demo accounts to one rep: VP approval; the approval links print below as [slack]):
  curl -s -X POST -H 'content-type: application/json' -H "x-api-key: $(cat ${join(input.dataDir, 'reassign-api-key')})" \\
    --data-binary @${sample.path} ${gatewayUrl}/reassignments
  or: npx territory-router reassign ${sample.path}
Open the link, approve, and the accounts move in the emulator (effective-date wait ${input.effectiveDateWait === 'honor' ? 'honored' : 'skipped locally'}).`
        : '',
  };
}

/**
 * 22 non-named accounts (11 from each of the demo's first two reps) to the third: the VP
 * threshold (20) trips, each rep stays under the 30% rolling-year cap.
 */
function writeSampleReassignment(sf: SalesforceEmulator, dataDir: string) {
  const accounts = sf.store.records('Account');
  const users = sf.store.records('User').filter((u) => u.IsActive === true && String(u.Id).startsWith('005'));
  const owners = [...new Set(accounts.map((a) => String(a.OwnerId)))].filter((id) =>
    users.some((u) => u.Id === id),
  );
  const [from1, from2, to] = owners;
  if (!from1 || !from2 || !to) return undefined;
  const pick = (owner: string) =>
    accounts.filter((a) => a.OwnerId === owner && a.Named_Account__c !== true).slice(0, 11);
  const moves = [...pick(from1), ...pick(from2)].map((a) => ({
    recordId: String(a.Id),
    objectType: 'Account',
    toOwnerId: to,
  }));
  const path = join(dataDir, 'sample-reassignment.json');
  writePrivateFile(
    path,
    `${JSON.stringify({ requestedBy: 'RevOps (local demo)', label: 'FY2027 Territory Planning', moves }, null, 2)}\n`,
  );
  return { path, moves: moves.length };
}
