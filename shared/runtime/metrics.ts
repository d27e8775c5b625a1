import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { WriteBackSummary } from '../application/write-back/write-back-owners.js';
import { logger } from './logger.js';

/**
 * CloudWatch embedded metrics, flushed by the Lambda wrapper after every invocation; the stack's
 * alarms (infra/constructs/observability.ts) watch them. Most handlers add none, so the flush's
 * "no application metrics" warning is dropped; every other warning reaches the logs.
 */
export const metrics = new Metrics({
  namespace: 'TerritoryRouter',
  serviceName: 'territory-router',
  logger: {
    debug: (message: unknown) => logger.debug(String(message)),
    info: (message: unknown) => logger.info(String(message)),
    error: (message: unknown) => logger.error(String(message)),
    warn: (message: unknown) => {
      if (!String(message).startsWith('No application metrics to publish')) logger.warn(String(message));
    },
  },
});

/** Write-back outcomes and the outbox backlog's age; the wrapper publishes them. */
export function recordWriteBackMetrics(
  target: Metrics,
  summary: WriteBackSummary,
  oldestPendingSince: string | undefined,
  now: Date,
): void {
  target.addMetric('OwnerWritesWritten', MetricUnit.Count, summary.written);
  target.addMetric('OwnerWritesFailed', MetricUnit.Count, summary.failed);
  target.addMetric('OwnerWritesSkipped', MetricUnit.Count, summary.skipped);
  target.addMetric(
    'OutboxOldestPendingAgeSeconds',
    MetricUnit.Seconds,
    oldestPendingSince ? Math.max(0, (now.getTime() - Date.parse(oldestPendingSince)) / 1000) : 0,
  );
}
