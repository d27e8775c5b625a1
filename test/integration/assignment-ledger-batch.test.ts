import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { assignNotifications } from '../../shared/application/intake/assign-notifications.js';
import { localDynamoClient } from '../../shared/local-stack/dynamodb-local.js';
import { type AssignmentWrite, StorageLimitError } from '../../shared/ports/assignment-ledger.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { rotationRouter } from '../support/fake-router.js';
import { leadId as validLeadId } from '../support/outbound-messages.js';

const t = useDynamoDbLocal();

const REP = '005000000000001AAA';
const QUEUE = '00G000000000001AAA';
const leadId = (n: number) => `00Q${String(n).padStart(12, '0')}AAA`;

/** One of several leads given to REP in one batch; the decision read `seen` new leads before the first. */
function write(n: number, seen: number, maxNew = 10): AssignmentWrite {
  return {
    notificationId: `04l${String(n).padStart(12, '0')}AAA`,
    leadId: leadId(n),
    previousOwnerId: QUEUE,
    ownerId: REP,
    ownerKind: 'rep',
    territoryId: 'toronto-core',
    reason: `→ Priya Sharma, Toronto Core, even rotation (${n})`,
    trace: {},
    source: 'intake',
    capacity: { maxOpen: 50, maxNew, initialNewLimitByRatio: maxNew },
    newLeadsSeen: seen,
    distribution: {
      territoryId: 'toronto-core',
      expectedVersion: 0,
      nextState: { turns: { core: n }, counts: { total: n } },
    },
    replaceableOwnerIds: [QUEUE],
    at: '2026-11-24T15:00:00.000Z',
    changeId: `c-${n}`,
  };
}

async function setCounters(table: string, c: Record<string, number>) {
  await t.doc.send(new PutCommand({ TableName: table, Item: { ...keys.rep(REP), ...c } }));
}

