/**
 * Distribution state of one territory: rotation turns and lead counts per participant. The
 * distributor reads a snapshot and returns a change; the store applies the change with the
 * condition `version = expectedVersion`, so two concurrent decisions cannot both take one turn.
 *
 * Keys: turns `rotation` (even), `group:<id>` (rotation inside a group), `ties:<ids>` (fair
 * turns among groups tied for the best); counts `total`, `group:<id>`, `rep:<repId>`; catch-up
 * bookkeeping under `catchup-…:<id>` (see catchUpKey).
 */
export interface DistributionState {
  readonly turns: Readonly<Record<string, number>>;
  readonly counts: Readonly<Record<string, number>>;
}

export interface DistributionSnapshot extends DistributionState {
  /** 0 for a territory that has never distributed a lead. */
  readonly version: number;
}

/** A territory's state as the store keeps it: the state, and its version beside it. */
export interface TerritoryDistribution {
  readonly territoryId: string;
  /** Optimistic-lock version; 0 when the territory has never distributed a lead. */
  readonly version: number;
  readonly state: DistributionState;
}

export interface DistributionStateChange {
  readonly territoryId: string;
  readonly expectedVersion: number;
  readonly nextVersion: number;
  /** New values of turn counters. */
  readonly setTurns: Readonly<Record<string, number>>;
  /** Amounts to add to counters. */
  readonly addCounts: Readonly<Record<string, number>>;
}

export const EMPTY_STATE: DistributionState = Object.freeze({
  turns: Object.freeze({}),
  counts: Object.freeze({}),
});

export const EMPTY_SNAPSHOT: DistributionSnapshot = Object.freeze({ version: 0, ...EMPTY_STATE });

/** The snapshot a decision starts from; a territory the store has no state for starts empty. */
export function snapshotOf(stored: TerritoryDistribution | undefined): DistributionSnapshot {
  if (!stored || stored.version === 0) return EMPTY_SNAPSHOT;
  return { version: stored.version, turns: stored.state.turns, counts: stored.state.counts };
}

/** The state to store, without the version the store keeps beside it. */
export function stateOf(snapshot: DistributionSnapshot): DistributionState {
  return { turns: snapshot.turns, counts: snapshot.counts };
}

export const turnKey = {
  rotation: 'rotation',
  group: (groupId: string) => `group:${groupId}`,
  /** Fair turns among groups tied for the best (same distance, same count…), one counter per tied set. */
  ties: (groupIds: readonly string[]) => `ties:${[...groupIds].sort().join(',')}`,
} as const;

export const countKey = {
  total: 'total',
  group: (groupId: string) => `group:${groupId}`,
  rep: (repId: string) => `rep:${repId}`,
} as const;

/**
 * Catch-up bookkeeping per share (rep or group id), see catch-up.ts. Counts: the leads forgiven
 * (`offset`), forgiven while behind and not yet made up (`owed`), given as extras ever (`extras`)
 * and in the share's current local day (`extrasToday`); turn: that day (`day`, days since
 * 1970-01-01), so a new day resets the day's count instead of adding a key per day.
 */
export const catchUpKey = {
  offset: (id: string) => `catchup-offset:${id}`,
  owed: (id: string) => `catchup-owed:${id}`,
  extras: (id: string) => `catchup-extras:${id}`,
  extrasToday: (id: string) => `catchup-today:${id}`,
  day: (id: string) => `catchup-day:${id}`,
} as const;

export class StaleSnapshotError extends Error {
  override name = 'StaleSnapshotError';
}

/** The snapshot after a change, as the store would leave it; throws when the versions disagree. */
export function applyStateChange(
  snapshot: DistributionSnapshot,
  change: DistributionStateChange,
): DistributionSnapshot {
  if (snapshot.version !== change.expectedVersion) {
    throw new StaleSnapshotError(
      `territory ${change.territoryId}: state is at version ${snapshot.version}, change expects ${change.expectedVersion}`,
    );
  }
  const { counts } = addCounts(snapshot, change.addCounts);
  return { version: change.nextVersion, turns: { ...snapshot.turns, ...change.setTurns }, counts };
}

/** Counts added outside a routing decision (top-up allocations); turns are left as they are. */
export function addCounts(
  state: DistributionState,
  increments: Readonly<Record<string, number>>,
): DistributionState {
  const counts: Record<string, number> = { ...state.counts };
  for (const [key, amount] of Object.entries(increments)) counts[key] = (counts[key] ?? 0) + amount;
  return { turns: state.turns, counts };
}
