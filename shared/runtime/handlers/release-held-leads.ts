import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAssignmentLedger } from '../../adapters/dynamodb/assignment-ledger.js';
import { DynamoTerritoryStore } from '../../adapters/dynamodb/territory-store.js';
import { publicHolidays } from '../../adapters/holidays/public-holidays.js';
import { postalCentroid } from '../../adapters/postal/centroids.js';
import { releaseHeldLeads } from '../../application/availability/release-held-leads.js';
import { productionRouting } from '../../application/routing/production-routing.js';
import { type Config, requireConfig } from '../config.js';
import { lambdaHandler, type Observability, observability } from '../lambda.js';

export interface ReleaseHeldLeadsHandlerIo {
  doc: DynamoDBDocumentClient;
  observability?: Observability;
  now?: () => Date;
}

/**
 * EventBridge Scheduler (every minute) → held leads of territories where someone is now on shift
 * are assigned, oldest first; the owners reach Salesforce through the outbox.
 */
export function createReleaseHeldLeadsHandler(config: Config, io: ReleaseHeldLeadsHandlerIo) {
  const cfg = requireConfig(config, ['INTAKE_QUEUE_IDS', 'INTEGRATION_USER_ID']);
  const { logger, metrics } = io.observability ?? observability;
  const routing = productionRouting(
    {
      store: new DynamoTerritoryStore({ doc: io.doc, tableName: cfg.TABLE_NAME }),
      postalCentroid,
      holidays: publicHolidays,
    },
    cfg.CAPACITY_RULES,
    { ProductInterest: cfg.LEAD_PRODUCT_INTEREST_FIELD },
  );
  const ledger = new DynamoAssignmentLedger(io.doc, cfg.TABLE_NAME);
  const now = io.now ?? (() => new Date());
  return lambdaHandler<unknown, unknown>({ cfg, observability: io.observability }, async () => {
    const summary = await releaseHeldLeads({
      ledger,
      routing,
      replaceableOwnerIds: [...cfg.INTAKE_QUEUE_IDS, ...cfg.INTEGRATION_USER_ID],
      now,
      newId: randomUUID,
    });
    if (summary.read > 0) logger.info('held leads checked', { ...summary });
    metrics.addMetric('HeldLeadsReleased', MetricUnit.Count, summary.released + summary.toDefaultOwner);
    metrics.addMetric('HeldLeadsWaiting', MetricUnit.Count, summary.stillHeld);
    metrics.addMetric(
      'HeldLeadOldestAgeSeconds',
      MetricUnit.Seconds,
      summary.oldestHeldAt ? Math.max(0, (now().getTime() - Date.parse(summary.oldestHeldAt)) / 1000) : 0,
    );
    return summary;
  });
}