describe('several assignments in one transaction', () => {
  it('writes every lead, counts them once on the rep and moves the rotation once', async () => {
    const table = await t.newTable();
    const ledger = new DynamoAssignmentLedger(t.doc, table);
    await setCounters(table, { openLeads: 4, newLeads: 4, inProgressLeads: 10, newLimitByRatio: 9 });
    const result = await ledger.recordAssignments([write(1, 4), write(2, 5), write(3, 6)]);
    expect(result).toEqual({ ok: true });
    const counters = (await ledger.repCounters([REP])).get(REP);
    expect(counters).toMatchObject({ openLeads: 7, newLeads: 7, pending: 3 });
    const rotation = (await ledger.distributionSnapshots(['toronto-core'])).get('toronto-core');
    // One version step for the batch, with the state the last decision left.
    expect(rotation).toMatchObject({ version: 1, state: { turns: { core: 3 }, counts: { total: 3 } } });
    const prior = await ledger.priorDeliveries([], [leadId(1), leadId(2), leadId(3)]);
    expect([...prior.leads.values()]).toEqual([REP, REP, REP]);
  });

  it('refuses the whole batch when the last lead would pass the new-lead cap, and writes nothing', async () => {
    const table = await t.newTable();
    const ledger = new DynamoAssignmentLedger(t.doc, table);
    // maxNew 10: 8 + 3 = 11.
    await setCounters(table, { openLeads: 8, newLeads: 8, inProgressLeads: 30, newLimitByRatio: 20 });
    const result = await ledger.recordAssignments([write(1, 8), write(2, 9), write(3, 10)]);
    expect(result).toMatchObject({ ok: false, conflict: 'capacity' });
    expect((await ledger.repCounters([REP])).get(REP)).toMatchObject({ newLeads: 8 });
    expect((await ledger.priorDeliveries([], [leadId(1)])).leads.size).toBe(0);
  });

  it('refuses when the in-progress ratio allows fewer new leads than the batch gives', async () => {
    const table = await t.newTable();
    const ledger = new DynamoAssignmentLedger(t.doc, table);
    // The ratio rule lets the rep hold new leads while newLeads <= 5: 4 and 5 pass, a third would not.
    await setCounters(table, { openLeads: 4, newLeads: 4, inProgressLeads: 10, newLimitByRatio: 5 });
    expect(await ledger.recordAssignments([write(1, 4), write(2, 5), write(3, 6)])).toMatchObject({
      ok: false,
      conflict: 'capacity',
    });
    expect(await ledger.recordAssignments([write(1, 4), write(2, 5)])).toEqual({ ok: true });
  });

  it('refuses when a concurrent writer gave the rep a lead after the decision read its counters', async () => {
    const table = await t.newTable();
    const ledger = new DynamoAssignmentLedger(t.doc, table);
    await setCounters(table, { openLeads: 4, newLeads: 4, inProgressLeads: 10, newLimitByRatio: 6 });
    // Decided from newLeads 4 (room for 3 under the ratio limit 6); meanwhile the store moved to 5.
    await setCounters(table, { openLeads: 5, newLeads: 5, inProgressLeads: 10, newLimitByRatio: 6 });
    expect(await ledger.recordAssignments([write(1, 4), write(2, 5), write(3, 6)])).toMatchObject({
      ok: false,
      conflict: 'capacity',
    });
  });

  it('accepts a count that grew meanwhile when the ratio bound is no tighter than the new-lead cap', async () => {
    const table = await t.newTable();
    const ledger = new DynamoAssignmentLedger(t.doc, table);
    // Decided from 4; another territory's lead made it 5. maxNew 10 covers the ratio bound of 50: 5 + 3 <= 10.
    await setCounters(table, { openLeads: 5, newLeads: 5, inProgressLeads: 90, newLimitByRatio: 50 });
    expect(await ledger.recordAssignments([write(1, 4), write(2, 5), write(3, 6)])).toEqual({ ok: true });
    expect((await ledger.repCounters([REP])).get(REP)).toMatchObject({ newLeads: 8 });
  });

  it("refuses a batch that would pass the rep's daily cap, naming the cap, and accepts one that fits", async () => {
    const ledger = new DynamoAssignmentLedger(t.doc, await t.newTable());
    const day = {
      period: 'day' as const,
      id: 'day:2026-11-24',
      max: 4,
      label: 'Tue 2026-11-24 America/Toronto',
      endsAtMs: Date.parse('2026-11-25T05:00:00Z'),
    };
    const capped = (n: number, seen: number) => {
      const w = write(n, seen);
      return { ...w, capacity: { ...w.capacity!, periods: [day] } };
    };
    expect(await ledger.recordAssignments([capped(1, 0), capped(2, 1)])).toEqual({ ok: true });
    // Two given today, cap 4: three more would make five.
    const over = await ledger.recordAssignments([
      { ...capped(3, 2), distribution: undefined },
      { ...capped(4, 3), distribution: undefined },
      { ...capped(5, 4), distribution: undefined },
    ]);
    expect(over).toMatchObject({ ok: false, conflict: 'capacity', periodCap: { id: 'day:2026-11-24' } });
    expect(
      await ledger.recordAssignments([
        { ...capped(3, 2), distribution: undefined },
        { ...capped(4, 3), distribution: undefined },
      ]),
    ).toEqual({ ok: true });
    const given = await ledger.repCounters([REP], new Map([[REP, [day.id]]]));
    expect(given.get(REP)?.periodGiven).toEqual({ 'day:2026-11-24': 4 });
  });

  it("returns the winner's rotation when another writer moved the territory first", async () => {
    const table = await t.newTable();
    const ledger = new DynamoAssignmentLedger(t.doc, table);
    expect(await ledger.recordAssignments([write(1, 0)])).toEqual({ ok: true });
    const result = await ledger.recordAssignments([write(2, 1), write(3, 2)]);
    expect(result).toMatchObject({
      ok: false,
      conflict: 'distribution-changed',
      current: { territoryId: 'toronto-core', version: 1, state: { turns: { core: 1 } } },
    });
  });

  it('refuses, before sending, a batch over the 100 items of one transaction', async () => {
    const ledger = new DynamoAssignmentLedger(t.doc, await t.newTable());
    const many = Array.from({ length: 30 }, (_, i) => write(i + 1, i, 100));
    await expect(ledger.recordAssignments(many)).rejects.toThrow(
      /over DynamoDB's limits for one transaction/,
    );
  });
});

