import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { notifierFor } from '../shared/adapters/slack/notifier.js';
import { runTopUp } from '../shared/application/topup/run-top-up.js';
import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { logger } from '../shared/runtime/logger.js';
import { connectionProvider, parseSalesforceCredentials } from '../shared/runtime/salesforce.js';
import { secretsToContext } from '../shared/runtime/secrets.js';
import { topUpDeps } from '../shared/runtime/top-up.js';
import { tracer } from '../shared/runtime/tracer.js';

// Wiring at module scope: one client and one compiled-model cache per container.
const cfg = config();
let credentialsJson = '';
let slackWebhookUrl: string | undefined;
const deps = topUpDeps(cfg, {
  doc: tracer.captureAWSv3Client(documentClient(cfg)),
  connection: connectionProvider(() => parseSalesforceCredentials(credentialsJson), cfg.SF_API_VERSION),
  notifier: { notify: (message) => notifierFor(slackWebhookUrl).notify(message) },
});

/** The schedule sends `{}`; an operator may invoke with `{"dryRun": true}`. */
const eventSchema = z.looseObject({ dryRun: z.boolean().optional() });

const slackConfigured = Boolean(process.env.SLACK_WEBHOOK_URL_ARN || process.env.SLACK_WEBHOOK_URL);
type TopUpContext = Context & { salesforce: string; slackWebhookUrl?: string };

/** EventBridge Scheduler → one top-up run; an overlapping run exits cleanly with `already-running`. */
export const handler = middy<unknown, unknown, Error, TopUpContext>()
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(
    secretsToContext({
      salesforce: 'SALESFORCE_CREDENTIALS',
      ...(slackConfigured ? { slackWebhookUrl: 'SLACK_WEBHOOK_URL' } : {}),
    }),
  )
  .handler(async (event, context) => {
    credentialsJson = context.salesforce;
    slackWebhookUrl = context.slackWebhookUrl;
    const input = eventSchema.parse(event ?? {});
    const outcome = await runTopUp({ dryRun: input.dryRun === true }, deps);
    if (outcome.status === 'completed') {
      const { plan: _plan, ...rest } = outcome;
      const s = outcome.summary;
      logger.info('top-up finished', {
        runId: s.runId,
        dryRun: s.dryRun,
        pool: s.pool.read,
        allocated: s.allocated,
        leftInPool: s.leftInPool.byReason,
        writeBack: s.writeBack,
        durationMs: s.durationMs,
        warnings: outcome.warnings,
      });
      return { ...rest, summary: { ...s, reps: s.reps.filter((r) => r.given > 0) } };
    }
    logger.info(`top-up ${outcome.status}`, { ...outcome });
    return outcome;
  });
