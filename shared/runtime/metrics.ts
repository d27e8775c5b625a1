import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { WriteBackSummary } from '../application/write-back/write-back-owners.js';

/** CloudWatch embedded metrics; the stack's alarms (infra/constructs/observability.ts) watch them. */
const metrics = new Metrics({ namespace: 'TerritoryRouter', serviceName: 'territory-router' });

export function publishWriteBackMetrics(
  summary: WriteBackSummary,
  oldestPendingSince: string | undefined,
  now: Date,
): void {
  metrics.addMetric('OwnerWritesWritten', MetricUnit.Count, summary.written);
  metrics.addMetric('OwnerWritesFailed', MetricUnit.Count, summary.failed);
  metrics.addMetric('OwnerWritesSkipped', MetricUnit.Count, summary.skipped);
  metrics.addMetric(
    'OutboxOldestPendingAgeSeconds',
    MetricUnit.Seconds,
    oldestPendingSince ? Math.max(0, (now.getTime() - Date.parse(oldestPendingSince)) / 1000) : 0,
  );
  metrics.publishStoredMetrics();
}
