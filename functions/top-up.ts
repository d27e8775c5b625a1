import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { createTopUpHandler } from '../shared/runtime/handlers/top-up.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
export const handler = createTopUpHandler(cfg, { doc: tracer.captureAWSv3Client(documentClient(cfg)) });
