import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { notifierFor } from '../../adapters/slack/notifier.js';
import { runTopUp } from '../../application/topup/run-top-up.js';
import type { Config } from '../config.js';
import { lambdaHandler, type Observability, observability } from '../lambda.js';
import { connectionFromSecret } from '../salesforce.js';
import { topUpDeps, topUpModel } from '../top-up.js';

/** The schedule sends `{}`; an operator may invoke with `{"dryRun": true}`. */
const eventSchema = z.looseObject({ dryRun: z.boolean().optional() });

export interface TopUpHandlerIo {
  doc: DynamoDBDocumentClient;
  observability?: Observability;
}

type TopUpSecrets = { SALESFORCE_CREDENTIALS: 'required'; SLACK_WEBHOOK_URL: 'optional' };

/** EventBridge Scheduler → one top-up run; an overlapping run exits cleanly with `already-running`. */
export function createTopUpHandler(cfg: Config, io: TopUpHandlerIo) {
  const { logger } = io.observability ?? observability;
  // Once per container: the compiled model is cached until a new version is promoted.
  const model = topUpModel(cfg, io.doc);
  return lambdaHandler<unknown, unknown, TopUpSecrets>(
    {
      cfg,
      secrets: { SALESFORCE_CREDENTIALS: 'required', SLACK_WEBHOOK_URL: 'optional' },
      observability: io.observability,
    },
    async (event, context) => {
      const input = eventSchema.parse(event ?? {});
      const deps = topUpDeps(cfg, {
        doc: io.doc,
        model,
        connection: connectionFromSecret(context.secrets.SALESFORCE_CREDENTIALS, cfg.SF_API_VERSION),
        notifier: notifierFor(context.secrets.SLACK_WEBHOOK_URL),
      });
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
    },
  );
}
