import { randomUUID } from 'node:crypto';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { DynamoAssignmentLedger } from '../shared/adapters/dynamodb/assignment-ledger.js';
import { DynamoTerritoryStore } from '../shared/adapters/dynamodb/territory-store.js';
import { publicHolidays } from '../shared/adapters/holidays/public-holidays.js';
import { outboundMessageEndpoint } from '../shared/adapters/http/outbound-message-endpoint.js';
import { postalCentroid } from '../shared/adapters/postal/centroids.js';
import { productionRouting } from '../shared/application/routing/production-routing.js';
import { config, requireConfig } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { secretsToContext } from '../shared/runtime/secrets.js';
import { tracer } from '../shared/runtime/tracer.js';

// Wiring at module scope: one client, one store cache and one compiled model per container.
const cfg = requireConfig(config(), ['SALESFORCE_ORG_ID', 'INTAKE_QUEUE_IDS', 'INTEGRATION_USER_ID']);
const doc = tracer.captureAWSv3Client(documentClient(cfg));
const endpoint = outboundMessageEndpoint({
  ledger: new DynamoAssignmentLedger(doc, cfg.TABLE_NAME),
  routing: productionRouting(
    {
      store: new DynamoTerritoryStore({ doc, tableName: cfg.TABLE_NAME }),
      postalCentroid,
      holidays: publicHolidays,
    },
    cfg.CAPACITY_RULES,
    { ProductInterest: cfg.LEAD_PRODUCT_INTEREST_FIELD },
  ),
  capacity: cfg.CAPACITY_RULES,
  replaceableOwnerIds: [...cfg.INTAKE_QUEUE_IDS, ...cfg.INTEGRATION_USER_ID],
  now: () => new Date(),
  newId: randomUUID,
  acceptedOrgIds: cfg.SALESFORCE_ORG_ID,
});

type IntakeContext = Context & { outboundSecret: string };

/** `POST /salesforce/outbound/{secret}`: Salesforce Outbound Messages → durable assignments. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, IntakeContext>()
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(secretsToContext({ outboundSecret: 'OUTBOUND_SECRET' }))
  .handler((event, context) => endpoint(event, context.outboundSecret));
