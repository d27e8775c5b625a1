import { readFileSync } from 'node:fs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { DynamoOwnerChangeAudit } from '../../shared/adapters/dynamodb/owner-change-audit.js';
import { DynamoTerritoryStore } from '../../shared/adapters/dynamodb/territory-store.js';
import { publicHolidays } from '../../shared/adapters/holidays/public-holidays.js';
import { postalCentroid } from '../../shared/adapters/postal/centroids.js';
import { assignNotifications } from '../../shared/application/intake/assign-notifications.js';
import { productionRouting } from '../../shared/application/routing/production-routing.js';
import { ensureProductionModel } from '../../shared/application/territories/publish.js';
import { capacityConfigSchema } from '../../shared/domain/capacity/capacity.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';

const t = useDynamoDbLocal();
const LEAD = toId18('00QTR0000000123');
const QUEUE = toId18('00GTR0000000001');
const PRIYA = toId18('005TR0000000001');
const MEI = toId18('005TR0000000003');

async function explain(...args: string[]) {
  return explainIn(t.tableName, ...args);
}

async function explainIn(table: string, ...args: string[]) {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...p) => void out.push(p.join(' ')));
  try {
    const code = await runCli([
      'explain',
      ...args,
      '--offline',
      '--endpoint',
      t.db.endpoint,
      '--table',
      table,
    ]);
    return { code, out: out.join('\n') };
  } finally {
    log.mockRestore();
    process.exitCode = undefined;
  }
}

