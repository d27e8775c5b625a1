import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { createSlaSweepHandler } from '../shared/runtime/handlers/sla-sweep.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
export const handler = createSlaSweepHandler(cfg, { doc: tracer.captureAWSv3Client(documentClient(cfg)) });
