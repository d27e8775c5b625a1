import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import type { SlaSweepSummary } from '../../../shared/application/sla/sweep.js';
import { recordSlaMetrics } from '../../../shared/runtime/handlers/sla-sweep.js';

/** The CloudWatch embedded-metric documents a flush would print, kept instead of printed. */
class KeptMetrics extends Metrics {
  readonly documents: Array<ReturnType<Metrics['serializeMetrics']>> = [];
  override publishStoredMetrics(): this {
    if (this.hasStoredMetrics()) this.documents.push(this.serializeMetrics());
    this.clearMetrics();
    this.clearDimensions();
    return this;
  }
}

const summary = (speeds: SlaSweepSummary['speeds']): SlaSweepSummary => ({
  status: 'completed',
  checked: speeds.length,
  warned: 1,
  touched: speeds.length,
  rerouted: 1,
  escalated: 0,
  released: 0,
  waiting: 0,
  conflicts: 0,
  speeds,
  breaches: 1,
});

describe('SLA metrics', () => {
  it('speed-to-lead goes out per territory, a dimension per document, at most 100 values each', () => {
    const metrics = new KeptMetrics({ namespace: 'TerritoryRouter', serviceName: 'territory-router' });
    const speeds = [
      ...Array.from({ length: 150 }, (_, i) => ({ territoryId: 'toronto-core', minutes: i })),
      { territoryId: 'north', minutes: 42 },
    ];
    recordSlaMetrics(metrics, summary(speeds));
    metrics.publishStoredMetrics();
    const docs = metrics.documents.map((d) => ({
      territory: (d as Record<string, unknown>).Territory,
      names: d._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name),
      dimensions: d._aws.CloudWatchMetrics[0]?.Dimensions,
      speeds: (d as Record<string, unknown>).SpeedToLeadMinutes,
    }));
    // The counts first, without a territory.
    expect(docs[0]).toMatchObject({ territory: undefined });
    expect(docs[0]?.names).toEqual(
      expect.arrayContaining(['SlaWarnings', 'SlaTouched', 'SlaReroutes', 'SlaEscalations', 'SlaBreaches']),
    );
    const speedDocs = docs.slice(1);
    expect(speedDocs.map((d) => d.territory)).toEqual(['toronto-core', 'toronto-core', 'north']);
    for (const d of speedDocs) {
      expect(d.names).toEqual(['SpeedToLeadMinutes']);
      expect(d.dimensions?.flat()).toContain('Territory');
    }
    expect(speedDocs.map((d) => [d.speeds].flat().length)).toEqual([100, 50, 1]);
  });

  it('a sweep that saw no touch sends the counts only', () => {
    const metrics = new KeptMetrics({ namespace: 'TerritoryRouter', serviceName: 'territory-router' });
    recordSlaMetrics(metrics, summary([]));
    metrics.publishStoredMetrics();
    expect(metrics.documents).toHaveLength(1);
    expect(metrics.documents[0]?._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name)).not.toContain(
      'SpeedToLeadMinutes',
    );
  });
});
