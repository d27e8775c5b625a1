import { config } from '../shared/runtime/config.js';
import { documentClient } from '../shared/runtime/dynamodb.js';
import { createAccountSyncHandler } from '../shared/runtime/handlers/account-sync.js';
import { tracer } from '../shared/runtime/tracer.js';

const cfg = config();
export const handler = createAccountSyncHandler(cfg, { doc: tracer.captureAWSv3Client(documentClient(cfg)) });
