import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { runWorkflowStep } from '../shared/application/reassign/workflow-steps.js';
import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { reassignDeps, reassignNotifier, workflowAdapters } from '../shared/runtime/reassign.js';
import { connectionProvider, parseSalesforceCredentials } from '../shared/runtime/salesforce.js';
import { secretsToContext } from '../shared/runtime/secrets.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
// Secrets arrive per invocation through middy (cached); the adapters read them when they need them.
const secrets = { salesforce: '', approvalSigningSecret: '', slackBotToken: '' };
const hasBotToken = Boolean(process.env.SLACK_BOT_TOKEN_ARN || process.env.SLACK_BOT_TOKEN);
const deps = reassignDeps(cfg, {
  doc: tracer.captureAWSv3Client(documentClient(cfg)),
  connection: connectionProvider(() => parseSalesforceCredentials(secrets.salesforce), cfg.SF_API_VERSION),
  notifier: reassignNotifier(cfg, hasBotToken ? () => secrets.slackBotToken : undefined),
  ...workflowAdapters(cfg),
  approvalSigningSecret: () => secrets.approvalSigningSecret,
});

type WorkflowContext = Context & Partial<typeof secrets>;

/** The bulk-reassign state machine's tasks: `{step, ...ids}` in, the step's small result out. */
export const handler = middy<unknown, unknown, Error, WorkflowContext>()
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(
    secretsToContext({
      salesforce: 'SALESFORCE_CREDENTIALS',
      approvalSigningSecret: 'APPROVAL_SIGNING_SECRET',
      ...(hasBotToken ? { slackBotToken: 'SLACK_BOT_TOKEN' } : {}),
    }),
  )
  .handler(async (event, context) => {
    secrets.salesforce = context.salesforce ?? '';
    secrets.approvalSigningSecret = context.approvalSigningSecret ?? '';
    secrets.slackBotToken = context.slackBotToken ?? '';
    return runWorkflowStep(event, deps);
  });
