import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { createWriteBackHandler } from '../shared/runtime/handlers/write-back.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
export const handler = createWriteBackHandler(cfg, { doc: tracer.captureAWSv3Client(documentClient(cfg)) });