describe('intake writes the leads of one territory a batch at a time', () => {
  const reps = ['005000000000001AAA', '005000000000002AAA', '005000000000003AAA'];
  const notifications = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      notificationId: `04l${String(from + i).padStart(12, '0')}AAA`,
      objectType: 'Lead',
      fields: { Id: validLeadId(from + i), PostalCode: 'M5V 3L9', OwnerId: QUEUE },
    }));

  /** A real ledger whose batches are counted (each is one transaction). */
  function countingLedger(table: string) {
    const real = new DynamoAssignmentLedger(t.doc, table);
    const batches: number[] = [];
    const ledger = Object.assign(Object.create(real) as DynamoAssignmentLedger, {
      recordAssignments: async (ws: readonly AssignmentWrite[]) => {
        batches.push(ws.length);
        return real.recordAssignments(ws);
      },
    });
    return { ledger, batches };
  }

  it('records 30 leads in three transactions, in the rotation one-by-one writing would give', async () => {
    const table = await t.newTable();
    const { ledger, batches } = countingLedger(table);
    const routing = async () => rotationRouter({ reps, defaultOwnerId: QUEUE, maxNew: 100 });
    let n = 0;
    const outcomes = await assignNotifications(notifications(100, 30), [], {
      ledger,
      routing,
      replaceableOwnerIds: [QUEUE],
      now: () => new Date('2026-11-24T15:00:00Z'),
      newId: () => `c-${++n}`,
    });
    expect(batches).toEqual([10, 10, 10]);
    expect(outcomes.map((o) => (o.kind === 'assigned' ? o.ownerId : o.kind))).toEqual(
      Array.from({ length: 30 }, (_, i) => reps[i % 3]),
    );
    const counters = await ledger.repCounters(reps);
    expect(reps.map((r) => counters.get(r)?.newLeads)).toEqual([10, 10, 10]);
  });

  it('never passes a cap: a rep filled by a concurrent writer refuses the batch and the leads go one by one', async () => {
    const table = await t.newTable();
    const { ledger, batches } = countingLedger(table);
    const [full] = reps;
    // The decision reads 0 new leads for the first rep; the store already holds its maximum of 4.
    const stale = Object.assign(Object.create(ledger) as DynamoAssignmentLedger, {
      repCounters: async () => new Map(),
    });
    await setCountersOf(table, full as string, {
      openLeads: 4,
      newLeads: 4,
      inProgressLeads: 0,
      newLimitByRatio: 99,
    });
    let n = 0;
    const outcomes = await assignNotifications(notifications(200, 9), [], {
      ledger: stale,
      routing: async () => rotationRouter({ reps, defaultOwnerId: QUEUE, maxNew: 4 }),
      replaceableOwnerIds: [QUEUE],
      now: () => new Date('2026-11-24T15:00:00Z'),
      newId: () => `c-${++n}`,
    });
    expect(outcomes.filter((o) => o.kind === 'assigned' && o.ownerId === full)).toHaveLength(0);
    expect(outcomes.filter((o) => o.kind === 'assigned')).toHaveLength(9);
    expect(batches[0]).toBe(9);
    const counters = await ledger.repCounters(reps);
    expect(counters.get(full as string)?.newLeads).toBe(4);
    expect(
      reps
        .slice(1)
        .map((r) => counters.get(r)?.newLeads ?? 0)
        .every((c) => c <= 4),
    ).toBe(true);
  });
});

async function setCountersOf(table: string, repId: string, c: Record<string, number>) {
  await t.doc.send(new PutCommand({ TableName: table, Item: { ...keys.rep(repId), ...c } }));
}

