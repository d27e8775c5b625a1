import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { DynamoTerritoryStore } from '../../shared/adapters/dynamodb/territory-store.js';
import { publicHolidays } from '../../shared/adapters/holidays/public-holidays.js';
import { productionModelProvider } from '../../shared/application/territories/production-model.js';
import {
  ensureProductionModel,
  listTerritoryVersions,
  promoteDraft,
  pushDraft,
  rollbackProduction,
} from '../../shared/application/territories/publish.js';
import { diffTerritoryModels, simulateDraft } from '../../shared/application/territories/review.js';
import type { TerritoryModel } from '../../shared/domain/territory/model.js';
import {
  DraftConflictError,
  NoDraftError,
  NothingToPromoteError,
  PromoteConflictError,
  RollbackConflictError,
  VersionNotFoundError,
} from '../../shared/ports/territory-store.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { lookup } from '../unit/territory/fixtures.js';

const t = useDynamoDbLocal();
const ontario = readFileSync(
  new URL('../../shared/local-stack/ontario-territories.yaml', import.meta.url),
  'utf8',
);

/** A store on a fresh table, so each test starts with no draft and no versions. */
async function freshStore(options: { clock?: () => number; pointerTtlMs?: number } = {}) {
  const tableName = await t.newTable();
  const store = new DynamoTerritoryStore({ doc: t.doc, tableName, modelId: 'ontario', ...options });
  return { store, tableName, deps: { store, postalCentroid: lookup, holidays: publicHolidays } };
}

const renamed = (name: string) => ontario.replace('name: Ontario demo', `name: ${name}`);

