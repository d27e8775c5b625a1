import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Observability } from '../runtime/lambda.js';
import { logger } from '../runtime/logger.js';
import { tracer } from '../runtime/tracer.js';

/** CloudWatch embedded metrics mean nothing on a laptop: recorded, then dropped at the flush. */
class DroppedMetrics extends Metrics {
  override publishStoredMetrics(): this {
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }
}

/** The local stack's handlers log and trace as in Lambda; only metrics stay off the console. */
export const localObservability: Observability = {
  logger,
  tracer,
  metrics: new DroppedMetrics({ namespace: 'TerritoryRouter', serviceName: 'territory-router' }),
};
