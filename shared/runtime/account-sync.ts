import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Connection } from '@jsforce/jsforce-node';
import { DynamoAccountIndex } from '../adapters/dynamodb/account-index.js';
import { DynamoDuplicateIndex } from '../adapters/dynamodb/duplicate-index.js';
import { SalesforceAccountSource } from '../adapters/salesforce/account-reader.js';
import { SalesforcePersonSource } from '../adapters/salesforce/duplicate-reader.js';
import type { DuplicateSyncDeps } from '../application/accounts/duplicates.js';
import type { AccountSyncDeps } from '../application/accounts/sync.js';
import type { Config } from './config.js';

type SyncIo = { doc: DynamoDBDocumentClient; connection: () => Promise<Connection>; now?: () => Date };

/** The account sync's wiring, shared by the Lambda, the CLI and the local stack's timer. */
export function accountSyncDeps(cfg: Pick<Config, 'TABLE_NAME'>, io: SyncIo): AccountSyncDeps {
  return {
    source: new SalesforceAccountSource(io.connection),
    index: new DynamoAccountIndex({ doc: io.doc, tableName: cfg.TABLE_NAME }),
    now: io.now ?? (() => new Date()),
    newId: randomUUID,
  };
}

/** The duplicate index's sync wiring (leads and contacts by e-mail hash), run beside the account sync. */
export function duplicateSyncDeps(cfg: Pick<Config, 'TABLE_NAME'>, io: SyncIo): DuplicateSyncDeps {
  const index = new DynamoDuplicateIndex({ doc: io.doc, tableName: cfg.TABLE_NAME });
  return {
    sources: {
      lead: new SalesforcePersonSource(io.connection, 'lead'),
      contact: new SalesforcePersonSource(io.connection, 'contact'),
    },
    indexes: { lead: index.of('lead'), contact: index.of('contact') },
    now: io.now ?? (() => new Date()),
    newId: randomUUID,
  };
}