describe('calls made at the same moment share transactions', () => {
  /** A lead of `territory` for `rep`, the territory's rotation moved from version 0. */
  function writeFor(n: number, rep: string, territory: string): AssignmentWrite {
    const w = write(n, 0, 1000);
    return {
      ...w,
      ownerId: rep,
      territoryId: territory,
      capacity: { maxOpen: 1000, maxNew: 1000, initialNewLimitByRatio: 1000 },
      distribution: {
        territoryId: territory,
        expectedVersion: 0,
        nextState: { turns: {}, counts: { total: 1 } },
      },
    };
  }
  const rep = (n: number) => `005${String(n).padStart(12, '0')}AAA`;

  function countingLedger(table: string) {
    const sent = { transactions: 0 };
    const client = localDynamoClient(t.db.endpoint);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') sent.transactions++;
        return next(args);
      },
      { step: 'initialize', name: 'countTransactions' },
    );
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    return { ledger: new DynamoAssignmentLedger(doc, table), sent, close: () => client.destroy() };
  }

  it('packs calls of different territories and reps into one transaction, each as if sent alone', async () => {
    const table = await t.newTable();
    const { ledger, sent, close } = countingLedger(table);
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => ledger.recordAssignments([writeFor(n, rep(n), `territory-${n}`)])),
    );
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: true }]);
    expect(sent.transactions).toBe(1);
    const prior = await ledger.priorDeliveries([], [1, 2, 3, 4].map(leadId));
    expect([...prior.leads.values()]).toEqual([1, 2, 3, 4].map(rep));
    const rotations = await ledger.distributionSnapshots([1, 2, 3, 4].map((n) => `territory-${n}`));
    expect([...rotations.values()].map((r) => r.version)).toEqual([1, 1, 1, 1]);
    close();
  });

  it('never packs two calls that touch the same item (one rep, one rotation): DynamoDB refuses that', async () => {
    const table = await t.newTable();
    const { ledger, sent, close } = countingLedger(table);
    // Same rep in two territories: its counter item would appear twice in one transaction.
    const results = await Promise.all([
      ledger.recordAssignments([writeFor(1, rep(1), 'territory-a')]),
      ledger.recordAssignments([writeFor(2, rep(1), 'territory-b')]),
    ]);
    // The second waits for the first instead of racing it into a conflict.
    expect(results).toEqual([{ ok: true }, { ok: true }]);
    expect(sent.transactions).toBe(2);
    expect((await ledger.repCounters([rep(1)])).get(rep(1))).toMatchObject({ openLeads: 2, newLeads: 2 });
    close();
  });

  it('a refused call in a packed transaction gets its refusal; the calls packed with it are written', async () => {
    const table = await t.newTable();
    const { ledger, sent, close } = countingLedger(table);
    expect(await ledger.recordAssignments([writeFor(1, rep(1), 'territory-1')])).toEqual({ ok: true });
    sent.transactions = 0;
    const again = { ...writeFor(1, rep(9), 'territory-9'), notificationId: '04l000000000099AAA' };
    const results = await Promise.all([
      ledger.recordAssignments([writeFor(2, rep(2), 'territory-2')]),
      // Lead 1 is assigned already: this call's condition fails, so the packed transaction is refused.
      ledger.recordAssignments([again]),
      ledger.recordAssignments([writeFor(3, rep(3), 'territory-3')]),
    ]);
    expect(results[0]).toEqual({ ok: true });
    expect(results[1]).toMatchObject({ ok: false, conflict: 'lead-already-assigned' });
    expect(results[2]).toEqual({ ok: true });
    // The packed attempt, then each call alone.
    expect(sent.transactions).toBe(4);
    const prior = await ledger.priorDeliveries([], [1, 2, 3].map(leadId));
    expect([...prior.leads.values()]).toEqual([rep(1), rep(2), rep(3)]);
    expect((await ledger.repCounters([rep(9)])).get(rep(9))?.openLeads ?? 0).toBe(0);
    close();
  });

  it('a call over the transaction limits fails alone; the others are written', async () => {
    const table = await t.newTable();
    const { ledger, close } = countingLedger(table);
    const tooMany = Array.from({ length: 30 }, (_, i) => writeFor(100 + i, rep(5), 'territory-5'));
    const [big, small] = await Promise.allSettled([
      ledger.recordAssignments(tooMany),
      ledger.recordAssignments([writeFor(6, rep(6), 'territory-6')]),
    ]);
    expect(big.status === 'rejected' && big.reason).toBeInstanceOf(StorageLimitError);
    expect(small).toEqual({ status: 'fulfilled', value: { ok: true } });
    close();
  });
});
