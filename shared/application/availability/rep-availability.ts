import { availabilityAt } from '../../domain/availability/availability.js';
import type { CompiledModel } from '../../domain/territory/compile-model.js';
import { TerritoryModelError } from '../../domain/territory/validate.js';
import { compileStoredModel, type ModelDeps, type TerritoryDeps } from '../territories/deps.js';
import { validateTerritoryFile } from '../territories/publish.js';

/** One rep's availability at a moment, as `reps availability` prints it. */
export interface RepAvailability {
  readonly id: string;
  readonly name: string;
  readonly available: boolean;
  readonly reason: string;
}

/** Every rep of the model, in the model's order, at the instant. */
export function repAvailability(model: CompiledModel, at: Date): RepAvailability[] {
  return model.model.reps.map((rep) => {
    const compiled = model.reps.get(rep.id)!;
    const { available, reason } = availabilityAt(compiled, at.getTime());
    return { id: rep.id, name: rep.name, available, reason };
  });
}

/** A config file's model, compiled; its problems throw as a `TerritoryModelError`. */
export function compileModelFile(deps: ModelDeps, text: string): CompiledModel {
  const result = validateTerritoryFile(deps, text);
  if (!result.ok) throw new TerritoryModelError(result.problems);
  return compileStoredModel(result.model, deps);
}

export class NoProductionModelError extends Error {
  override name = 'NoProductionModelError';
  constructor() {
    super('no production territory model yet (territories push, then territories promote)');
  }
}

/** The production model and its version, compiled. */
export async function compileProductionModel(
  deps: TerritoryDeps,
): Promise<{ version: number; compiled: CompiledModel }> {
  const record = await deps.store.getProduction();
  if (!record) throw new NoProductionModelError();
  return { version: record.version, compiled: compileStoredModel(record.model, deps) };
}
