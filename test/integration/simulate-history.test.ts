import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { DynamoIntakeHistory } from '../../shared/adapters/dynamodb/intake-history.js';
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
const ontario = readFileSync(
  new URL('../../shared/local-stack/ontario-territories.yaml', import.meta.url),
  'utf8',
);
let table: string;

const leads = [
  {
    Id: leadId(1),
    FirstName: 'Ada',
    LastName: 'Lovelace',
    Email: 'ada@acme.example',
    Phone: '416-555-0100',
    Country: 'Canada',
    PostalCode: 'M5V 3L9',
    Company: 'Small Co',
  },
  {
    Id: leadId(2),
    FirstName: 'Alan',
    LastName: 'Turing',
    Email: 'alan@north.example',
    Country: 'Canada',
    PostalCode: 'P3E 4V2',
    Company: 'North Co',
  },
  {
    Id: leadId(3),
    FirstName: 'Grace',
    LastName: 'Hopper',
    Email: 'grace@east.example',
    Country: 'Canada',
    PostalCode: 'K1P 1J1',
    Company: 'East Co',
  },
];

beforeAll(async () => {
  table = await t.newTable();
  const store = new DynamoTerritoryStore({ doc: t.doc, tableName: table, modelId: 'default' });
  await ensureProductionModel({ store, postalCentroid, holidays: publicHolidays }, { text: ontario });
  const capacity = capacityConfigSchema.parse({ defaults: { minInProgressRatio: 0 } });
  const endpoint = outboundMessageEndpoint({
    ledger: new DynamoAssignmentLedger(t.doc, table),
    routing: productionRouting({ store, postalCentroid, holidays: publicHolidays }, capacity),
    replaceableOwnerIds: [toId18('00GTR0000000001')],
    now: () => new Date(),
    newId: randomUUID,
    acceptedOrgIds: [toId18(EMULATOR_ORG_ID)],
  });
  const res = await endpoint(
    outboundEvent(outboundEnvelope(leads), 'history-secret-0123456789'),
    'history-secret-0123456789',
  );
  expect(res.statusCode).toBe(200);
});

describe('replaying intake history against a draft', () => {
  it('keeps the rule attributes of routed leads but not who the person is', async () => {
    const history = await new DynamoIntakeHistory(t.doc, table).routedLeads({
      since: new Date(Date.now() - 3600_000),
      limit: 10,
    });
    expect(history.map((l) => l.Id).sort()).toEqual(leads.map((l) => l.Id).sort());
    const ada = history.find((l) => l.Id === leadId(1));
    expect(ada).toMatchObject({ PostalCode: 'M5V 3L9', Company: 'Small Co', Email: '@acme.example' });
    expect(ada).not.toHaveProperty('FirstName');
    expect(ada).not.toHaveProperty('Phone');
  });

  it('simulates a draft that moves the North over the recorded leads from the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'history-'));
    const draft = ontario.replace('participants: [rep10, rep06]', 'participants: [rep05]');
    expect(draft).not.toBe(ontario);
    const file = join(dir, 'draft.yaml');
    writeFileSync(file, draft);
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...parts) => void out.push(parts.join(' ')));
    try {
      const db = ['--endpoint', t.db.endpoint, '--table', table];
      expect(await runCli(['territories', 'push', file, ...db])).toBe(0);
      out.length = 0;
      expect(await runCli(['territories', 'simulate', '--history', '--json', ...db])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const report = JSON.parse(out.join('\n')) as { leads: number; ownerChanges: unknown[] };
    expect(report.leads).toBe(3);
    expect(JSON.stringify(report.ownerChanges)).toContain(leadId(2));
    expect(JSON.stringify(report.ownerChanges)).not.toContain(leadId(1));
  });

  it('asks for exactly one source of leads', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(
        await runCli(['territories', 'simulate', '--endpoint', t.db.endpoint, '--table', table]),
      ).not.toBe(0);
    } finally {
      err.mockRestore();
    }
  });
});