describe('territory store on DynamoDB Local', () => {
  it('pushes a draft, promotes it to version 1 and reads it back as production', async () => {
    const { store, deps } = await freshStore();
    const pushed = await pushDraft(deps, { text: ontario, savedBy: 'ops@example.com' });
    expect(pushed.ok).toBe(true);
    expect(await store.getProduction()).toBeUndefined();

    const version = await promoteDraft(deps, { promotedBy: 'ops@example.com', note: 'first' });
    expect(version).toMatchObject({
      version: 1,
      territories: 9,
      promotedBy: 'ops@example.com',
      note: 'first',
    });
    const production = await store.getProduction();
    expect(production?.version).toBe(1);
    expect(production?.model.name).toBe('Ontario demo');
  });

  it('writes nothing to draft when the file is invalid', async () => {
    const { store, deps } = await freshStore();
    const result = await pushDraft(deps, { text: ontario.replace('priority: 2', 'priority: 0') });
    expect(result.ok).toBe(false);
    expect(await store.getDraft()).toBeUndefined();
  });

  it('keeps every version immutable and rolls back to any earlier one', async () => {
    const { store, deps, tableName } = await freshStore();
    for (const name of ['A', 'B', 'C']) {
      await pushDraft(deps, { text: renamed(name) });
      await promoteDraft(deps);
    }
    expect((await store.listVersions()).map((v) => v.version)).toEqual([1, 2, 3]);

    const pointer = await rollbackProduction(deps, { toVersion: 1, by: 'ops' });
    expect(pointer).toMatchObject({ version: 1, latestVersion: 3, action: 'rollback' });
    expect((await store.getProduction())?.model.name).toBe('A');

    // The next promote still gets a new number; old versions are never reused or rewritten.
    await pushDraft(deps, { text: renamed('D') });
    expect((await promoteDraft(deps)).version).toBe(4);
    expect((await store.getVersion(2))?.model.name).toBe('B');
    const raw = await t.doc.send(
      new GetCommand({ TableName: tableName, Key: keys.territoryVersion('ontario', 3) }),
    );
    expect(raw.Item?.kind).toBe('TerritoryVersion');

    const listing = await listTerritoryVersions(deps);
    expect(listing.versions.filter((v) => v.production).map((v) => v.version)).toEqual([4]);
    expect(listing.draft?.revision).toBe(4);
  });

  it('lets exactly one of two concurrent promotes win; the other gets PromoteConflictError', async () => {
    const { store, deps, tableName } = await freshStore();
    await pushDraft(deps, { text: ontario });
    await promoteDraft(deps);
    const otherContainer = new DynamoTerritoryStore({ doc: t.doc, tableName, modelId: 'ontario' });
    // Both read the production pointer before either writes: a real race, not two promotes in a row.
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const s of [store, otherContainer]) {
      const read = s.getPointer.bind(s);
      s.getPointer = async () => {
        const pointer = await read();
        if (++arrived === 2) release();
        await bothRead;
        return pointer;
      };
    }

    const results = await Promise.allSettled([
      store.promote({ note: 'left' }),
      otherContainer.promote({ note: 'right' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(PromoteConflictError);
    expect((lost[0]!.reason as Error).message).toMatch(/Another promote published version 2 first/);
    expect((await store.listVersions()).map((v) => v.version)).toEqual([1, 2]);
    expect(
      (await new DynamoTerritoryStore({ doc: t.doc, tableName, modelId: 'ontario' }).getPointer())?.version,
    ).toBe(2);
  });

  it('refuses to promote a draft that changed after it was read', async () => {
    const { store, deps } = await freshStore();
    await pushDraft(deps, { text: ontario });
    const draft = (await store.getDraft())!;
    await pushDraft(deps, { text: renamed('Edited') });
    await expect(store.promote({ expectedDraftRevision: draft.revision })).rejects.toBeInstanceOf(
      DraftConflictError,
    );
    expect(await store.getPointer()).toBeUndefined();
  });

  it('guards draft edits with the revision they started from', async () => {
    const { store } = await freshStore();
    const model = { name: 'x', territories: [] } as unknown as TerritoryModel;
    const first = await store.saveDraft(model, { expectedRevision: 0 });
    expect(first.revision).toBe(1);
    await store.saveDraft(model, { expectedRevision: 1 });
    await expect(store.saveDraft(model, { expectedRevision: 1 })).rejects.toBeInstanceOf(DraftConflictError);
  });

  it('reports a missing draft and a missing version clearly', async () => {
    const { store, deps } = await freshStore();
    await expect(promoteDraft(deps)).rejects.toBeInstanceOf(NoDraftError);
    await pushDraft(deps, { text: ontario });
    await promoteDraft(deps);
    await expect(rollbackProduction(deps, { toVersion: 9 })).rejects.toBeInstanceOf(VersionNotFoundError);
    expect((await store.getPointer())?.version).toBe(1);
  });

  it('detects a rollback racing a promote', async () => {
    const { store, deps, tableName } = await freshStore();
    await pushDraft(deps, { text: ontario });
    await promoteDraft(deps);
    await pushDraft(deps, { text: renamed('B') });
    await promoteDraft(deps);
    // Production moves between the rollback's read of the pointer and its write.
    const racing = new DynamoTerritoryStore({ doc: t.doc, tableName, modelId: 'ontario' });
    const original = racing.getPointer.bind(racing);
    racing.getPointer = async () => {
      const pointer = await original();
      await store.promote();
      return pointer;
    };
    await expect(racing.rollback(1)).rejects.toBeInstanceOf(RollbackConflictError);
  });

  it('caches production per container and re-reads only when the pointer moves', async () => {
    let now = 0;
    const { deps, tableName } = await freshStore({ clock: () => now, pointerTtlMs: 1000 });
    await pushDraft(deps, { text: renamed('One') });
    await promoteDraft(deps);
    const provider = productionModelProvider(deps);
    const first = await provider();
    expect(first?.version).toBe(1);
    expect(await provider()).toBe(first);

    // Another container promotes version 2.
    const other = new DynamoTerritoryStore({ doc: t.doc, tableName, modelId: 'ontario' });
    await other.saveDraft((await other.getVersion(1))!.model);
    await other.promote();

    now = 500;
    expect((await provider())?.version).toBe(1);
    now = 1500;
    const second = await provider();
    expect(second?.version).toBe(2);
    expect(second?.compiled.match({ Country: 'Canada', PostalCode: 'M5V 3L9' }).territory?.id).toBe(
      'toronto-core',
    );
  });

  it('diffs production against the draft and simulates the draft', async () => {
    const { deps } = await freshStore();
    await pushDraft(deps, { text: ontario });
    await promoteDraft(deps);
    await pushDraft(deps, { text: ontario.replace('participants: [rep10, rep06]', 'participants: [rep08]') });
    const { diff } = await diffTerritoryModels(deps);
    expect(diff.territories.changed.map((c) => c.id)).toEqual(['north']);
    const report = await simulateDraft(deps, {
      leads: [{ Id: 'L1', Country: 'Canada', PostalCode: 'P3A 1A1' }],
      now: new Date('2026-11-20T15:00:00Z'),
    });
    expect(report.ownerChanges).toEqual([
      {
        lead: 'L1',
        before: { ownerName: 'Ethan Wilson', territory: 'North' },
        after: { ownerName: 'Daniel Kim', territory: 'North' },
      },
    ]);
  });

  it('pushes and promotes the example model on first start only', async () => {
    const { deps } = await freshStore();
    expect(await ensureProductionModel(deps, { text: ontario })).toEqual({ created: true, version: 1 });
    expect(await ensureProductionModel(deps, { text: renamed('Other') })).toEqual({
      created: false,
      version: 1,
    });
  });

  it('refuses a stored model that no longer validates instead of routing with it', async () => {
    const { store, deps, tableName } = await freshStore();
    await pushDraft(deps, { text: ontario });
    await promoteDraft(deps);
    const draft = (await store.getDraft())!;
    const broken = { ...draft.model, defaultOwner: 'nobody' };
    await store.saveDraft(broken);
    await expect(promoteDraft(deps)).rejects.toThrow(/defaultOwner/);
    // Nothing else was written beside the draft.
    const pointer = await t.doc.send(
      new GetCommand({ TableName: tableName, Key: keys.territoryPointer('ontario') }),
    );
    expect(pointer.Item?.version).toBe(1);
  });
});

describe('promoting what production already runs', () => {
  it('is refused with NothingToPromoteError', async () => {
    const { deps } = await freshStore();
    await pushDraft(deps, { text: ontario });
    await promoteDraft(deps);
    await expect(promoteDraft(deps)).rejects.toBeInstanceOf(NothingToPromoteError);
    // After a rollback the draft differs from production again and may be promoted.
    await pushDraft(deps, { text: renamed('B') });
    await promoteDraft(deps);
    await rollbackProduction(deps, { toVersion: 1 });
    expect((await promoteDraft(deps)).version).toBe(3);
  });
});
