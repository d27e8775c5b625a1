import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Connection } from '@jsforce/jsforce-node';
import { DynamoAssignmentLedger } from '../adapters/dynamodb/assignment-ledger.js';
import { DynamoRunLease } from '../adapters/dynamodb/run-lease.js';
import { DynamoSlaClocks } from '../adapters/dynamodb/sla-clocks.js';
import { SalesforceLeadTouches } from '../adapters/salesforce/lead-touches.js';
import type { SlaSweepDeps } from '../application/sla/sweep.js';
import type { Notifier } from '../ports/notifier.js';
import { type Config, requireConfig } from './config.js';
import { topUpModel } from './top-up.js';

/**
 * The SLA sweep's wiring, shared by the Lambda and the local stack's timer. Create once per
 * container: the compiled production model is cached inside until a new version is promoted.
 */
export function slaSweepDeps(
  cfg: Config,
  io: {
    doc: DynamoDBDocumentClient;
    connection: () => Promise<Connection>;
    notifier?: Notifier;
    model?: SlaSweepDeps['model'];
    now?: () => Date;
    newId?: () => string;
  },
): SlaSweepDeps {
  const org = requireConfig(cfg, ['INTAKE_QUEUE_IDS', 'INTEGRATION_USER_ID']);
  return {
    clocks: new DynamoSlaClocks(io.doc, cfg.TABLE_NAME),
    touches: new SalesforceLeadTouches(io.connection),
    ledger: new DynamoAssignmentLedger(io.doc, cfg.TABLE_NAME),
    model: io.model ?? topUpModel(cfg, io.doc),
    lease: new DynamoRunLease(io.doc, cfg.TABLE_NAME),
    ...(io.notifier ? { notifier: io.notifier } : {}),
    capacity: cfg.CAPACITY_RULES,
    replaceableOwnerIds: [...org.INTAKE_QUEUE_IDS, ...org.INTEGRATION_USER_ID],
    now: io.now ?? (() => new Date()),
    newId: io.newId ?? randomUUID,
  };
}
