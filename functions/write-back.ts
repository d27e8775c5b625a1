import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBStreamEvent, ScheduledEvent } from 'aws-lambda';
import { DynamoOutbox, outboxItemsFromStream } from '../shared/adapters/dynamodb/outbox.js';
import { SalesforceOwnerGateway } from '../shared/adapters/salesforce/owner-gateway.js';
import { drainOutbox } from '../shared/application/write-back/drain-outbox.js';
import { writeBackOwners } from '../shared/application/write-back/write-back-owners.js';
import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { logger } from '../shared/runtime/logger.js';
import { publishWriteBackMetrics } from '../shared/runtime/metrics.js';
import { connectionProvider, parseSalesforceCredentials } from '../shared/runtime/salesforce.js';
import { secretsToContext } from '../shared/runtime/secrets.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
const outbox = new DynamoOutbox(tracer.captureAWSv3Client(documentClient(cfg)), cfg.TABLE_NAME);
let credentialsJson = '';
const crm = new SalesforceOwnerGateway(
  connectionProvider(() => parseSalesforceCredentials(credentialsJson), cfg.SF_API_VERSION),
  { reasonField: cfg.ROUTING_REASON_FIELD },
);
const deps = {
  outbox,
  crm,
  now: () => new Date(),
  reasonMaxLength: cfg.ROUTING_REASON_MAX_LENGTH,
  maxAttempts: cfg.WRITE_BACK_MAX_ATTEMPTS,
};

type WriteBackEvent = DynamoDBStreamEvent | ScheduledEvent;

/**
 * Owners to Salesforce. Triggered by the table stream (new outbox items, batched) for low
 * latency, and by a schedule that sweeps items whose retry is due.
 */
export const handler = middy<WriteBackEvent, unknown, Error, Context & { salesforce: string }>()
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(secretsToContext({ salesforce: 'SALESFORCE_CREDENTIALS' }))
  .handler(async (event, context) => {
    credentialsJson = context.salesforce;
    const summary =
      'Records' in event
        ? await writeBackOwners(outboxItemsFromStream(event.Records), deps)
        : await drainOutbox(deps);
    if (summary.calls > 0) logger.info('write-back finished', { ...summary });
    publishWriteBackMetrics(summary, await outbox.oldestPendingSince(), new Date());
    return summary;
  });