describe('territory-router explain against DynamoDB Local', { timeout: 180_000 }, () => {
  it('shows every decision about a lead in order: intake with its trace, then a reassignment with approvers', async () => {
    const ledger = new DynamoAssignmentLedger(t.doc, t.tableName);
    const intake = await ledger.recordAssignment({
      notificationId: 'n-1',
      leadId: LEAD,
      previousOwnerId: QUEUE,
      ownerId: PRIYA,
      ownerKind: 'rep',
      territoryId: 'toronto-core',
      reason: '→ Priya Sharma, Toronto Core, even rotation; skipped Joe Tremblay: at capacity',
      trace: {
        territory: {
          id: 'toronto-core',
          name: 'Toronto Core',
          priority: 2,
          path: ['Canada', 'Ontario', 'GTA'],
          matchedBy: ['PostalCode starts with "M5"'],
        },
        method: 'even',
        selection: 'Even rotation',
        skipped: [
          { repId: 'x', repName: 'Joe Tremblay', reason: 'no-headroom', detail: 'at capacity', headroom: 0 },
        ],
        groups: [],
      },
      source: 'intake',
      capacity: { maxOpen: 250, maxNew: 40, initialNewLimitByRatio: 1000 },
      replaceableOwnerIds: [QUEUE],
      at: '2026-11-24T15:00:00.000Z',
      changeId: 'c-1',
    });
    expect(intake.ok).toBe(true);
    await new DynamoOwnerChangeAudit(t.doc, t.tableName).record([
      {
        recordId: LEAD,
        objectType: 'Lead',
        before: PRIYA,
        after: MEI,
        reason: '→ Mei Chen, reassigned: FY2027 Territory Planning; approved by VP Sales',
        requestId: 'r-1',
        requestedBy: 'Dana',
        approvedBy: ['VP Sales'],
        effectiveOn: '2027-01-24',
        at: '2026-11-25T10:00:00.000Z',
      },
    ] as never);
    await ledger.recordQuarantine(
      'n-bad',
      LEAD,
      'Notification field Company is repeated',
      '2026-11-24T14:59:00.000Z',
    );

    const text = await explain(LEAD);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/1\. 2026-11-24T15:00:00.000Z\s+intake/);
    expect(text.out).toMatch(/territory\s+Toronto Core \(priority 2; Canada > Ontario > GTA\)/);
    expect(text.out).toMatch(/matched\s+PostalCode starts with "M5"/);
    expect(text.out).toMatch(/skipped\s+Joe Tremblay: at capacity \(headroom 0\)/);
    expect(text.out).toMatch(/2\. 2026-11-25T10:00:00.000Z\s+reassign \(request r-1\)/);
    expect(text.out).toMatch(/approved\s+VP Sales/);
    expect(text.out).toMatch(
      /Quarantined notifications\n\s+2026-11-24T14:59:00.000Z\s+n-bad: Notification field Company is repeated/,
    );
    expect(text.out.indexOf('intake')).toBeLessThan(text.out.indexOf('reassign'));

    const json = JSON.parse((await explain(LEAD, '--json')).out);
    expect(json.decisions.map((d: { source: string }) => d.source)).toEqual(['intake', 'reassign']);
    expect(json.writeBacks).toEqual([expect.objectContaining({ ownerId: PRIYA, status: 'pending' })]);
  });

  it('shows what intake decided as it was: the rep the database accepted, the one it refused, counters against caps', async () => {
    const table = await t.newTable();
    const store = new DynamoTerritoryStore({ doc: t.doc, tableName: table });
    const ontario = readFileSync(
      new URL('../../shared/local-stack/ontario-territories.yaml', import.meta.url),
      'utf8',
    );
    await ensureProductionModel({ store, postalCentroid, holidays: publicHolidays }, { text: ontario });
    const capacity = capacityConfigSchema.parse({ defaults: { maxNew: 5 } });
    const routing = productionRouting({ store, postalCentroid, holidays: publicHolidays }, capacity);
    const router = await routing();
    const now = new Date('2026-11-24T15:00:00Z');
    const fields = {
      Id: toId18('00QTR0000000456'),
      OwnerId: QUEUE,
      Country: 'Canada',
      PostalCode: 'M5V 3L9',
    };
    // The rotation's first choice is full in the database, but the counters intake read are stale
    // (a concurrent assignment filled the rep): the database refuses, the next rep takes the lead.
    const [first, second] = router.decide(fields, {
      snapshot: undefined,
      counters: new Map(),
      now,
    }).candidates;
    expect(first && second).toBeTruthy();
    const counter = (repId: string, c: Record<string, number>) =>
      t.doc.send(new PutCommand({ TableName: table, Item: { ...keys.rep(repId), ...c } }));
    await counter(first!.repId, { openLeads: 20, newLeads: 5, inProgressLeads: 15, newLimitByRatio: 12 });
    await counter(second!.repId, { openLeads: 12, newLeads: 2, inProgressLeads: 10, newLimitByRatio: 8 });
    const real = new DynamoAssignmentLedger(t.doc, table);
    const ledger = Object.assign(Object.create(real) as DynamoAssignmentLedger, {
      repCounters: async (ids: string[]) => {
        const known = await real.repCounters(ids);
        known.delete(first!.repId);
        return known;
      },
    });
    let n = 0;
    const [outcome] = await assignNotifications(
      [{ notificationId: 'n-intake', objectType: 'Lead', fields }],
      [],
      { ledger, routing, replaceableOwnerIds: [QUEUE], now: () => now, newId: () => `c-${++n}` },
    );
    expect(outcome).toMatchObject({ kind: 'assigned', ownerId: second!.repId });
    expect(outcome?.kind === 'assigned' && outcome.reason).toMatch(
      new RegExp(
        `^→ ${second!.repName}, Toronto Core, even rotation; .*skipped ${first!.repName}: at capacity$`,
      ),
    );

    const { code, out } = await explainIn(table, fields.Id);
    expect(code).toBe(0);
    expect(out).toMatch(/1\. 2026-11-24T15:00:00.000Z\s+intake/);
    expect(out).toMatch(/territory\s+Toronto Core \(priority 2; Canada > Ontario > GTA\)/);
    expect(out).toMatch(/matched\s+.*PostalCode/);
    expect(out).toContain(`owner      ${QUEUE} → ${second!.repId} (${second!.repId})`);
    expect(out).toMatch(new RegExp(`refused\\s+${first!.repName}: at capacity when written`));
    expect(out).toContain(
      `counters   ${second!.repName}: 12/250 open, 2/5 new, 10 in progress (ratio allows 8 new), headroom 3`,
    );
    // What intake read for the refused rep (nothing: stale), not what the database held.
    expect(out).toContain(
      `counters   ${first!.repName}: 0/250 open, 0/5 new, 0 in progress (ratio allows 0 new), headroom 1`,
    );
    expect(out).toMatch(/Write-back to Salesforce\n\s+2026-11-24T15:00:00.000Z\s+\S+: pending/);

    const json = JSON.parse((await explainIn(table, fields.Id, '--json')).out);
    expect(json.decisions[0].trace.chosen).toMatchObject({ repId: second!.repId });
    expect(json.decisions[0].trace.refused).toEqual([expect.objectContaining({ repId: first!.repId })]);
  });

  it('says so when nothing was recorded', async () => {
    const { code, out } = await explain(toId18('00QTR0000000999'));
    expect(code).toBe(0);
    expect(out).toContain('no decision recorded for this record');
  });
});
