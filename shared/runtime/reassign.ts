import { randomUUID } from 'node:crypto';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Connection } from '@jsforce/jsforce-node';
import { DynamoApprovalStore } from '../adapters/dynamodb/approval-store.js';
import { DynamoOwnerChangeAudit } from '../adapters/dynamodb/owner-change-audit.js';
import { DynamoReassignmentStore } from '../adapters/dynamodb/reassignment-store.js';
import { approvalLink } from '../adapters/http/approval-link-token.js';
import { SalesforceBulkOwnerWriter } from '../adapters/salesforce/bulk-owner-writer.js';
import { SalesforceOwnerGateway } from '../adapters/salesforce/owner-gateway.js';
import { SalesforceReassignmentReader } from '../adapters/salesforce/reassignment-reader.js';
import { SlackChatNotifier } from '../adapters/slack/chat-notifier.js';
import { notifierFor } from '../adapters/slack/notifier.js';
import { SlackReassignmentNotifier } from '../adapters/slack/reassign-notifier.js';
import { SfnReassignmentWorkflow, SfnTaskTokens } from '../adapters/stepfunctions/reassign-workflow.js';
import type { ReassignDeps } from '../application/reassign/deps.js';
import type { Notifier } from '../ports/notifier.js';
import type { ReassignmentWorkflow, TaskTokens } from '../ports/reassignment.js';
import type { Config } from './config.js';

export interface ReassignIo {
  doc: DynamoDBDocumentClient;
  connection: () => Promise<Connection>;
  notifier: Notifier;
  workflow: ReassignmentWorkflow;
  tokens: TaskTokens;
  /** The HMAC key of approval links (Secrets Manager in AWS, env locally); read when a link is made. */
  approvalSigningSecret: () => string;
  now?: () => Date;
  newId?: () => string;
  /** Bulk API 2.0 job polling (defaults suit real jobs; tests and the local emulator poll faster). */
  bulkPollIntervalMs?: number;
}

/**
 * The bulk-reassign wiring from configuration, shared by the Lambdas, the local stack and the
 * tests, so all three run the same adapters.
 */
export function reassignDeps(cfg: Config, io: ReassignIo): ReassignDeps {
  const table = cfg.TABLE_NAME;
  const now = io.now ?? (() => new Date());
  const baseUrl = () => {
    if (!cfg.APPROVAL_BASE_URL)
      throw new Error('APPROVAL_BASE_URL is not set: approval links need the API URL');
    return cfg.APPROVAL_BASE_URL.replace(/\/+$/, '');
  };
  return {
    store: new DynamoReassignmentStore(io.doc, table),
    approvals: new DynamoApprovalStore(io.doc, table),
    audit: new DynamoOwnerChangeAudit(io.doc, table),
    crm: new SalesforceReassignmentReader(io.connection, {
      namedField: cfg.ACCOUNT_NAMED_FIELD,
      arrField: cfg.ACCOUNT_ARR_FIELD,
    }),
    collections: new SalesforceOwnerGateway(io.connection, { reasonField: cfg.ROUTING_REASON_FIELD }),
    bulk: new SalesforceBulkOwnerWriter(io.connection, {
      reasonField: cfg.ROUTING_REASON_FIELD,
      ...(io.bulkPollIntervalMs ? { pollIntervalMs: io.bulkPollIntervalMs } : {}),
    }),
    workflow: io.workflow,
    tokens: io.tokens,
    notifier: new SlackReassignmentNotifier(io.notifier, (id) => `${baseUrl()}/reassignments/${id}`),
    approvalLinks: (approvalId, approver) =>
      approvalLink(baseUrl(), approvalId, approver.id, {
        secret: io.approvalSigningSecret(),
        ttlMs: cfg.APPROVAL_LINK_TTL_HOURS * 3_600_000,
        now: now(),
      }),
    guardrails: cfg.GUARDRAILS,
    approvers: cfg.REASSIGN_APPROVERS,
    bulkThreshold: cfg.REASSIGN_BULK_THRESHOLD,
    reasonMaxLength: cfg.ROUTING_REASON_MAX_LENGTH,
    now,
    newId: io.newId ?? randomUUID,
  };
}

/** chat.postMessage when a bot token and channel are configured (needed for buttons), else webhook or console. */
export function reassignNotifier(
  cfg: Config,
  slackBotToken: (() => string) | undefined,
  write?: (line: string) => void,
): Notifier {
  if (slackBotToken && cfg.SLACK_CHANNEL) return new SlackChatNotifier(slackBotToken, cfg.SLACK_CHANNEL);
  return notifierFor(cfg.SLACK_WEBHOOK_URL, write);
}

/**
 * Step Functions in AWS (locally the stack passes its in-process runner instead). Task tokens
 * need no state machine ARN; starting an execution does, and says so when it is unset.
 */
export function workflowAdapters(cfg: Pick<Config, 'REASSIGN_STATE_MACHINE_ARN' | 'AWS_REGION'>): {
  workflow: ReassignmentWorkflow;
  tokens: TaskTokens;
} {
  const client = new SFNClient({ region: cfg.AWS_REGION });
  const arn = cfg.REASSIGN_STATE_MACHINE_ARN;
  return {
    workflow: arn
      ? new SfnReassignmentWorkflow(arn, client)
      : {
          start: () =>
            Promise.reject(new Error('REASSIGN_STATE_MACHINE_ARN is not set: cannot start a workflow')),
        },
    tokens: new SfnTaskTokens(client),
  };
}
