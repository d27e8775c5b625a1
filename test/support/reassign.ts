import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { salesforceConnection } from '../../shared/adapters/salesforce/connection.js';
import type { ReassignDeps } from '../../shared/application/reassign/deps.js';
import { runWorkflowStep } from '../../shared/application/reassign/workflow-steps.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { DEMO_ORG_ENV } from '../../shared/local-stack/demo-org-ids.js';
import {
  LocalReassignWorkflow,
  synthesizedReassignDefinition,
} from '../../shared/local-stack/reassign-workflow.js';
import type { SalesforceEmulator, SeedData } from '../../shared/local-stack/salesforce-emulator/index.js';
import type { Notification, Notifier } from '../../shared/ports/notifier.js';
import type { TaskTokens } from '../../shared/ports/reassignment.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { reassignDeps } from '../../shared/runtime/reassign.js';

/** A small org whose numbers make each guardrail fire on purpose. */
export const ORG = {
  rep1: toId18('005RA0000000001'),
  rep2: toId18('005RA0000000002'),
  rep3: toId18('005RA0000000003'),
  inactiveRep: toId18('005RA0000000004'),
  /** 40 accounts each for reps 1 and 2, 10 for rep 3. */
  account: (n: number) => toId18(`001RA${String(n).padStart(10, '0')}`),
  /** Rep 1's account 1 carries a $150,000 open deal owned by rep 1. */
  bigDealAccount: toId18('001RA0000000001'),
  /** Rep 1's account 2 is a named account. */
  namedAccount: toId18('001RA0000000002'),
  lead: (n: number) => toId18(`00QRA${String(n).padStart(10, '0')}`),
} as const;

export function reassignSeed(): SeedData {
  const users = [
    { Id: ORG.rep1, FirstName: 'Joe', LastName: 'Tremblay', Name: 'Joe Tremblay', IsActive: true },
    { Id: ORG.rep2, FirstName: 'Priya', LastName: 'Sharma', Name: 'Priya Sharma', IsActive: true },
    { Id: ORG.rep3, FirstName: 'Mei', LastName: 'Chen', Name: 'Mei Chen', IsActive: true },
    {
      Id: ORG.inactiveRep,
      FirstName: 'Ryan',
      LastName: 'MacDonald',
      Name: 'Ryan MacDonald',
      IsActive: false,
    },
  ];
  const accounts = Array.from({ length: 90 }, (_, i) => {
    const n = i + 1;
    const owner = n <= 40 ? ORG.rep1 : n <= 80 ? ORG.rep2 : ORG.rep3;
    return {
      Id: ORG.account(n),
      Name: `Account ${n}`,
      OwnerId: owner,
      ARR__c: 10_000 * n,
      Named_Account__c: ORG.account(n) === ORG.namedAccount,
      // Accounts 3-4 share a parent (account 3), so they are written in one batch.
      ParentId: n === 4 ? ORG.account(3) : null,
    };
  });
  const opportunities = [
    {
      Id: toId18('006RA0000000001'),
      Name: 'Big deal',
      AccountId: ORG.bigDealAccount,
      OwnerId: ORG.rep1,
      StageName: 'Negotiation/Review',
      Amount: 150_000,
      CloseDate: '2027-03-01',
    },
    {
      Id: toId18('006RA0000000002'),
      Name: 'Small deal',
      AccountId: ORG.account(5),
      OwnerId: ORG.rep1,
      StageName: 'Prospecting',
      Amount: 20_000,
      CloseDate: '2027-03-01',
    },
  ];
  const leads = Array.from({ length: 10 }, (_, i) => ({
    Id: ORG.lead(i + 1),
    LastName: `Lead ${i + 1}`,
    Company: `Co ${i + 1}`,
    Status: 'Open - Not Contacted',
    OwnerId: ORG.rep1,
  }));
  return { users, accounts, opportunities, leads };
}

/** 22 accounts to rep 3 (11 from each of reps 1 and 2): VP approval, plus rep 1's approval for the big deal. */
export function movesNeedingTwoApprovals() {
  const fromRep1 = [1, ...Array.from({ length: 10 }, (_, i) => i + 10)];
  const fromRep2 = Array.from({ length: 11 }, (_, i) => i + 41);
  return [...fromRep1, ...fromRep2].map((n) => ({
    recordId: ORG.account(n),
    objectType: 'Account',
    toOwnerId: ORG.rep3,
  }));
}

export const APPROVERS = {
  vp: [{ id: 'vp-sales', name: 'VP Sales', slackUserId: 'U0VPSALES' }],
  manager: [{ id: 'sales-manager', name: 'Sales Manager', slackUserId: 'U0MANAGER' }],
};

export const SIGNING_SECRET = 'approval-signing-secret-for-tests-0123456789';

export class CapturingNotifier implements Notifier {
  readonly messages: Notification[] = [];
  async notify(message: Notification): Promise<void> {
    this.messages.push(message);
  }
  text(): string {
    return this.messages.map((m) => m.text).join('\n---\n');
  }
}

/** Task tokens go to whichever local runner is current, so a test can re-run a request on a new one. */
class SwitchableTokens implements TaskTokens {
  current?: TaskTokens;
  succeed: TaskTokens['succeed'] = (t, o) => this.current!.succeed(t, o);
  fail: TaskTokens['fail'] = (t, e, c) => this.current!.fail(t, e, c);
  heartbeat: TaskTokens['heartbeat'] = (t) => this.current!.heartbeat(t);
}

export interface ReassignHarness {
  deps: ReassignDeps;
  notifier: CapturingNotifier;
  runner: LocalReassignWorkflow;
  /** A fresh runner over the same definition and deps (a re-run of a request). */
  newRunner(): LocalReassignWorkflow;
}

export function reassignHarness(input: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  sf: SalesforceEmulator;
  definition?: ReturnType<typeof synthesizedReassignDefinition>;
  env?: Record<string, string>;
  now?: () => Date;
}): ReassignHarness {
  const cfg = parseConfig({
    ...DEMO_ORG_ENV,
    TABLE_NAME: input.tableName,
    APPROVAL_BASE_URL: 'http://127.0.0.1:3999',
    REASSIGN_APPROVERS: JSON.stringify(APPROVERS),
    ...input.env,
  });
  const notifier = new CapturingNotifier();
  const tokens = new SwitchableTokens();
  const harness = {} as ReassignHarness;
  const deps = reassignDeps(cfg, {
    doc: input.doc,
    connection: () =>
      salesforceConnection({
        loginUrl: input.sf.loginUrl,
        clientId: input.sf.credentials.clientId,
        clientSecret: input.sf.credentials.clientSecret,
        apiVersion: '62.0',
      }),
    notifier,
    workflow: { start: (requestId) => harness.runner.start(requestId) },
    tokens,
    approvalSigningSecret: () => SIGNING_SECRET,
    bulkPollIntervalMs: 50,
    ...(input.now ? { now: input.now } : {}),
  });
  const definition = input.definition ?? synthesizedReassignDefinition();
  const newRunner = () => {
    const runner = new LocalReassignWorkflow(definition, {
      invoke: (payload) => runWorkflowStep(payload, deps),
      retryIntervalMs: 0,
    });
    tokens.current = runner;
    harness.runner = runner;
    return runner;
  };
  Object.assign(harness, { deps, notifier, newRunner });
  newRunner();
  return harness;
}

/** Poll until `check` holds (the workflow runs in the background). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function auditItemsOf(doc: DynamoDBDocumentClient, tableName: string, recordId: string) {
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.audit(recordId, '', '').PK },
    }),
  );
  return out.Items ?? [];
}
