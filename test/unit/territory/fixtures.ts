import { toId18 } from '../../../shared/domain/salesforce-id.js';
import { type CompiledModel, compileModel } from '../../../shared/domain/territory/compile-model.js';
import type { GeoPoint, PostalCentroidLookup } from '../../../shared/domain/territory/geo.js';
import type { TerritoryModel } from '../../../shared/domain/territory/model.js';
import type { DistributionPlugins } from '../../../shared/domain/territory/plugins.js';
import { formatProblem, validateTerritoryConfig } from '../../../shared/domain/territory/validate.js';

/** Demo rep id n (1-based), as in the Ontario example. */
export const repId = (n: number) => toId18(`005TR00000000${String(n).padStart(2, '0')}`);
export const REVIEW_QUEUE = toId18('00GTR0000000002');

/** A handful of centroids so tests do not depend on the zipcodes package. */
export const CENTROIDS: Record<string, GeoPoint> = {
  M5V: { latitude: 43.6525, longitude: -79.3686 },
  M4W: { latitude: 43.6699, longitude: -79.3887 },
  L8P: { latitude: 43.257, longitude: -79.8697 },
  N6A: { latitude: 42.9793, longitude: -81.2556 },
  N2L: { latitude: 43.4529, longitude: -80.5281 },
  K1P: { latitude: 45.423, longitude: -75.702 },
  K7L: { latitude: 44.231, longitude: -76.4791 },
  P3A: { latitude: 46.5076, longitude: -80.9872 },
};
export const lookup: PostalCentroidLookup = (code) => CENTROIDS[code];

/** Reps rep01…repNN named "Rep 1"…; overrides by number. */
export function reps(count: number, overrides: Record<number, Record<string, unknown>> = {}) {
  return Array.from({ length: count }, (_, i) => ({
    key: `rep${String(i + 1).padStart(2, '0')}`,
    id: repId(i + 1),
    name: `Rep ${i + 1}`,
    ...overrides[i + 1],
  }));
}

/** A config with a review queue as default owner and 6 reps unless given. */
export function config(parts: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'Test model',
    timeZone: 'America/Toronto',
    defaultOwner: 'review',
    queues: [{ key: 'review', id: REVIEW_QUEUE, name: 'Lead Review' }],
    reps: reps(6),
    territories: [],
    ...parts,
  };
}

export function validModel(input: unknown, plugins?: DistributionPlugins): TerritoryModel {
  const result = validateTerritoryConfig(input, { postalCentroid: lookup, ...(plugins ? { plugins } : {}) });
  if (!result.ok) throw new Error(result.problems.map((p) => formatProblem(p)).join('\n'));
  return result.model;
}

export function compiled(input: unknown, plugins?: DistributionPlugins): CompiledModel {
  return compileModel(validModel(input, plugins), {
    postalCentroid: lookup,
    ...(plugins ? { plugins } : {}),
  });
}
