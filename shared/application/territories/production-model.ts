import type { CompiledModel } from '../../domain/territory/compile-model.js';
import { compileStoredModel, type TerritoryDeps } from './deps.js';

export interface ProductionModel {
  readonly version: number;
  readonly compiled: CompiledModel;
}

/**
 * Routing's view of production, and the one cache of it: the store keeps the pointer check cheap,
 * and the version is read and compiled (indexes, closures) only when production moves to another
 * version. Create once per container.
 */
export function productionModelProvider(deps: TerritoryDeps): () => Promise<ProductionModel | undefined> {
  let current: ProductionModel | undefined;
  return async () => {
    const version = await deps.store.productionVersion();
    if (version === undefined) return undefined;
    if (current?.version !== version) {
      const record = await deps.store.getVersion(version);
      // The pointer names a version that is not there: only a table edited by hand gets here.
      if (!record)
        throw new Error(`Production points at territory model version ${version}, which does not exist`);
      current = { version, compiled: compileStoredModel(record.model, deps) };
    }
    return current;
  };
}
