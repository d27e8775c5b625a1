import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent, ScheduledEvent } from 'aws-lambda';
import { DynamoOutbox, outboxItemsFromStream } from '../../adapters/dynamodb/outbox.js';
import { SalesforceOwnerGateway } from '../../adapters/salesforce/owner-gateway.js';
import { drainOutbox } from '../../application/write-back/drain-outbox.js';
import { type WriteBackSummary, writeBackOwners } from '../../application/write-back/write-back-owners.js';
import type { Config } from '../config.js';
import { lambdaHandler, type Observability, observability } from '../lambda.js';
import { recordWriteBackMetrics } from '../metrics.js';
import { connectionFromSecret } from '../salesforce.js';

export type WriteBackEvent = DynamoDBStreamEvent | ScheduledEvent;

export interface WriteBackHandlerIo {
  doc: DynamoDBDocumentClient;
  observability?: Observability;
}

/**
 * Owners to Salesforce. Triggered by the table stream (new outbox items, batched) for low
 * latency, and by a schedule that sweeps items whose retry is due.
 */
export function createWriteBackHandler(cfg: Config, io: WriteBackHandlerIo) {
  const { logger, metrics } = io.observability ?? observability;
  const outbox = new DynamoOutbox(io.doc, cfg.TABLE_NAME);
  return lambdaHandler<WriteBackEvent, WriteBackSummary, { SALESFORCE_CREDENTIALS: 'required' }>(
    { cfg, secrets: { SALESFORCE_CREDENTIALS: 'required' }, observability: io.observability },
    async (event, context) => {
      const deps = {
        outbox,
        crm: new SalesforceOwnerGateway(
          connectionFromSecret(context.secrets.SALESFORCE_CREDENTIALS, cfg.SF_API_VERSION),
          { reasonField: cfg.ROUTING_REASON_FIELD, matchedAccountField: cfg.MATCHED_ACCOUNT_FIELD },
        ),
        now: () => new Date(),
        reasonMaxLength: cfg.ROUTING_REASON_MAX_LENGTH,
        maxAttempts: cfg.WRITE_BACK_MAX_ATTEMPTS,
      };
      const summary =
        'Records' in event
          ? await writeBackOwners(outboxItemsFromStream(event.Records), deps)
          : await drainOutbox(deps);
      if (summary.calls > 0) logger.info('write-back finished', { ...summary });
      recordWriteBackMetrics(metrics, summary, await outbox.oldestPendingSince(), new Date());
      return summary;
    },
  );
}
