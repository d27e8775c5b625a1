import { describe, expect, it } from 'vitest';
import { MalformedItemError } from '../../../shared/adapters/dynamodb/item-codec.js';
import * as items from '../../../shared/adapters/dynamodb/items.js';
import { gsi1 } from '../../../shared/adapters/dynamodb/keys.js';

const at = '2026-11-22T15:00:00.000Z';
const lead = '00QTR00000000012AA';
const rep = '005TR0000000001YAA';

/** One sample per item type: its key ids and attributes as an adapter writes them. */
const samples = [
  {
    codec: items.notificationItem,
    ids: ['N-1'],
    attributes: { outcome: 'assigned', leadId: lead, at, expiresAt: 1_800_000_000 },
  },
  {
    codec: items.assignmentItem,
    ids: [lead],
    attributes: {
      ownerId: rep,
      ownerKind: 'rep',
      territoryId: 'toronto-core',
      reason: 'Even rotation',
      source: 'intake',
      notificationId: 'N-1',
      changeId: 'c-1',
      at,
    },
  },
  {
    codec: items.repCountersItem,
    ids: [rep],
    attributes: {
      openLeads: 3,
      newLeads: 2,
      inProgressLeads: 1,
      newLimitByRatio: 4,
      pending: 1,
      recentlyGiven: 1,
      reconciledAt: at,
    },
  },
  {
    codec: items.heldLeadItem,
    ids: [lead],
    attributes: {
      leadId: lead,
      territoryId: 'toronto-core',
      reason: '⏸ held in Toronto Core: nobody on shift',
      heldAt: at,
      previousOwnerId: rep,
      notificationId: 'N-1',
      fields: { PostalCode: 'M5V 3L9', Email: null },
    },
  },
  {
    codec: items.repPeriodItem,
    ids: [rep, 'day:2026-12-02'],
    attributes: { given: 3, expiresAt: 1_800_000_000 },
  },
  {
    codec: items.distributionStateItem,
    ids: ['toronto-core'],
    attributes: { version: 3, state: { turns: { rotation: 2 }, counts: { total: 2 } }, updatedAt: at },
  },
  {
    codec: items.auditItem,
    ids: [lead, at, 'c-1'],
    attributes: {
      recordId: lead,
      objectType: 'Lead',
      before: null,
      after: rep,
      reason: 'Even rotation',
      source: 'intake',
      at,
      trace: { evaluated: 3 },
      routedLead: { PostalCode: 'M5V 3L9', Company: null },
    },
  },
  {
    codec: items.repMoveHistoryItem,
    ids: [rep, '2026-12-01', '001TR0000000001AAA', 'r-1'],
    attributes: {
      repId: rep,
      recordId: '001TR0000000001AAA',
      objectType: 'Account',
      fromOwnerId: rep,
      toOwnerId: '005TR0000000002YAA',
      effectiveDate: '2026-12-01',
      requestId: 'r-1',
    },
  },
  {
    codec: items.outboxItem,
    ids: [lead, 'c-1'],
    attributes: {
      recordId: lead,
      objectType: 'Lead',
      ownerId: rep,
      ownerKind: 'rep',
      reason: 'Even rotation',
      source: 'intake',
      replaceableOwnerIds: ['00GTR0000000001AAA'],
      status: 'pending',
      attempts: 0,
      enqueuedAt: at,
    },
  },
  {
    codec: items.leaseItem,
    ids: ['top-up'],
    attributes: { holder: 'run-1', acquiredAt: at, leaseUntil: 1_764_000_000_000, expiresAt: 1_764_003_600 },
  },
  {
    codec: items.topUpRunItem,
    ids: [at, 'run-1'],
    attributes: { summary: { runId: 'run-1', planned: 3 }, expiresAt: 1_800_000_000 },
  },
  {
    codec: items.territoryDraftItem,
    ids: ['default'],
    attributes: {
      kind: 'TerritoryDraft',
      model: new Uint8Array([31, 139, 8]),
      checksum: 'abc',
      territories: 9,
      revision: 2,
      savedAt: at,
      savedBy: null,
    },
  },
  {
    codec: items.territoryPointerItem,
    ids: ['default'],
    attributes: { kind: 'TerritoryPointer', version: 2, latestVersion: 3, updatedAt: at, action: 'rollback' },
  },
  {
    codec: items.territoryVersionItem,
    ids: ['default', 3],
    attributes: {
      kind: 'TerritoryVersion',
      version: 3,
      model: new Uint8Array([31, 139, 8]),
      checksum: 'abc',
      territories: 9,
      promotedAt: at,
      draftRevision: 2,
      note: 'first',
    },
  },
  {
    codec: items.reassignmentItem,
    ids: ['r-1'],
    attributes: {
      id: 'r-1',
      requestedBy: rep,
      submittedBy: 'api-key',
      label: 'Q1 realignment',
      submittedAt: at,
      moveCount: 2,
      status: 'scheduled',
      updatedAt: at,
      plan: { mode: 'collections', batchIds: ['b00001'], plannedAt: at },
    },
  },
  {
    codec: items.reassignmentMovesItem,
    ids: ['r-1', 0],
    attributes: { moves: [{ row: 1, recordId: lead }] },
  },
  {
    codec: items.reassignmentBatchItem,
    ids: ['r-1', 'b00001'],
    attributes: {
      batchId: 'b00001',
      status: 'pending',
      attempt: 0,
      leaseUntil: 0,
      parts: 1,
      size: 2,
      objectType: 'Account',
    },
  },
  {
    codec: items.reassignmentBatchPartItem,
    ids: ['r-1', 'b00001', 0],
    attributes: { moves: [{ row: 1, recordId: lead }] },
  },
  {
    codec: items.approvalItem,
    ids: ['a-1'],
    attributes: {
      approvalId: 'a-1',
      requestId: 'r-1',
      role: 'vp',
      approvers: [{ id: rep, name: 'Vera' }],
      reasons: ['Moves 40% of a book'],
      recordCount: 2,
      status: 'pending',
      createdAt: at,
    },
  },
  {
    codec: items.approvalTokenUseItem,
    ids: ['a-1', 'nonce'],
    attributes: { usedAt: at, expiresAt: 1_800_000_000 },
  },
  {
    codec: items.slaClockItem,
    ids: [lead, 'c-1'],
    attributes: {
      leadId: lead,
      changeId: 'c-1',
      ownerId: rep,
      territoryId: 'toronto',
      assignedAt: at,
      warnAt: '2026-11-22T15:15:00.000Z',
      dueAt: '2026-11-22T15:30:00.000Z',
      warned: false,
      reroutes: 1,
      previousOwners: ['005TR0000000002YAA'],
      policy: { firstTouchMinutes: 30, warnAt: 0.5, maxReroutes: 2, escalateTo: { to: 'manager' } },
      routedLead: { PostalCode: 'M5V 3L9' },
      status: 'touched',
      closedAt: '2026-11-22T15:12:00.000Z',
      breached: false,
      touchedAt: '2026-11-22T15:10:00.000Z',
      touchedBy: 'status',
      speedMinutes: 10,
    },
  },
] as const;

