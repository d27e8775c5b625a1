import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { createReleaseHeldLeadsHandler } from '../shared/runtime/handlers/release-held-leads.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
export const handler = createReleaseHeldLeadsHandler(cfg, {
  doc: tracer.captureAWSv3Client(documentClient(cfg)),
});
