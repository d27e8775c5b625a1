import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { DynamoTerritoryStore } from '../../shared/adapters/dynamodb/territory-store.js';
import { publicHolidays } from '../../shared/adapters/holidays/public-holidays.js';
import {
  type OutboundEndpointDeps,
  outboundMessageEndpoint,
} from '../../shared/adapters/http/outbound-message-endpoint.js';
import { postalCentroid } from '../../shared/adapters/postal/centroids.js';
import { productionRouting } from '../../shared/application/routing/production-routing.js';
import { ensureProductionModel } from '../../shared/application/territories/publish.js';
import { capacityConfigSchema } from '../../shared/domain/capacity/capacity.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';
import { outboundEnvelope, outboundEvent } from './outbound-messages.js';

/**
 * Intake over a model promoted to production in `table`, at a fixed moment, for the emulator's
 * org: `deliver` sends the leads as one outbound message and answers the HTTP status.
 */
export async function intakeOnModel(
  io: { doc: DynamoDBDocumentClient; table: string },
  model: string,
  options: {
    replaceableOwnerIds: string[];
    capacity?: unknown;
  } & Partial<Pick<OutboundEndpointDeps, 'matchAccount' | 'matchedAccountField' | 'findExistingRecord'>>,
) {
  const { replaceableOwnerIds, capacity, ...enrichment } = options;
  const store = new DynamoTerritoryStore({ doc: io.doc, tableName: io.table });
  await ensureProductionModel({ store, postalCentroid, holidays: publicHolidays }, { text: model });
  const secret = `intake-secret-${randomUUID()}`;
  const endpoint = outboundMessageEndpoint({
    ledger: new DynamoAssignmentLedger(io.doc, io.table),
    routing: productionRouting(
      { store, postalCentroid, holidays: publicHolidays },
      capacityConfigSchema.parse(capacity ?? { defaults: { maxNew: 50, minInProgressRatio: 0 } }),
    ),
    replaceableOwnerIds,
    now: () => new Date('2026-11-24T15:00:00Z'),
    newId: randomUUID,
    acceptedOrgIds: [toId18(EMULATOR_ORG_ID)],
    ...enrichment,
  });
  return async (leads: Array<Record<string, string>>): Promise<number> =>
    (await endpoint(outboundEvent(outboundEnvelope(leads as never), secret), secret)).statusCode ?? 0;
}
