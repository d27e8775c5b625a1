import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { DynamoAccountIndex } from '../../adapters/dynamodb/account-index.js';
import { DynamoAssignmentLedger } from '../../adapters/dynamodb/assignment-ledger.js';
import { DynamoDuplicateIndex } from '../../adapters/dynamodb/duplicate-index.js';
import { DynamoTerritoryStore } from '../../adapters/dynamodb/territory-store.js';
import { publicHolidays } from '../../adapters/holidays/public-holidays.js';
import { outboundMessageEndpoint } from '../../adapters/http/outbound-message-endpoint.js';
import { postalCentroid } from '../../adapters/postal/centroids.js';
import { existingRecordFinder } from '../../application/accounts/duplicates.js';
import { accountEnricher } from '../../application/accounts/enrich-lead.js';
import { productionRouting } from '../../application/routing/production-routing.js';
import { type Config, requireConfig } from '../config.js';
import { lambdaHandler, type Observability, observability } from '../lambda.js';

export interface IntakeHandlerIo {
  doc: DynamoDBDocumentClient;
  observability?: Observability;
}

/**
 * `POST /salesforce/outbound/{secret}`: Salesforce Outbound Messages → durable assignments. Wiring
 * once per container: one client, one store cache and one compiled model.
 */
export function createIntakeHandler(config: Config, io: IntakeHandlerIo) {
  const cfg = requireConfig(config, ['SALESFORCE_ORG_ID', 'INTAKE_QUEUE_IDS', 'INTEGRATION_USER_ID']);
  const endpoint = outboundMessageEndpoint({
    ledger: new DynamoAssignmentLedger(io.doc, cfg.TABLE_NAME),
    routing: productionRouting(
      {
        store: new DynamoTerritoryStore({ doc: io.doc, tableName: cfg.TABLE_NAME }),
        postalCentroid,
        holidays: publicHolidays,
      },
      cfg.CAPACITY_RULES,
      { ProductInterest: cfg.LEAD_PRODUCT_INTEREST_FIELD },
    ),
    replaceableOwnerIds: [...cfg.INTAKE_QUEUE_IDS, ...cfg.INTEGRATION_USER_ID],
    matchAccount: accountEnricher(new DynamoAccountIndex({ doc: io.doc, tableName: cfg.TABLE_NAME })),
    ...(cfg.MATCHED_ACCOUNT_FIELD ? { matchedAccountField: cfg.MATCHED_ACCOUNT_FIELD } : {}),
    findExistingRecord: existingRecordFinder(
      new DynamoDuplicateIndex({ doc: io.doc, tableName: cfg.TABLE_NAME }),
    ),
    now: () => new Date(),
    newId: randomUUID,
    acceptedOrgIds: cfg.SALESFORCE_ORG_ID,
    // Leads held because nobody of their territory was on shift (released by the every-minute job).
    onRecorded: ({ held }) => {
      if (held > 0)
        (io.observability ?? observability).metrics.addMetric('LeadsHeld', MetricUnit.Count, held);
    },
  });
  return lambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2, { OUTBOUND_SECRET: 'required' }>(
    { cfg, http: true, secrets: { OUTBOUND_SECRET: 'required' }, observability: io.observability },
    (event, context) =>
      endpoint(event, context.secrets.OUTBOUND_SECRET, () => context.getRemainingTimeInMillis()),
  );
}
