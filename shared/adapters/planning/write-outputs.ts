import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlanningInput } from '../../domain/planning/model.js';
import type { TerritoryPlan } from '../../domain/planning/plan.js';
import { renderMovesCsv } from './moves-csv.js';
import { guardrailsJson, stringifyPlan, toPlanJson } from './plan-json.js';
import { renderHtml } from './report-html.js';
import { renderMarkdown } from './report-md.js';

export const PLAN_FILES = ['plan.json', 'report.md', 'report.html', 'moves.csv', 'guardrails.json'] as const;

/** Writes every plan output into `dir` (created if missing); returns the paths written. */
export async function writePlanOutputs(
  dir: string,
  plan: TerritoryPlan,
  input: PlanningInput,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const contents: Record<(typeof PLAN_FILES)[number], string> = {
    'plan.json': stringifyPlan(toPlanJson(plan)),
    'report.md': renderMarkdown(plan, input.reps),
    'report.html': renderHtml(plan, input),
    'moves.csv': renderMovesCsv(plan),
    'guardrails.json': stringifyPlan(guardrailsJson(plan)),
  };
  const paths = PLAN_FILES.map((file) => join(dir, file));
  await Promise.all(PLAN_FILES.map((file, i) => writeFile(paths[i] as string, contents[file])));
  return paths;
}
