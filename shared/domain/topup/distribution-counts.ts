import type { CompiledModel } from '../territory/compile-model.js';
import { countKey } from '../territory/distribution-state.js';

/**
 * What a top-up run adds to each territory's distribution counts: one lead for the territory,
 * the rep, and the group the rep belongs to there (the first active one listing them), the same
 * keys intake's decisions count, so "least gets it" and weighted shares see top-up leads too.
 */
export function distributionIncrements(
  model: CompiledModel,
  allocations: ReadonlyArray<{ readonly territoryId: string; readonly repId: string }>,
): Map<string, Record<string, number>> {
  const byTerritory = new Map<string, Record<string, number>>();
  for (const { territoryId, repId } of allocations) {
    const territory = model.territory(territoryId);
    if (!territory) continue;
    const groups = territory.groups.filter((g) => g.participants.some((p) => p.id === repId));
    const group = groups.find((g) => g.active) ?? groups[0];
    const counts = byTerritory.get(territoryId) ?? {};
    const add = (key: string) => {
      counts[key] = (counts[key] ?? 0) + 1;
    };
    add(countKey.total);
    add(countKey.rep(repId));
    if (group) add(countKey.group(group.id));
    byTerritory.set(territoryId, counts);
  }
  return byTerritory;
}
