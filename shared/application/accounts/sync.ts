import type {
  AccountIndexStore,
  AccountSource,
  AccountSyncState,
  SyncedIndex,
  SyncSource,
} from '../../ports/account-index.js';

/**
 * Keep the account index in step with Salesforce. A full load reads every account and then removes
 * those it did not see; an incremental sync reads accounts changed since the newest SystemModstamp
 * stored and removes those in the delete log since the last check. With no stored state an
 * incremental sync is a full load.
 */

export interface AccountSyncDeps {
  source: AccountSource;
  index: AccountIndexStore;
  now: () => Date;
  newId: () => string;
}

export interface AccountSyncSummary {
  mode: 'full' | 'incremental';
  upserted: number;
  removed: number;
  pages: number;
  lastModstamp?: string;
}

// Deletions committed just before a window closed can appear in the log a little later: re-read this much.
const DELETION_OVERLAP_MS = 5 * 60_000;

export function syncAccounts(
  deps: AccountSyncDeps,
  requested: 'full' | 'incremental',
): Promise<AccountSyncSummary> {
  return syncIndex(deps, requested);
}

/** The one sync loop, for the account index and the duplicate index alike. */
export async function syncIndex<T extends { systemModstamp: string }>(
  deps: { source: SyncSource<T>; index: SyncedIndex<T>; now: () => Date; newId: () => string },
  requested: 'full' | 'incremental',
): Promise<AccountSyncSummary> {
  const state = await deps.index.readSyncState();
  const mode = requested === 'incremental' && state ? 'incremental' : 'full';
  const startedAt = deps.now();
  const loadId = mode === 'full' ? deps.newId() : undefined;
  let upserted = 0;
  let pages = 0;
  let lastModstamp = state?.lastModstamp;
  for await (const page of deps.source.changedSince(mode === 'full' ? undefined : state?.lastModstamp)) {
    await deps.index.upsert(page, loadId);
    upserted += page.length;
    pages++;
    for (const record of page)
      if (!lastModstamp || record.systemModstamp > lastModstamp) lastModstamp = record.systemModstamp;
    // Saved per page, so a sync stopped by a timeout resumes after the last page it stored.
    if (mode === 'incremental' && lastModstamp) await deps.index.writeSyncState({ ...state!, lastModstamp });
  }
  let removed = 0;
  if (loadId) {
    removed = await deps.index.removeNotLoaded(loadId);
  } else if (state) {
    const from = new Date(Date.parse(state.deletionsCheckedUntil) - DELETION_OVERLAP_MS);
    removed = await deps.index.remove(await deps.source.deletedBetween(from, startedAt));
  }
  const next: AccountSyncState = {
    ...(state ?? {}),
    ...(lastModstamp ? { lastModstamp } : {}),
    deletionsCheckedUntil: startedAt.toISOString(),
    ...(loadId ? { loadId, fullLoadAt: deps.now().toISOString() } : {}),
  };
  await deps.index.writeSyncState(next);
  return { mode, upserted, removed, pages, ...(lastModstamp ? { lastModstamp } : {}) };
}
