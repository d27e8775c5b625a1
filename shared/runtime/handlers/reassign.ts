import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { DynamoApprovalStore } from '../../adapters/dynamodb/approval-store.js';
import { DynamoReassignmentStore } from '../../adapters/dynamodb/reassignment-store.js';
import { approvalDecisionEndpoint, approvalPageEndpoint } from '../../adapters/http/approval-endpoint.js';
import { statusEndpoint, submitEndpoint } from '../../adapters/http/reassignments-endpoint.js';
import { slackInteractionsEndpoint } from '../../adapters/http/slack-interactions-endpoint.js';
import { heartbeatApprovals } from '../../application/reassign/approvals.js';
import { runWorkflowStep } from '../../application/reassign/workflow-steps.js';
import type { ReassignmentWorkflow, TaskTokens } from '../../ports/reassignment.js';
import type { Config } from '../config.js';
import { lambdaHandler, type Observability, observability } from '../lambda.js';
import { reassignDeps, reassignNotifier } from '../reassign.js';
import { connectionFromSecret } from '../salesforce.js';

/** What the bulk-reassign handlers share: Step Functions in AWS, the in-process runner locally. */
export interface ReassignHandlerIo {
  doc: DynamoDBDocumentClient;
  workflow: ReassignmentWorkflow;
  tokens: TaskTokens;
  observability?: Observability;
  /** Bulk API 2.0 job polling (the local emulator answers faster than a real org). */
  bulkPollIntervalMs?: number;
}

type WorkflowSecrets = {
  SALESFORCE_CREDENTIALS: 'required';
  APPROVAL_SIGNING_SECRET: 'required';
  SLACK_BOT_TOKEN: 'optional';
};

/** The bulk-reassign state machine's tasks: `{step, ...ids}` in, the step's small result out. */
export function createReassignWorkflowHandler(cfg: Config, io: ReassignHandlerIo) {
  return lambdaHandler<unknown, unknown, WorkflowSecrets>(
    {
      cfg,
      secrets: {
        SALESFORCE_CREDENTIALS: 'required',
        APPROVAL_SIGNING_SECRET: 'required',
        SLACK_BOT_TOKEN: 'optional',
      },
      observability: io.observability,
    },
    (event, { secrets }) => {
      const botToken = secrets.SLACK_BOT_TOKEN;
      const deps = reassignDeps(cfg, {
        doc: io.doc,
        connection: connectionFromSecret(secrets.SALESFORCE_CREDENTIALS, cfg.SF_API_VERSION),
        notifier: reassignNotifier(cfg, botToken ? () => botToken : undefined),
        workflow: io.workflow,
        tokens: io.tokens,
        approvalSigningSecret: () => secrets.APPROVAL_SIGNING_SECRET,
        ...(io.bulkPollIntervalMs ? { bulkPollIntervalMs: io.bulkPollIntervalMs } : {}),
      });
      return runWorkflowStep(event, deps);
    },
  );
}

/**
 * `POST /reassignments` and `GET /reassignments/{id}`. IAM-authorized in AWS; locally the key in
 * `x-api-key` (REASSIGN_API_KEY).
 */
export function createReassignRequestsHandler(cfg: Config, io: Omit<ReassignHandlerIo, 'tokens'>) {
  const store = new DynamoReassignmentStore(io.doc, cfg.TABLE_NAME);
  const statusUrl = (id: string) =>
    `${(cfg.APPROVAL_BASE_URL ?? '').replace(/\/+$/, '')}/reassignments/${id}`;
  const submit = submitEndpoint(
    { store, workflow: io.workflow, now: () => new Date(), newId: randomUUID },
    statusUrl,
  );
  const status = statusEndpoint({ store, approvals: new DynamoApprovalStore(io.doc, cfg.TABLE_NAME) });
  return lambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(
    { cfg, http: true, observability: io.observability },
    (event) =>
      event.requestContext.http.method === 'GET'
        ? status(event, cfg.REASSIGN_API_KEY)
        : submit(event, cfg.REASSIGN_API_KEY),
  );
}

type ApprovalSecrets = { APPROVAL_SIGNING_SECRET: 'required'; SLACK_SIGNING_SECRET: 'required' };

/**
 * Approval links and Slack buttons: `GET /approvals/{id}` shows the page (changes nothing),
 * `POST /approvals/{id}` decides with the signed single-use token, `POST /slack/interactions`
 * decides from a verified Slack button. Only a decision reaches the waiting workflow task.
 */
export function createApprovalsHandler(cfg: Config, io: Omit<ReassignHandlerIo, 'workflow'>) {
  const deps = {
    approvals: new DynamoApprovalStore(io.doc, cfg.TABLE_NAME),
    store: new DynamoReassignmentStore(io.doc, cfg.TABLE_NAME),
    tokens: io.tokens,
    now: () => new Date(),
  };
  const page = approvalPageEndpoint(deps);
  const decide = approvalDecisionEndpoint(deps);
  const slack = slackInteractionsEndpoint(deps);
  return lambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2, ApprovalSecrets>(
    {
      cfg,
      http: true,
      secrets: { APPROVAL_SIGNING_SECRET: 'required', SLACK_SIGNING_SECRET: 'required' },
      observability: io.observability,
    },
    (event, { secrets }) => {
      if (event.rawPath === '/slack/interactions') return slack(event, secrets.SLACK_SIGNING_SECRET);
      return event.requestContext.http.method === 'POST'
        ? decide(event, secrets.APPROVAL_SIGNING_SECRET)
        : page(event, secrets.APPROVAL_SIGNING_SECRET);
    },
  );
}

/**
 * Scheduled: a heartbeat for every approval task still waiting. The approval tasks have a
 * heartbeat timeout, so a token this table lost fails its task within hours, not after 72 h.
 */
export function createApprovalHeartbeatHandler(cfg: Config, io: Omit<ReassignHandlerIo, 'workflow'>) {
  const { logger } = io.observability ?? observability;
  const deps = { approvals: new DynamoApprovalStore(io.doc, cfg.TABLE_NAME), tokens: io.tokens };
  return lambdaHandler<unknown, { sent: number; gone: number }>(
    { cfg, observability: io.observability },
    async () => {
      const result = await heartbeatApprovals(deps);
      if (result.sent + result.gone > 0) logger.info('approval heartbeats', result);
      return result;
    },
  );
}
