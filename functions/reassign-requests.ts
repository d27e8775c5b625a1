import { randomUUID } from 'node:crypto';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { DynamoApprovalStore } from '../shared/adapters/dynamodb/approval-store.js';
import { DynamoReassignmentStore } from '../shared/adapters/dynamodb/reassignment-store.js';
import { statusEndpoint, submitEndpoint } from '../shared/adapters/http/reassignments-endpoint.js';
import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { workflowAdapters } from '../shared/runtime/reassign.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
const doc = tracer.captureAWSv3Client(documentClient(cfg));
const store = new DynamoReassignmentStore(doc, cfg.TABLE_NAME);
const { workflow } = workflowAdapters(cfg);
const statusUrl = (id: string) => `${(cfg.APPROVAL_BASE_URL ?? '').replace(/\/+$/, '')}/reassignments/${id}`;
const submit = submitEndpoint({ store, workflow, now: () => new Date(), newId: randomUUID }, statusUrl);
const status = statusEndpoint({ store, approvals: new DynamoApprovalStore(doc, cfg.TABLE_NAME) });

/**
 * `POST /reassignments` and `GET /reassignments/{id}`. IAM-authorized in AWS; locally the key in
 * `x-api-key` (REASSIGN_API_KEY).
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler((event) =>
    event.requestContext.http.method === 'GET'
      ? status(event, cfg.REASSIGN_API_KEY)
      : submit(event, cfg.REASSIGN_API_KEY),
  );
