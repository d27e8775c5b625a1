import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { syncDuplicateIndex } from '../../application/accounts/duplicates.js';
import { syncAccounts } from '../../application/accounts/sync.js';
import { accountSyncDeps, duplicateSyncDeps } from '../account-sync.js';
import type { Config } from '../config.js';
import { lambdaHandler, type Observability, observability } from '../lambda.js';
import { connectionFromSecret } from '../salesforce.js';

/** The schedule sends `{}` (incremental); an operator may invoke with `{"mode": "full"}`. */
const eventSchema = z.looseObject({ mode: z.enum(['full', 'incremental']).optional() });

export interface AccountSyncHandlerIo {
  doc: DynamoDBDocumentClient;
  observability?: Observability;
}

type AccountSyncSecrets = { SALESFORCE_CREDENTIALS: 'required' };

/** EventBridge Scheduler → one account-index sync (incremental unless asked for a full load). */
export function createAccountSyncHandler(cfg: Config, io: AccountSyncHandlerIo) {
  const { logger } = io.observability ?? observability;
  return lambdaHandler<unknown, unknown, AccountSyncSecrets>(
    { cfg, secrets: { SALESFORCE_CREDENTIALS: 'required' }, observability: io.observability },
    async (event, context) => {
      const input = eventSchema.parse(event ?? {});
      const syncIo = {
        doc: io.doc,
        connection: connectionFromSecret(context.secrets.SALESFORCE_CREDENTIALS, cfg.SF_API_VERSION),
      };
      const mode = input.mode ?? 'incremental';
      const summary = await syncAccounts(accountSyncDeps(cfg, syncIo), mode);
      // Leads and contacts by e-mail hash, for duplicate detection: kept like the account index.
      const duplicates = await syncDuplicateIndex(duplicateSyncDeps(cfg, syncIo), mode);
      logger.info('account sync finished', { ...summary, duplicates });
      return { ...summary, duplicates };
    },
  );
}
