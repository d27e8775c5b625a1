import type { CapacityConfig } from '../../domain/capacity/capacity.js';
import type { LeadRouter } from '../../ports/lead-router.js';
import type { TerritoryDeps } from '../territories/deps.js';
import { productionModelProvider } from '../territories/production-model.js';
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
 * within the store's pointer cache time, and the router is rebuilt only when the version changes.
 */
export function productionRouting(
  deps: TerritoryDeps,
  capacity: CapacityConfig,
  fieldMap?: RoutingFieldMap,
): () => Promise<LeadRouter> {
  const production = productionModelProvider(deps);
  let current: { version: number; router: LeadRouter } | undefined;
  return async () => {
    const model = await production();
    if (!model) throw new NoProductionModelError();
    if (current?.version !== model.version) {
      current = { version: model.version, router: territoryRouter(model.compiled, capacity, fieldMap) };
    }
    return current.router;
  };
}
