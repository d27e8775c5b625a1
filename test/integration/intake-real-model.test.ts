import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { DynamoTerritoryStore } from '../../shared/adapters/dynamodb/territory-store.js';
import { publicHolidays } from '../../shared/adapters/holidays/public-holidays.js';
import { outboundMessageEndpoint } from '../../shared/adapters/http/outbound-message-endpoint.js';
import { postalCentroid } from '../../shared/adapters/postal/centroids.js';
import { productionRouting } from '../../shared/application/routing/production-routing.js';
import { ensureProductionModel } from '../../shared/application/territories/publish.js';
import { capacityConfigSchema } from '../../shared/domain/capacity/capacity.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { leadId, outboundEnvelope, outboundEvent } from '../support/outbound-messages.js';

const t = useDynamoDbLocal();
const SECRET = 'real-model-secret-0123456789';
const MAX_NEW = 5;
const REVIEW = toId18('00GTR0000000002');
let table: string;
let handle: (xml: string) => Promise<number>;

beforeAll(async () => {
  table = await t.newTable();
  const store = new DynamoTerritoryStore({ doc: t.doc, tableName: table });
  const ontario = readFileSync(
    new URL('../../shared/local-stack/ontario-territories.yaml', import.meta.url),
    'utf8',
  );
  await ensureProductionModel({ store, postalCentroid, holidays: publicHolidays }, { text: ontario });
  const capacity = capacityConfigSchema.parse({ defaults: { maxNew: MAX_NEW, minInProgressRatio: 0 } });
  const endpoint = outboundMessageEndpoint({
    ledger: new DynamoAssignmentLedger(t.doc, table),
    routing: productionRouting({ store, postalCentroid, holidays: publicHolidays }, capacity),
    replaceableOwnerIds: [toId18('00GTR0000000001')],
    now: () => new Date('2026-11-24T15:00:00Z'),
    newId: randomUUID,
    acceptedOrgIds: [toId18(EMULATOR_ORG_ID)],
  });
  handle = async (xml) => {
    return (await endpoint(outboundEvent(xml, SECRET), SECRET)).statusCode ?? 0;
  };
});

describe('intake over the Ontario example model under concurrency', () => {
  it('fills Toronto Core reps to their cap, never past it, and sends the rest to review', async () => {
    // 200 Toronto Core leads in 20 messages at once: 3 active participants x 5 = 15 fit.
    const messages = Array.from({ length: 20 }, (_, m) =>
      outboundEnvelope(
        Array.from({ length: 10 }, (_, i) => ({
          Id: leadId(5000 + m * 10 + i),
          Company: `Downtown ${m}-${i}`,
          Country: 'Canada',
          PostalCode: 'M5V 3L9',
        })),
      ),
    );
    let statuses = await Promise.all(messages.map(handle));
    // A message that lost optimistic races answers 500; Salesforce would redeliver it.
    for (let round = 0; round < 5 && statuses.some((s) => s !== 200); round++) {
      statuses = await Promise.all(messages.map((xml, i) => (statuses[i] === 200 ? 200 : handle(xml))));
    }
    expect(statuses.every((s) => s === 200)).toBe(true);

    const assignments: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await t.doc.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: 'begins_with(PK, :lead)',
          ExpressionAttributeValues: { ':lead': 'LEAD#' },
          ExclusiveStartKey: startKey,
        }),
      );
      assignments.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    expect(assignments).toHaveLength(200);
    const perRep = new Map<string, number>();
    for (const a of assignments.filter((x) => x.ownerKind === 'rep')) {
      perRep.set(String(a.ownerId), (perRep.get(String(a.ownerId)) ?? 0) + 1);
    }
    expect(perRep.size).toBe(3); // Joe Tremblay, Priya Sharma, Liam O'Connor; Nadia Haddad is inactive
    for (const count of perRep.values()) expect(count).toBeLessThanOrEqual(MAX_NEW);
    expect([...perRep.values()].reduce((a, b) => a + b, 0)).toBe(perRep.size * MAX_NEW);
    const toReview = assignments.filter((a) => a.ownerId === REVIEW);
    expect(toReview.length).toBe(200 - perRep.size * MAX_NEW);
    expect(String(toReview[0]?.reason)).toMatch(/Toronto Core/);
  }, 120_000);
});
