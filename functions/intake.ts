import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { createIntakeHandler } from '../shared/runtime/handlers/intake.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
export const handler = createIntakeHandler(cfg, { doc: tracer.captureAWSv3Client(documentClient(cfg)) });
