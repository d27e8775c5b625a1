import type { CapacityConfig } from '../../domain/capacity/capacity.js';
import type { LeadRouter } from '../../ports/lead-router.js';
import type { TerritoryDeps } from '../territories/deps.js';
import { type ProductionModel, productionModelProvider } from '../territories/production-model.js';
import type { RoutingFieldMap } from './lead-fields.js';
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
 * The router over whatever version production points at; a promote or rollback takes effect
 * within the store's pointer cache time. The production model provider is the one version cache:
 * a router is built once per model it compiles.
 */
export function productionRouting(
  deps: TerritoryDeps,
  capacity: CapacityConfig,
  fieldMap?: RoutingFieldMap,
): () => Promise<LeadRouter> {
  const production = productionModelProvider(deps);
  const routers = new WeakMap<ProductionModel, LeadRouter>();
  return async () => {
    const model = await production();
    if (!model) throw new NoProductionModelError();
    let router = routers.get(model);
    if (!router) {
      router = territoryRouter(model.compiled, capacity, fieldMap);
      routers.set(model, router);
    }
    return router;
  };
}
