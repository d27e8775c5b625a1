import { diffModels, type ModelDiff } from '../../domain/territory/diff.js';
import type { Lead } from '../../domain/territory/lead.js';
import type { TerritoryModel } from '../../domain/territory/model.js';
import { type SimulationReport, simulate } from '../../domain/territory/simulation.js';
import { NoDraftError, VersionNotFoundError } from '../../ports/territory-store.js';
import { type RoutingFieldMap, routingLead } from '../routing/lead-fields.js';
import { compileStoredModel, type TerritoryDeps } from './deps.js';

/** Which model to read: the draft, production, or a version number. */
export type ModelRef = 'draft' | 'production' | number;

export async function loadModel(deps: TerritoryDeps, ref: ModelRef): Promise<TerritoryModel | undefined> {
  if (ref === 'draft') return (await deps.store.getDraft())?.model;
  if (ref === 'production') return (await deps.store.getProduction())?.model;
  const version = await deps.store.getVersion(ref);
  if (!version) throw new VersionNotFoundError(ref);
  return version.model;
}

const EMPTY_MODEL: TerritoryModel = {
  name: '(nothing)',
  timeZone: 'UTC',
  defaultOwner: '',
  reps: [],
  queues: [],
  products: [],
  categories: [],
  territories: [],
};

/** Differences between two models; a missing side (no production yet) counts as empty. */
export async function diffTerritoryModels(
  deps: TerritoryDeps,
  input: { from?: ModelRef; to?: ModelRef } = {},
): Promise<{ from: ModelRef; to: ModelRef; diff: ModelDiff }> {
  const from = input.from ?? 'production';
  const to = input.to ?? 'draft';
  const [before, after] = await Promise.all([loadModel(deps, from), loadModel(deps, to)]);
  return { from, to, diff: diffModels(before ?? EMPTY_MODEL, after ?? EMPTY_MODEL) };
}

/**
 * Run the draft against production over leads from a file or the intake history, each read
 * through intake's own field mapping so a simulated lead routes as intake would route it.
 */
export async function simulateDraft(
  deps: TerritoryDeps,
  input: {
    leads: readonly Lead[];
    now: Date;
    headroom?: ReadonlyMap<string, number>;
    routingFields?: RoutingFieldMap;
    /** Adds what intake adds before routing (the account match, the duplicate's owner) for the draft's rules. */
    enrich?: (leads: readonly Lead[], draft: TerritoryModel) => Promise<readonly Lead[]>;
  },
): Promise<SimulationReport> {
  const [draft, production] = await Promise.all([deps.store.getDraft(), deps.store.getProduction()]);
  if (!draft) throw new NoDraftError();
  const leads = input.enrich ? await input.enrich(input.leads, draft.model) : input.leads;
  return simulate({
    draft: compileStoredModel(draft.model, deps),
    ...(production ? { production: compileStoredModel(production.model, deps) } : {}),
    leads: leads.map((lead) => routingLead(lead, input.routingFields)),
    now: input.now,
    ...(input.headroom ? { headroom: input.headroom } : {}),
  });
}