type AnyCodec = {
  name: string;
  key: (...ids: never[]) => { PK: string; SK: string };
  toItem: (ids: never, attributes: never, index?: never) => Record<string, unknown>;
  fromItem: (item: Record<string, unknown> | undefined) => Record<string, unknown>;
};
const cases = samples.map((s) => ({ name: s.codec.name, ...s, codec: s.codec as unknown as AnyCodec }));

describe('item codecs', () => {
  it('declares every item type of the module in these round-trip cases', () => {
    const declared = Object.values(items).filter((v) => typeof v === 'object' && v !== null && 'toItem' in v);
    expect(cases.map((c) => c.codec)).toEqual(expect.arrayContaining(declared));
    expect(cases).toHaveLength(declared.length);
  });

  it.each(cases)(
    'round-trips a $name: key from keys.ts, attributes as written',
    ({ codec, ids, attributes }) => {
      const item = codec.toItem(ids as never, attributes as never);
      expect(item).toMatchObject(codec.key(...(ids as unknown as never[])));
      expect(codec.fromItem(item)).toEqual({ ...item });
      expect(codec.fromItem(item)).toMatchObject(attributes);
    },
  );

  it.each(cases)(
    'refuses a stored $name with a missing attribute, naming it',
    ({ codec, ids, attributes }) => {
      const item = codec.toItem(ids as never, attributes as never);
      const required = Object.keys(attributes).find((name) => {
        const { [name]: _, ...rest } = item;
        try {
          codec.fromItem(rest);
          return false;
        } catch {
          return true;
        }
      });
      if (!required) return; // every attribute has a default (rep counters)
      const { [required]: _, ...broken } = item;
      expect(() => codec.fromItem(broken)).toThrow(MalformedItemError);
      expect(() => codec.fromItem(broken)).toThrow(new RegExp(`${codec.name}.*${required}`));
    },
  );

  it('refuses to write attributes that do not match the declaration', () => {
    expect(() =>
      items.outboxItem.toItem([lead, 'c-1'], {
        ...(samples[8].attributes as object),
        status: 'sent',
      } as never),
    ).toThrow(/Refusing to write outbox item OUTBOX#00QTR00000000012AA \/ c-1: status/);
  });

  it('refuses a malformed item with the key and the attribute at fault', () => {
    const stored = { PK: `LEAD#${lead}`, SK: 'ASSIGNMENT', ownerId: 42, ownerKind: 'rep' };
    expect(() => items.assignmentItem.fromItem(stored)).toThrow(MalformedItemError);
    expect(() => items.assignmentItem.fromItem(stored)).toThrow(
      /Malformed lead assignment LEAD#00QTR00000000012AA \/ ASSIGNMENT: ownerId: .*string/,
    );
  });

  it('refuses a missing item instead of reading it as empty', () => {
    expect(() => items.leaseItem.fromItem(undefined)).toThrow(/Expected run lease, found no item/);
  });

  it('fills the defaults a counter item written by update expressions may lack', () => {
    expect(items.repCountersItem.fromItem({ PK: `REP#${rep}`, SK: 'REP', openLeads: 2 })).toMatchObject({
      openLeads: 2,
      newLeads: 0,
      pending: 0,
    });
  });

  it('writes index keys beside the item key', () => {
    const item = items.notificationItem.toItem(
      ['N-2'],
      { outcome: 'quarantined', reason: 'Not a lead id', at, expiresAt: 1 },
      gsi1.quarantined(at, 'N-2'),
    );
    expect(item).toMatchObject({ GSI1PK: 'QUARANTINE', GSI1SK: `${at}#N-2` });
  });

  it('reads a projection without the large attributes', () => {
    const summary = items.territoryVersionItem.picking('version', 'checksum');
    expect(summary.input.ProjectionExpression).toBe('#p0, #p1, #p2, #p3');
    expect(Object.values(summary.input.ExpressionAttributeNames)).toEqual([
      'PK',
      'SK',
      'version',
      'checksum',
    ]);
    expect(
      summary.fromItem({ PK: 'MODEL#default', SK: 'VERSION#00000003', version: 3, checksum: 'abc' }),
    ).toEqual({
      PK: 'MODEL#default',
      SK: 'VERSION#00000003',
      version: 3,
      checksum: 'abc',
    });
  });
});
