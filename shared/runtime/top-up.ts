import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Connection } from '@jsforce/jsforce-node';
import { DynamoAssignmentLedger } from '../adapters/dynamodb/assignment-ledger.js';
import { DynamoOutbox } from '../adapters/dynamodb/outbox.js';
import { DynamoRepCounters } from '../adapters/dynamodb/rep-counters.js';
import { DynamoRunLease } from '../adapters/dynamodb/run-lease.js';
import { DynamoTerritoryStore } from '../adapters/dynamodb/territory-store.js';
import { DynamoTopUpRuns } from '../adapters/dynamodb/top-up-runs.js';
import { publicHolidays } from '../adapters/holidays/public-holidays.js';
import { postalCentroid } from '../adapters/postal/centroids.js';
import { SalesforceBulkOwnerWriter } from '../adapters/salesforce/bulk-owner-writer.js';
import { SalesforceLeadCounts } from '../adapters/salesforce/lead-counts.js';
import { SalesforceLeadPool } from '../adapters/salesforce/lead-pool.js';
import { SalesforceRepPerformance } from '../adapters/salesforce/rep-performance.js';
import { productionModelProvider } from '../application/territories/production-model.js';
import type { TopUpDeps } from '../application/topup/run-top-up.js';
import type { Notifier } from '../ports/notifier.js';
import { type Config, requireConfig } from './config.js';
import { requireReasonField } from './salesforce.js';

/** The production model, compiled once and cached until a new version is promoted. */
export function topUpModel(cfg: Pick<Config, 'TABLE_NAME'>, doc: DynamoDBDocumentClient): TopUpDeps['model'] {
  return productionModelProvider({
    store: new DynamoTerritoryStore({ doc, tableName: cfg.TABLE_NAME }),
    postalCentroid,
    holidays: publicHolidays,
  });
}

/**
 * The top-up's wiring from configuration, shared by the Lambda, the CLI and the local stack so
 * the three run the same thing. Create once per container: the compiled model is cached inside.
 */
export function topUpDeps(
  cfg: Config,
  io: {
    doc: DynamoDBDocumentClient;
    connection: () => Promise<Connection>;
    notifier?: Notifier;
    /** The compiled-model cache, when the caller keeps one across runs (the Lambda, per container). */
    model?: TopUpDeps['model'];
    now?: () => Date;
    newId?: () => string;
  },
): TopUpDeps {
  const table = cfg.TABLE_NAME;
  const org = requireConfig(cfg, ['INTAKE_QUEUE_IDS', 'INTEGRATION_USER_ID']);
  return {
    model: io.model ?? topUpModel(cfg, io.doc),
    leadCounts: new SalesforceLeadCounts(io.connection),
    pool: new SalesforceLeadPool(io.connection, {
      scoreField: cfg.TOP_UP_SCORE_FIELD,
      routingFields: { ProductInterest: cfg.LEAD_PRODUCT_INTEREST_FIELD },
      extraFields: cfg.TOP_UP_LEAD_FIELDS,
    }),
    performance: new SalesforceRepPerformance(io.connection),
    counters: new DynamoRepCounters(io.doc, table),
    ledger: new DynamoAssignmentLedger(io.doc, table),
    lease: new DynamoRunLease(io.doc, table),
    runs: new DynamoTopUpRuns(io.doc, table),
    outbox: new DynamoOutbox(io.doc, table),
    bulk: new SalesforceBulkOwnerWriter(io.connection, {
      reasonField: cfg.ROUTING_REASON_FIELD,
      pollTimeoutMs: cfg.TOP_UP_BULK_POLL_TIMEOUT_MS,
      pollIntervalMs: cfg.TOP_UP_BULK_POLL_INTERVAL_MS,
    }),
    ...(io.notifier ? { notifier: io.notifier } : {}),
    capacity: cfg.CAPACITY_RULES,
    settings: {
      poolQueueIds: cfg.TOP_UP_POOL_QUEUE_IDS ?? org.INTAKE_QUEUE_IDS,
      poolOrder: cfg.TOP_UP_POOL_ORDER,
      poolLimit: cfg.TOP_UP_POOL_LIMIT,
      bulkThreshold: cfg.TOP_UP_BULK_THRESHOLD,
      // The sweeper takes over only once the job has surely stopped polling.
      bulkHoldMs: cfg.TOP_UP_BULK_POLL_TIMEOUT_MS + 5 * 60_000,
      leaseMs: cfg.TOP_UP_LEASE_MS,
      weights: cfg.TOP_UP_PERFORMANCE_WEIGHTS,
      replaceableOwnerIds: [...org.INTAKE_QUEUE_IDS, ...org.INTEGRATION_USER_ID],
      reasonMaxLength: cfg.ROUTING_REASON_MAX_LENGTH,
    },
    now: io.now ?? (() => new Date()),
    newId: io.newId ?? randomUUID,
    preflight: () => requireReasonField(cfg, io.connection),
  };
}
