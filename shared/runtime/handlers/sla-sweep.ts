import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { notifierFor } from '../../adapters/slack/notifier.js';
import { runSlaSweep, type SlaSweepSummary } from '../../application/sla/sweep.js';
import type { Config } from '../config.js';
import { lambdaHandler, type Observability, observability } from '../lambda.js';
import { connectionFromSecret } from '../salesforce.js';
import { slaSweepDeps } from '../sla.js';
import { topUpModel } from '../top-up.js';

export interface SlaSweepHandlerIo {
  doc: DynamoDBDocumentClient;
  observability?: Observability;
}

type SlaSweepSecrets = { SALESFORCE_CREDENTIALS: 'required'; SLACK_WEBHOOK_URL: 'optional' };

/** CloudWatch keeps at most 100 values of one metric per embedded-metrics document. */
const VALUES_PER_DOCUMENT = 100;

/**
 * Speed-to-lead (each touched lead's working minutes, so CloudWatch can give p50/p90) and the
 * sweep's counts; breach rate = SlaBreaches / (SlaTouched + SlaReroutes + SlaEscalations).
 */
export function recordSlaMetrics(target: Metrics, summary: SlaSweepSummary): void {
  target.addMetric('SlaWarnings', MetricUnit.Count, summary.warned);
  target.addMetric('SlaTouched', MetricUnit.Count, summary.touched);
  target.addMetric('SlaReroutes', MetricUnit.Count, summary.rerouted);
  target.addMetric('SlaEscalations', MetricUnit.Count, summary.escalated);
  target.addMetric('SlaBreaches', MetricUnit.Count, summary.breaches);
  summary.speedMinutes.forEach((minutes, i) => {
    if (i > 0 && i % VALUES_PER_DOCUMENT === 0) target.publishStoredMetrics();
    target.addMetric('SpeedToLeadMinutes', MetricUnit.Count, minutes);
  });
}

/**
 * EventBridge Scheduler, every minute → one SLA sweep. Salesforce down or rate-limited: the error
 * fails the invocation (the error alarm sees it) and the clocks stay due for the next minute.
 */
export function createSlaSweepHandler(cfg: Config, io: SlaSweepHandlerIo) {
  const { logger, metrics } = io.observability ?? observability;
  // Once per container: the compiled model is cached until a new version is promoted.
  const model = topUpModel(cfg, io.doc);
  return lambdaHandler<unknown, SlaSweepSummary, SlaSweepSecrets>(
    {
      cfg,
      secrets: { SALESFORCE_CREDENTIALS: 'required', SLACK_WEBHOOK_URL: 'optional' },
      observability: io.observability,
    },
    async (_event, context) => {
      const summary = await runSlaSweep(
        slaSweepDeps(cfg, {
          doc: io.doc,
          model,
          connection: connectionFromSecret(context.secrets.SALESFORCE_CREDENTIALS, cfg.SF_API_VERSION),
          notifier: notifierFor(context.secrets.SLACK_WEBHOOK_URL),
        }),
      );
      const { speedMinutes: _speeds, ...counts } = summary;
      if (summary.checked > 0 || summary.status !== 'completed')
        logger.info(`SLA sweep ${summary.status}`, counts);
      recordSlaMetrics(metrics, summary);
      return summary;
    },
  );
}
