import type { CapacityConfig } from '../../domain/capacity/capacity.js';
import type { LeadRouter } from '../../ports/lead-router.js';
import type { TerritoryStore } from '../../ports/territory-store.js';
import { compileStoredModel, type ModelDeps } from '../territories/deps.js';
import { territoryRouter } from './territory-router.js';

export class NoProductionModelError extends Error {
  override name = 'NoProductionModelError';
  constructor() {
    super(
      'No territory model is in production: push a model and promote it (territory-router territories promote)',
    );
  }
}

/**
 * The router over whatever version production points at. The store caches the pointer briefly;
 * a model is compiled once per version, so a promote or rollback takes effect within seconds
 * without recompiling on every message.
 */
export function productionRouting(
  store: TerritoryStore,
  capacity: CapacityConfig,
  modelDeps: ModelDeps,
): () => Promise<LeadRouter> {
  let compiled: { version: number; router: LeadRouter } | undefined;
  return async () => {
    const production = await store.getProduction();
    if (!production) throw new NoProductionModelError();
    if (compiled?.version !== production.version) {
      compiled = {
        version: production.version,
        router: territoryRouter(compileStoredModel(production.model, modelDeps), capacity),
      };
    }
    return compiled.router;
  };
}
