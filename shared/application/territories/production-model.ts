import type { CompiledModel } from '../../domain/territory/compile-model.js';
import { compileStoredModel, type TerritoryDeps } from './deps.js';

export interface ProductionModel {
  readonly version: number;
  readonly compiled: CompiledModel;
}

/**
 * Routing's view of production: the store keeps the pointer check cheap, and the compiled model
 * (indexes, closures) is rebuilt only when the version changes. Create once per container.
 */
export function productionModelProvider(deps: TerritoryDeps): () => Promise<ProductionModel | undefined> {
  let current: ProductionModel | undefined;
  return async () => {
    const record = await deps.store.getProduction();
    if (!record) return undefined;
    if (current?.version !== record.version) {
      current = { version: record.version, compiled: compileStoredModel(record.model, deps) };
    }
    return current;
  };
}
