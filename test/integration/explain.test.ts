import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { DynamoOwnerChangeAudit } from '../../shared/adapters/dynamodb/owner-change-audit.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';

const t = useDynamoDbLocal();
const LEAD = toId18('00QTR0000000123');
const QUEUE = toId18('00GTR0000000001');
const PRIYA = toId18('005TR0000000001');
const MEI = toId18('005TR0000000003');

async function explain(...args: string[]) {
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
      t.tableName,
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

  it('says so when nothing was recorded', async () => {
    const { code, out } = await explain(toId18('00QTR0000000999'));
    expect(code).toBe(0);
    expect(out).toContain('no decision recorded for this record');
  });
});
