import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { DynamoApprovalStore } from '../shared/adapters/dynamodb/approval-store.js';
import { DynamoReassignmentStore } from '../shared/adapters/dynamodb/reassignment-store.js';
import { approvalDecisionEndpoint, approvalPageEndpoint } from '../shared/adapters/http/approval-endpoint.js';
import { slackInteractionsEndpoint } from '../shared/adapters/http/slack-interactions-endpoint.js';
import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { workflowAdapters } from '../shared/runtime/reassign.js';
import { secretsToContext } from '../shared/runtime/secrets.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
const doc = tracer.captureAWSv3Client(documentClient(cfg));
const deps = {
  approvals: new DynamoApprovalStore(doc, cfg.TABLE_NAME),
  store: new DynamoReassignmentStore(doc, cfg.TABLE_NAME),
  tokens: workflowAdapters(cfg).tokens,
  now: () => new Date(),
};
const page = approvalPageEndpoint(deps);
const decide = approvalDecisionEndpoint(deps);
const slack = slackInteractionsEndpoint(deps);

type ApprovalContext = Context & { approvalSigningSecret: string; slackSigningSecret: string };

/**
 * Approval links and Slack buttons: `GET /approvals/{id}` shows the page (changes nothing),
 * `POST /approvals/{id}` decides with the signed single-use token, `POST /slack/interactions`
 * decides from a verified Slack button. Only a decision reaches the waiting workflow task.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, ApprovalContext>()
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(
    secretsToContext({
      approvalSigningSecret: 'APPROVAL_SIGNING_SECRET',
      slackSigningSecret: 'SLACK_SIGNING_SECRET',
    }),
  )
  .handler((event, context) => {
    if (event.rawPath === '/slack/interactions') return slack(event, context.slackSigningSecret);
    return event.requestContext.http.method === 'POST'
      ? decide(event, context.approvalSigningSecret)
      : page(event, context.approvalSigningSecret);
  });
