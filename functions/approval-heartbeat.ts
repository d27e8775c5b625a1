import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { DynamoApprovalStore } from '../shared/adapters/dynamodb/approval-store.js';
import { heartbeatApprovals } from '../shared/application/reassign/approvals.js';
import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { logger } from '../shared/runtime/logger.js';
import { workflowAdapters } from '../shared/runtime/reassign.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
const deps = {
  approvals: new DynamoApprovalStore(tracer.captureAWSv3Client(documentClient(cfg)), cfg.TABLE_NAME),
  tokens: workflowAdapters(cfg).tokens,
};

/**
 * Scheduled: a heartbeat for every approval task still waiting. The approval tasks have a
 * heartbeat timeout, so a token this table lost fails its task within hours, not after 72 h.
 */
export const handler = middy()
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async () => {
    const result = await heartbeatApprovals(deps);
    if (result.sent + result.gone > 0) logger.info('approval heartbeats', result);
    return result;
  });
