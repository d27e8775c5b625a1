import { decideLead } from '../accounts/existing-owner.js';
import type { CompiledModel } from './compile-model.js';
import type { Decision } from './distribution.js';
import { applyStateChange, type DistributionSnapshot, EMPTY_SNAPSHOT } from './distribution-state.js';
import { type Lead, leadLabel } from './lead.js';

/**
 * Run the draft (and production, when there is one) over a set of leads, each from empty
 * distribution state, and compare: per-territory and per-rep counts, leads whose owner would
 * change, balance of per-rep load, unmatched leads. Pure: the leads come in, a report goes out.
 */
export interface SimulationInput {
  readonly draft: CompiledModel;
  readonly production?: CompiledModel;
  readonly leads: readonly Lead[];
  readonly now: Date | number;
  /** Starting headroom per rep; it shrinks as the simulation assigns. Unlimited when absent. */
  readonly headroom?: ReadonlyMap<string, number>;
}

export interface ModelRun {
  readonly perTerritory: readonly {
    readonly territoryId: string;
    readonly name: string;
    readonly leads: number;
  }[];
  readonly perRep: readonly { readonly repId: string; readonly name: string; readonly leads: number }[];
  readonly toDefaultOwner: number;
  /** Leads no territory matched (labels: lead id or position). */
  readonly unmatched: readonly string[];
  /** Leads whose territory had no eligible rep. */
  readonly noEligibleRep: readonly string[];
  /** Coefficient of variation of leads per rep, over every active rep taking part in distribution. */
  readonly loadCv: number;
  /** max(0, 100 − 400·CV). */
  readonly balanceScore: number;
  readonly decisions: readonly Decision[];
}

export interface OwnerChange {
  readonly lead: string;
  readonly before: { readonly ownerName: string; readonly territory?: string };
  readonly after: { readonly ownerName: string; readonly territory?: string };
}

export interface SimulationReport {
  readonly leads: number;
  readonly draft: ModelRun;
  readonly production?: ModelRun;
  readonly ownerChanges: readonly OwnerChange[];
}

export function runModel(
  model: CompiledModel,
  leads: readonly Lead[],
  now: Date | number,
  headroom?: ReadonlyMap<string, number>,
): ModelRun {
  const states = new Map<string, DistributionSnapshot>();
  const room = headroom ? new Map(headroom) : undefined;
  const perTerritory = new Map<string, number>();
  const perRep = new Map<string, number>();
  const unmatched: string[] = [];
  const noEligibleRep: string[] = [];
  const decisions = leads.map((lead, i) => {
    const match = model.match(lead);
    const snapshot = match.territory ? (states.get(match.territory.id) ?? EMPTY_SNAPSHOT) : EMPTY_SNAPSHOT;
    const context = { now, ...(room ? { headroom: room } : {}) };
    const decision = decideLead(model, match, lead, snapshot, context);
    if (decision.territoryId)
      perTerritory.set(decision.territoryId, (perTerritory.get(decision.territoryId) ?? 0) + 1);
    if (decision.stateChange)
      states.set(decision.stateChange.territoryId, applyStateChange(snapshot, decision.stateChange));
    if (decision.kind === 'rep') {
      perRep.set(decision.ownerId, (perRep.get(decision.ownerId) ?? 0) + 1);
      if (room?.has(decision.ownerId)) room.set(decision.ownerId, room.get(decision.ownerId)! - 1);
    } else if (decision.trace.fallback === 'no-match') unmatched.push(leadLabel(lead, i));
    else noEligibleRep.push(leadLabel(lead, i));
    return decision;
  });
  const participants = new Set(
    model.territories.flatMap((t) =>
      t.groups
        .filter((g) => g.active)
        .flatMap((g) => g.participants.filter((r) => r.active).map((r) => r.id)),
    ),
  );
  for (const repId of perRep.keys()) participants.add(repId);
  const loads = [...participants].map((id) => perRep.get(id) ?? 0);
  const loadCv = coefficientOfVariation(loads);
  return {
    perTerritory: model.territories
      .map((t) => ({ territoryId: t.id, name: t.name, leads: perTerritory.get(t.id) ?? 0 }))
      .filter((t) => t.leads > 0),
    perRep: [...participants]
      .map((repId) => ({ repId, name: model.reps.get(repId)?.name ?? repId, leads: perRep.get(repId) ?? 0 }))
      .sort((a, b) => b.leads - a.leads || a.name.localeCompare(b.name)),
    toDefaultOwner: unmatched.length + noEligibleRep.length,
    unmatched,
    noEligibleRep,
    loadCv,
    balanceScore: Math.max(0, 100 - 400 * loadCv),
    decisions,
  };
}

export function coefficientOfVariation(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean === 0) return 0;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  return Math.sqrt(variance) / mean;
}

export function simulate(input: SimulationInput): SimulationReport {
  const draft = runModel(input.draft, input.leads, input.now, input.headroom);
  if (!input.production) return { leads: input.leads.length, draft, ownerChanges: [] };
  const production = runModel(input.production, input.leads, input.now, input.headroom);
  const territoryName = (model: CompiledModel, id: string | undefined) =>
    id ? model.territory(id)?.name : undefined;
  const ownerChanges = input.leads.flatMap((lead, i): OwnerChange[] => {
    const before = production.decisions[i]!;
    const after = draft.decisions[i]!;
    if (before.ownerId === after.ownerId) return [];
    const side = (model: CompiledModel, d: Decision) => {
      const territory = territoryName(model, d.territoryId);
      return { ownerName: d.ownerName, ...(territory ? { territory } : {}) };
    };
    return [
      { lead: leadLabel(lead, i), before: side(input.production!, before), after: side(input.draft, after) },
    ];
  });
  return { leads: input.leads.length, draft, production, ownerChanges };
}

export function formatSimulationReport(
  report: SimulationReport,
  options: { maxChanges?: number } = {},
): string {
  const lines = [`Simulated ${report.leads} leads.`];
  const runs: [string, ModelRun | undefined][] = [
    ['Production', report.production],
    ['Draft', report.draft],
  ];
  for (const [title, run] of runs) {
    if (!run) continue;
    lines.push(
      '',
      `${title}: ${run.unmatched.length} unmatched, ${run.noEligibleRep.length} without an eligible rep, load CV ${run.loadCv.toFixed(3)} (balance ${run.balanceScore.toFixed(1)})`,
    );
    lines.push(
      '  per territory:',
      ...run.perTerritory.map((t) => `    ${t.name.padEnd(32)} ${String(t.leads).padStart(6)}`),
    );
    lines.push(
      '  per rep:',
      ...run.perRep.map((r) => `    ${r.name.padEnd(32)} ${String(r.leads).padStart(6)}`),
    );
    if (run.unmatched.length)
      lines.push(
        `  unmatched: ${run.unmatched.slice(0, 20).join(', ')}${run.unmatched.length > 20 ? ', …' : ''}`,
      );
  }
  if (report.production) {
    const max = options.maxChanges ?? 50;
    lines.push(
      '',
      `${report.ownerChanges.length} lead(s) would change owner${report.ownerChanges.length ? ':' : '.'}`,
    );
    for (const c of report.ownerChanges.slice(0, max)) {
      const side = (s: OwnerChange['before']) => `${s.ownerName}${s.territory ? ` (${s.territory})` : ''}`;
      lines.push(`  ${c.lead}: ${side(c.before)} → ${side(c.after)}`);
    }
    if (report.ownerChanges.length > max) lines.push(`  … and ${report.ownerChanges.length - max} more`);
  }
  return lines.join('\n');
}
