import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Connection } from '@jsforce/jsforce-node';
import { DynamoAccountIndex } from '../adapters/dynamodb/account-index.js';
import { SalesforceAccountSource } from '../adapters/salesforce/account-reader.js';
import type { AccountSyncDeps } from '../application/accounts/sync.js';
import type { Config } from './config.js';

/** The account sync's wiring, shared by the Lambda, the CLI and the local stack's timer. */
export function accountSyncDeps(
  cfg: Pick<Config, 'TABLE_NAME'>,
  io: { doc: DynamoDBDocumentClient; connection: () => Promise<Connection>; now?: () => Date },
): AccountSyncDeps {
  return {
    source: new SalesforceAccountSource(io.connection),
    index: new DynamoAccountIndex({ doc: io.doc, tableName: cfg.TABLE_NAME }),
    now: io.now ?? (() => new Date()),
    newId: randomUUID,
  };
}
