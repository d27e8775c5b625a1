import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { DynamoAccountIndex } from '../../shared/adapters/dynamodb/account-index.js';
import { DynamoDecisionTrail } from '../../shared/adapters/dynamodb/decision-trail.js';
import { DynamoDuplicateIndex } from '../../shared/adapters/dynamodb/duplicate-index.js';
import {
  forgetSalesforceSessions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { SalesforcePersonSource } from '../../shared/adapters/salesforce/duplicate-reader.js';
import { existingRecordFinder, syncDuplicateIndex } from '../../shared/application/accounts/duplicates.js';
import { explainRecord, formatExplanation } from '../../shared/application/explain/explain.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { validateTerritoryConfigText } from '../../shared/domain/territory/config-file.js';
import {
  emulatorConnectionOptions,
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { intakeOnModel } from '../support/intake-endpoint.js';

/**
 * Duplicate detection before routing: open leads and contacts synced from the emulator into the
 * DynamoDB duplicate index (by e-mail hash), then intake gives a lead with a known e-mail to that
 * record's owner when they are an active rep within capacity, and otherwise to the territory.
 */

const t = useDynamoDbLocal();
const QUEUE = toId18('00GTR0000000001');
const user = (n: number) => toId18(`005TR00000000${String(n).padStart(2, '0')}`);
const [ANA, BEN, PRIYA, IVAN, CARA] = [1, 2, 3, 4, 5].map(user) as [string, string, string, string, string];
let clock = new Date('2026-12-01T09:00:00Z');
let sf: SalesforceEmulator;

const model = (duplicates: string) => `
name: Duplicates
defaultOwner: intake
queues: [{ key: intake, id: ${QUEUE}, name: Lead Intake }]
reps:
  - { key: ana, id: ${ANA}, name: Ana Rotation }
  - { key: ben, id: ${BEN}, name: Ben Rotation }
  - { key: priya, id: ${PRIYA}, name: Priya Sharma }
  - { key: ivan, id: ${IVAN}, name: Ivan Inactive, active: false }
  - { key: cara, id: ${CARA}, name: Cara Full }
territories:
  - { id: everyone, name: Everyone, priority: 1, participants: [ana, ben] }
${duplicates}
`;
const ON = 'duplicates: { routeToExistingOwner: true, match: [contact, lead] }';

let contactOfPriya: string;
let contactOfIvan: string;
let leadOfPriya: string;
let table: string;

beforeAll(async () => {
  forgetSalesforceSessions();
  sf = await startSalesforceEmulator({ clock: () => clock });
  sf.store.insert('User', [
    { Id: ANA, LastName: 'Rotation', FirstName: 'Ana', IsActive: true },
    { Id: BEN, LastName: 'Rotation', FirstName: 'Ben', IsActive: true },
    { Id: PRIYA, LastName: 'Sharma', FirstName: 'Priya', IsActive: true },
    { Id: IVAN, LastName: 'Inactive', FirstName: 'Ivan', IsActive: true },
    { Id: CARA, LastName: 'Full', FirstName: 'Cara', IsActive: true },
  ]);
  sf.store.insert('Group', [{ Id: QUEUE, Name: 'Lead Intake', Type: 'Queue' }]);
  [contactOfPriya, contactOfIvan] = sf.store.insert('Contact', [
    { LastName: 'Ng', Email: 'Mei.Ng@Acme.com', OwnerId: PRIYA },
    { LastName: 'Old', Email: 'old@globex.de', OwnerId: IVAN },
    { LastName: 'Busy', Email: 'busy@hooli.xyz', OwnerId: CARA },
  ]) as [string, string];
  [leadOfPriya] = sf.store.insert('Lead', [
    { LastName: 'Prospect', Company: 'Initech', Email: 'pat@initech.example', OwnerId: PRIYA },
    { LastName: 'Queued', Company: 'Umbrella', Email: 'q@umbrella.example', OwnerId: QUEUE },
    { LastName: 'Won', Company: 'Soylent', Email: 'won@soylent.example', OwnerId: PRIYA, IsConverted: true },
  ]) as [string];
  table = await t.newTable();
  expect(await sync('full')).toMatchObject({
    lead: { mode: 'full', upserted: 2 },
    contact: { mode: 'full', upserted: 3 },
  });
});
afterAll(async () => {
  await sf?.close();
});

function sync(mode: 'full' | 'incremental') {
  const connection = () => salesforceConnection(emulatorConnectionOptions(sf));
  const index = new DynamoDuplicateIndex({ doc: t.doc, tableName: table });
  return syncDuplicateIndex(
    {
      sources: {
        lead: new SalesforcePersonSource(connection, 'lead'),
        contact: new SalesforcePersonSource(connection, 'contact'),
      },
      indexes: { lead: index.of('lead'), contact: index.of('contact') },
      now: () => clock,
      newId: randomUUID,
    },
    mode,
  );
}

/** Intake over a table of its own (its model) reading the shared duplicate index. */
async function intake(duplicates: string) {
  const own = await t.newTable();
  const deliver = await intakeOnModel({ doc: t.doc, table: own }, model(duplicates), {
    replaceableOwnerIds: [QUEUE],
    capacity: { defaults: { maxNew: 50, minInProgressRatio: 0 }, overrides: { [CARA]: { maxNew: 0 } } },
    findExistingRecord: existingRecordFinder(new DynamoDuplicateIndex({ doc: t.doc, tableName: table })),
  });
  const route = async (lead: Record<string, string>) => {
    expect(await deliver([{ OwnerId: QUEUE, ...lead }])).toBe(200);
    const { Item } = await t.doc.send(
      new GetCommand({ TableName: own, Key: { PK: `LEAD#${lead.Id}`, SK: 'ASSIGNMENT' } }),
    );
    return Item as { ownerId: string; reason: string };
  };
  return Object.assign(route, { table: own });
}

const newLeadId = (email: string) =>
  sf.store.insert('Lead', { LastName: 'New', Company: 'X', Email: email, OwnerId: QUEUE })[0]!;

describe('duplicate detection before routing', () => {
  it("gives a lead whose e-mail a contact has to the contact's owner, whatever the territory", async () => {
    const route = await intake(ON);
    const id = newLeadId(' mei.ng@ACME.com');
    const routed = await route({ Id: id, Company: 'Acme', Email: ' mei.ng@ACME.com' });
    expect(routed.ownerId).toBe(PRIYA);
    expect(routed.reason).toMatch(
      new RegExp(
        `^→ Priya Sharma: owns contact ${contactOfPriya} with the same e-mail; duplicate rule before territory "Everyone"`,
      ),
    );
  });

  it('gives a lead whose e-mail an open lead has to that lead’s owner, but never matches a lead with itself', async () => {
    const route = await intake(ON);
    const id = newLeadId('pat@initech.example');
    expect((await route({ Id: id, Email: 'pat@initech.example' })).reason).toContain(
      `→ Priya Sharma: owns lead ${leadOfPriya}`,
    );
    // The prospect itself redelivered (e.g. after an edit) is not its own duplicate.
    expect([ANA, BEN]).toContain((await route({ Id: leadOfPriya, Email: 'pat@initech.example' })).ownerId);
  });

  it('falls back to the territory, saying why, when the existing owner is inactive or at capacity', async () => {
    const route = await intake(ON);
    const inactive = await route({ Id: newLeadId('old@globex.de'), Email: 'old@globex.de' });
    expect([ANA, BEN]).toContain(inactive.ownerId);
    expect(inactive.reason).toContain(
      `skipped existing owner Ivan Inactive (owns contact ${contactOfIvan} with the same e-mail): inactive`,
    );
    const full = await route({ Id: newLeadId('busy@hooli.xyz'), Email: 'busy@hooli.xyz' });
    expect([ANA, BEN]).toContain(full.ownerId);
    expect(full.reason).toMatch(
      /skipped existing owner Cara Full \(owns contact 003\w+ with the same e-mail\): at capacity/,
    );
  });

  it('routes as usual when the model has no duplicate rule, and ignores converted and queue-owned leads', async () => {
    const off = await intake('');
    expect([ANA, BEN]).toContain(
      (await off({ Id: newLeadId('mei.ng@acme.com'), Email: 'mei.ng@acme.com' })).ownerId,
    );
    const on = await intake(ON);
    for (const email of ['won@soylent.example', 'q@umbrella.example'])
      expect([ANA, BEN]).toContain((await on({ Id: newLeadId(email), Email: email })).ownerId);
  });

  it('keeps only a hash of the e-mail, and follows conversions and deletions incrementally', async () => {
    const { Items = [] } = await t.doc.send(new ScanCommand({ TableName: table }));
    const stored = JSON.stringify(Items.filter((i) => String(i.PK).startsWith('PERSONS#')));
    expect(stored).not.toContain('@');
    expect(stored.toLowerCase()).not.toContain('acme');

    clock = new Date('2026-12-01T10:00:00Z');
    sf.store.update('Lead', leadOfPriya, { IsConverted: true });
    sf.store.delete('Contact', contactOfPriya);
    clock = new Date('2026-12-01T10:05:00Z');
    expect(await sync('incremental')).toMatchObject({
      lead: { mode: 'incremental' },
      contact: { mode: 'incremental', removed: 1 },
    });
    const route = await intake(ON);
    for (const email of ['mei.ng@acme.com', 'pat@initech.example'])
      expect([ANA, BEN]).toContain((await route({ Id: newLeadId(email), Email: email })).ownerId);
  });
});

describe('explain and simulate show the duplicate rule', () => {
  it('explain names the record with the same e-mail and its owner', async () => {
    const route = await intake(ON);
    const id = newLeadId('busy@hooli.xyz');
    await route({ Id: id, Email: 'busy@hooli.xyz' });
    const text = formatExplanation(
      await explainRecord(id, {
        trail: new DynamoDecisionTrail(t.doc, route.table),
        names: async () => new Map(),
      }),
    );
    expect(text).toMatch(
      /duplicate {2}contact 003\w+ has the same e-mail; its owner Cara Full \(005\w+\) was skipped: at capacity/,
    );
  });

  it('simulate matches file leads against the indexes and lists the account match and the duplicate outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duplicates-'));
    const draft = join(dir, 'draft.yaml');
    writeFileSync(
      draft,
      model(ON).replace('participants: [ana, ben] }', 'participants: [ana, ben], accountOwnerFirst: true }'),
    );
    const leads = join(dir, 'leads.csv');
    writeFileSync(
      leads,
      'Id,Company,Email\nL1,Hooli,busy@hooli.xyz\nL2,Acme,jo@acme.com\nL3,Nobody,x@gmail.com\nL4,Globex,old@globex.de\n',
    );
    await new DynamoAccountIndex({ doc: t.doc, tableName: table }).upsert([
      {
        id: toId18('001TR0000000001'),
        name: 'Acme Corporation',
        website: 'acme.com',
        ownerId: BEN,
        systemModstamp: '2026-11-01T00:00:00.000Z',
      },
    ]);
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...parts) => void out.push(parts.join(' ')));
    try {
      const db = ['--endpoint', t.db.endpoint, '--table', table];
      expect(await runCli(['territories', 'push', draft, ...db])).toBe(0);
      out.length = 0;
      expect(await runCli(['territories', 'simulate', '--leads', leads, ...db])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const text = out.join('\n');
    expect(text).toContain(
      'Draft account rules: 1 lead(s) matched an account; duplicate rule gave 1 to the existing owner, fell back for 1',
    );
    expect(text).toMatch(/L1: → Cara Full: owns contact 003\w+ with the same e-mail/);
    expect(text).toContain(`L4: existing owner Ivan Inactive of contact ${contactOfIvan} skipped: inactive`);
    expect(text).toMatch(/L2: account Acme Corporation \(001TR0000000001\w{3}\) confidence 0\.9\d*, domain/);
  });
});

describe('the duplicate rule in the territory model', () => {
  it('refuses an unknown kind with its line and column', () => {
    const result = validateTerritoryConfigText(model('duplicates:\n  match: [contact, leads]'));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems[0]).toMatchObject({ path: 'duplicates.match[1]', line: 14, column: 20 });
  });
});
