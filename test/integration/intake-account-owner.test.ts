import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccountIndex } from '../../shared/adapters/dynamodb/account-index.js';
import { DynamoDecisionTrail } from '../../shared/adapters/dynamodb/decision-trail.js';
import { accountEnricher } from '../../shared/application/accounts/enrich-lead.js';
import { explainRecord, formatExplanation } from '../../shared/application/explain/explain.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { intakeOnModel } from '../support/intake-endpoint.js';
import { leadId } from '../support/outbound-messages.js';

/** Intake matches each lead to an account in the stored index and gives it to the account's owner first. */

const t = useDynamoDbLocal();
const INTAKE = toId18('00GTR0000000001');
const rep = (n: number) => toId18(`005TR00000000${String(n).padStart(2, '0')}`);
const MODEL = `
name: Account owners
timeZone: America/Toronto
defaultOwner: review
queues:
  - { key: review, id: ${toId18('00GTR0000000002')}, name: Lead Review }
reps:
  - { key: ana, id: ${rep(1)}, name: Ana Rotation }
  - { key: ben, id: ${rep(2)}, name: Ben Rotation }
  - { key: olga, id: ${rep(3)}, name: Olga Owner }
  - { key: ivan, id: ${rep(4)}, name: Ivan Inactive, active: false }
territories:
  - id: everyone
    priority: 1
    participants: [ana, ben]
    accountOwnerFirst: true
`;
let table: string;
let handle: (leads: Record<string, string>[]) => Promise<number>;

beforeAll(async () => {
  table = await t.newTable();
  const index = new DynamoAccountIndex({ doc: t.doc, tableName: table });
  await index.upsert([
    {
      id: toId18('001TR0000000001'),
      name: 'Acme Corporation',
      website: 'https://www.acme.com',
      ownerId: rep(3),
      type: 'Customer',
      systemModstamp: '2026-11-01T00:00:00.000Z',
    },
    {
      id: toId18('001TR0000000002'),
      name: 'Globex GmbH',
      website: 'globex.de',
      ownerId: rep(4),
      systemModstamp: '2026-11-01T00:00:00.000Z',
    },
  ]);
  handle = await intakeOnModel({ doc: t.doc, table }, MODEL, {
    replaceableOwnerIds: [INTAKE],
    matchAccount: accountEnricher(index),
  });
});

async function assignment(id: string) {
  const { Item } = await t.doc.send(
    new GetCommand({ TableName: table, Key: { PK: `LEAD#${id}`, SK: 'ASSIGNMENT' } }),
  );
  return Item as { ownerId: string; reason: string } | undefined;
}

describe('intake routes a lead to its matched account owner', () => {
  it("gives a lead whose e-mail domain is an account's website to that account's owner", async () => {
    const id = leadId(9001);
    expect(
      await handle([{ Id: id, Company: 'ACME Corp.', Email: 'jane@eu.acme.com', OwnerId: INTAKE }]),
    ).toBe(200);
    const owned = await assignment(id);
    expect(owned?.ownerId).toBe(rep(3));
    expect(owned?.reason).toContain('Account owner of "Acme Corporation" (match confidence 0.97)');
    const explained = formatExplanation(
      await explainRecord(id, { trail: new DynamoDecisionTrail(t.doc, table), names: async () => new Map() }),
    );
    expect(explained).toContain(
      `account    Acme Corporation (${toId18('001TR0000000001')}), confidence 0.97, domain — `,
    );
  });

  it('falls back to the rotation, saying why, when the owner is inactive', async () => {
    const id = leadId(9002);
    expect(await handle([{ Id: id, Company: 'Globex', Email: 'max@globex.de', OwnerId: INTAKE }])).toBe(200);
    const routed = await assignment(id);
    expect([rep(1), rep(2)]).toContain(routed?.ownerId);
    expect(routed?.reason).toContain('skipped Ivan Inactive: inactive');
  });

  it('uses the rotation for a lead no account matches (free-mail, unknown company)', async () => {
    const id = leadId(9003);
    expect(
      await handle([{ Id: id, Company: 'Nobody Known Ltd', Email: 'sam@gmail.com', OwnerId: INTAKE }]),
    ).toBe(200);
    expect([rep(1), rep(2)]).toContain((await assignment(id))?.ownerId);
  });
});
