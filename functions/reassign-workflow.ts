import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { createReassignWorkflowHandler } from '../shared/runtime/handlers/reassign.js';
import { workflowAdapters } from '../shared/runtime/reassign.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
export const handler = createReassignWorkflowHandler(cfg, {
  doc: tracer.captureAWSv3Client(documentClient(cfg)),
  ...workflowAdapters(cfg),
});
