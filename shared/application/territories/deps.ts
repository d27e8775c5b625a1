import type { CompiledModel } from '../../domain/territory/compile-model.js';
import { compileModel } from '../../domain/territory/compile-model.js';
import type { PostalCentroidLookup } from '../../domain/territory/geo.js';
import type { TerritoryModel } from '../../domain/territory/model.js';
import { BUILT_IN_PLUGINS, type DistributionPlugins } from '../../domain/territory/plugins.js';
import { TerritoryModelError, validateTerritoryConfig } from '../../domain/territory/validate.js';
import type { TerritoryStore } from '../../ports/territory-store.js';

/** What the territory use cases need; adapters pass the store, `zipcodes.lookup` and plug-ins. */
export interface TerritoryDeps {
  readonly store: TerritoryStore;
  readonly postalCentroid?: PostalCentroidLookup;
  /** Defaults to the built-in plug-ins. */
  readonly plugins?: DistributionPlugins;
}

export type ModelDeps = Omit<TerritoryDeps, 'store'>;

export function pluginsOf(deps: ModelDeps): DistributionPlugins {
  return deps.plugins ?? BUILT_IN_PLUGINS;
}

/** A stored model goes through the same validator as a file before it is compiled. */
export function compileStoredModel(model: TerritoryModel, deps: ModelDeps): CompiledModel {
  const options = {
    plugins: pluginsOf(deps),
    ...(deps.postalCentroid ? { postalCentroid: deps.postalCentroid } : {}),
  };
  const result = validateTerritoryConfig(model, options);
  if (!result.ok) throw new TerritoryModelError(result.problems);
  return compileModel(result.model, options);
}
