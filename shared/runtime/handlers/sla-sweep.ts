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
 * The sweep's counts (breach rate = SlaBreaches / (SlaTouched + SlaReroutes + SlaEscalations)),
 * then speed-to-lead: each touched lead's working minutes under its `Territory` dimension, so
 * CloudWatch gives p50/p90 per territory (per rep is the report's, not a metric's: reps are many).
 */
export function recordSlaMetrics(target: Metrics, summary: SlaSweepSummary): void {
  target.addMetric('SlaWarnings', MetricUnit.Count, summary.warned);
  target.addMetric('SlaTouched', MetricUnit.Count, summary.touched);
  target.addMetric('SlaReroutes', MetricUnit.Count, summary.rerouted);
  target.addMetric('SlaEscalations', MetricUnit.Count, summary.escalated);
  target.addMetric('SlaBreaches', MetricUnit.Count, summary.breaches);
  const byTerritory = new Map<string, number[]>();
  for (const { territoryId, minutes } of summary.speeds) {
    byTerritory.set(territoryId, [...(byTerritory.get(territoryId) ?? []), minutes]);
  }
  if (byTerritory.size === 0) return;
  // Each document carries one territory's dimension; publishing clears it, so it is set again per document.
  target.publishStoredMetrics();
  for (const [territoryId, minutes] of byTerritory) {
    for (let i = 0; i < minutes.length; i += VALUES_PER_DOCUMENT) {
      target.addDimension('Territory', territoryId);
      for (const value of minutes.slice(i, i + VALUES_PER_DOCUMENT)) {
        target.addMetric('SpeedToLeadMinutes', MetricUnit.Count, value);
      }
      target.publishStoredMetrics();
    }
  }
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
      const { speeds: _speeds, ...counts } = summary;
      if (summary.checked > 0 || summary.status !== 'completed')
        logger.info(`SLA sweep ${summary.status}`, counts);
      recordSlaMetrics(metrics, summary);
      return summary;
    },
  );
}
