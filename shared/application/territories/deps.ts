import type { HolidayCalendar } from '../../domain/availability/holidays.js';
import type { CompiledModel } from '../../domain/territory/compile-model.js';
import { compileModel } from '../../domain/territory/compile-model.js';
import type { PostalCentroidLookup } from '../../domain/territory/geo.js';
import type { TerritoryModel } from '../../domain/territory/model.js';
import { BUILT_IN_PLUGINS, type DistributionPlugins } from '../../domain/territory/plugins.js';
import { TerritoryModelError, validateTerritoryConfig } from '../../domain/territory/validate.js';
import type { TerritoryStore } from '../../ports/territory-store.js';

/** What the territory use cases need; adapters pass the store, postal centroids, holidays and plug-ins. */
export interface TerritoryDeps {
  readonly store: TerritoryStore;
  readonly postalCentroid?: PostalCentroidLookup;
  /** Public holidays for rep calendars that list regions. */
  readonly holidays?: HolidayCalendar;
  /** Defaults to the built-in plug-ins. */
  readonly plugins?: DistributionPlugins;
}

export type ModelDeps = Omit<TerritoryDeps, 'store'>;

export function pluginsOf(deps: ModelDeps): DistributionPlugins {
  return deps.plugins ?? BUILT_IN_PLUGINS;
}

/** A stored model goes through the same validator as a file before it is compiled. */
export function compileStoredModel(model: TerritoryModel, deps: ModelDeps): CompiledModel {
  const options = modelOptions(deps);
  const result = validateTerritoryConfig(model, options);
  if (!result.ok) throw new TerritoryModelError(result.problems);
  return compileModel(result.model, options);
}

/** Validation and compile options from the deps: plug-ins, postal centroids, holidays. */
export function modelOptions(deps: ModelDeps) {
  return {
    plugins: pluginsOf(deps),
    ...(deps.postalCentroid ? { postalCentroid: deps.postalCentroid } : {}),
    ...(deps.holidays ? { holidays: deps.holidays } : {}),
  };
}
