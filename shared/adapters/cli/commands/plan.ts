import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_GUARDRAIL_CONFIG, isIsoDate } from '../../../domain/guardrails/index.js';
import { repLabels } from '../../../domain/planning/cards.js';
import { PlanInfeasibleError, PlanInputError } from '../../../domain/planning/errors.js';
import {
  DEFAULT_WEIGHTS,
  type PlanningInput,
  type PlanOptions,
  type ProgressEvent,
  type Weights,
} from '../../../domain/planning/model.js';
import { planTerritories, type TerritoryPlan } from '../../../domain/planning/plan.js';
import { type BlockedTransitionMove, blockedTransitionMoves } from '../../../domain/planning/transition.js';
import { generateInstance, parseInstanceSize } from '../../planning/generate.js';
import { renderAccountsCsv, renderRepsCsv } from '../../planning/input-csv.js';
import { loadPlanningInput, PlanningInputFileError } from '../../planning/load.js';
import {
  loadPlanningInputFromSalesforce,
  planningFieldsFromConfig,
} from '../../planning/salesforce-input.js';
import { writePlanOutputs } from '../../planning/write-outputs.js';
import { cliConfig } from '../cli-config.js';
import { cliSalesforceConnection } from '../salesforce-target.js';

const EXIT_BAD_INPUT = 2;
const EXIT_INFEASIBLE = 3;

interface PlanCliOptions {
  accounts?: string;
  reps?: string;
  generate?: { accounts: number; reps: number };
  fromSalesforce?: boolean;
  seed: number;
  mode: 'greenfield' | 'replan';
  weights: Weights;
  maxMoves?: number;
  maxBookChange?: number;
  minAccounts: number;
  maxAccounts: number;
  effectiveDate?: string;
  asOf?: string;
  specializationKm: number;
  quiet?: boolean;
  json?: boolean;
  out: string;
}

const BLOCKED_PRINTED = 10;

const WEIGHT_KEYS: Record<string, keyof Weights> = {
  revenue: 'revenuePotential',
  revenuepotential: 'revenuePotential',
  count: 'accountCount',
  accountcount: 'accountCount',
  accounts: 'accountCount',
  workload: 'workload',
  growth: 'growthPotential',
  growthpotential: 'growthPotential',
};

/** `territory-router plan`: balanced territories, reports and a transition plan from accounts and reps. */
export function register(program: Command): void {
  program
    .command('plan')
    .description(
      'plan balanced territories and write plan.json, report.md, report.html, moves.csv, guardrails.json',
    )
    .option('--accounts <file>', 'accounts CSV or JSON')
    .option('--reps <file>', 'reps CSV or JSON')
    .option(
      '--from-salesforce',
      'pull accounts, open deals and their owners from Salesforce (SF_LOGIN_URL, else the local emulator)',
    )
    .option(
      '--generate <NxM>',
      'plan a generated Ontario demo instance of N accounts and M reps instead',
      parseSize,
    )
    .option('--seed <n>', 'seed of the generated instance', parseWhole, 7)
    .addOption(
      new Option('--mode <mode>', 'greenfield or replan')
        .choices(['greenfield', 'replan'])
        .default('greenfield'),
    )
    .addOption(
      new Option('--weights <list>', 'composite weights (unlisted ones are 0)')
        .argParser(parseWeights)
        .default(DEFAULT_WEIGHTS, 'revenue=35,count=20,workload=25,growth=20'),
    )
    .option('--max-moves <n>', 'replan: at most this many accounts change owner', parseWhole)
    .option(
      '--max-book-change <share>',
      "replan: at most this share of each rep's book moves away (0-1)",
      parseShare,
    )
    .option('--min-accounts <n>', 'default minimum accounts per rep', parseWhole, 30)
    .option('--max-accounts <n>', 'default maximum accounts per rep', parseWhole, 150)
    .option(
      '--effective-date <date>',
      'go-live date, YYYY-MM-DD (default: a week for approval plus the notice period)',
      parseDate,
    )
    .option('--as-of <date>', 'the plan date, YYYY-MM-DD (default: today)', parseDate)
    .option('--specialization-km <km>', 'travel-equivalent penalty for a non-specialist owner', Number, 25)
    .option('--quiet', 'no progress output')
    .option('--json', 'print the summary (ratings, moves, blocked moves by moves.csv row, files) as JSON')
    .requiredOption('--out <dir>', 'output directory')
    .action(async (options: PlanCliOptions) => {
      process.exitCode = await runPlan(options);
    });
}

async function runPlan(options: PlanCliOptions): Promise<number> {
  const started = performance.now();
  const progress = progressReporter(options.quiet === true);
  try {
    const input = await readInput(options);
    const plan = planTerritories(input, planOptions(options, progress.report));
    progress.stop();
    const written = await writePlanOutputs(options.out, plan, input);
    const result = planSummary(plan, input, performance.now() - started, written);
    console.log(options.json ? JSON.stringify(result, null, 2) : formatPlanSummary(result));
    return 0;
  } catch (error) {
    progress.stop();
    if (error instanceof PlanInfeasibleError) {
      if (options.json) console.log(JSON.stringify({ ok: false, infeasible: error.reasons }, null, 2));
      console.error(error.message);
      return EXIT_INFEASIBLE;
    }
    if (error instanceof PlanningInputFileError || error instanceof PlanInputError) {
      if (options.json) console.log(JSON.stringify({ ok: false, problems: error.problems }, null, 2));
      console.error(error.message);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}

async function readInput(options: PlanCliOptions): Promise<PlanningInput> {
  if (options.generate) {
    const instance = generateInstance({ ...options.generate, seed: options.seed });
    await writeGeneratedInput(options.out, instance);
    return instance;
  }
  if (options.fromSalesforce) {
    const input = await loadPlanningInputFromSalesforce(
      await cliSalesforceConnection(),
      planningFieldsFromConfig(cliConfig()),
    );
    for (const note of input.notes) console.error(`note: ${note}`);
    return input;
  }
  if (!options.accounts || !options.reps) {
    throw new PlanInputError([
      'give --accounts and --reps files, --from-salesforce, or --generate NxM for a demo instance',
    ]);
  }
  return loadPlanningInput(options.accounts, options.reps);
}

/** The generated instance is written beside the outputs so the run can be repeated and edited. */
async function writeGeneratedInput(dir: string, instance: PlanningInput): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'accounts.csv'), renderAccountsCsv(instance.accounts));
  await writeFile(join(dir, 'reps.csv'), renderRepsCsv(instance.reps));
}

function planOptions(options: PlanCliOptions, onProgress: (event: ProgressEvent) => void): PlanOptions {
  return {
    mode: options.mode,
    weights: options.weights,
    now: options.asOf ? new Date(`${options.asOf}T12:00:00Z`) : new Date(),
    defaultMinAccounts: options.minAccounts,
    defaultMaxAccounts: options.maxAccounts,
    ...(options.maxMoves !== undefined ? { maxMoves: options.maxMoves } : {}),
    ...(options.maxBookChange !== undefined ? { maxBookChange: options.maxBookChange } : {}),
    ...(options.effectiveDate !== undefined ? { effectiveDate: options.effectiveDate } : {}),
    coverage: { industry: 0.8, region: 0.7, radiusKm: 100 },
    specializationKm: options.specializationKm,
    guardrails: DEFAULT_GUARDRAIL_CONFIG,
    history: [],
    onProgress,
  };
}

/** What `plan` prints: the headline numbers, every blocked move by its moves.csv row, the files. */
export interface PlanSummary {
  ok: true;
  mode: TerritoryPlan['mode'];
  accounts: number;
  territories: number;
  seconds: number;
  rating: TerritoryPlan['rating'];
  compositeCv: { current: number; proposed: number };
  balanceScore: { current: number; proposed: number };
  meanTravelKm: { current: number; proposed: number; nearestRepBound: number };
  moves: { total: number; affectedReps: number; effectiveDate: string; blocked: number };
  approvals: string[];
  /** Rows count as `reassign` counts them: row 1 is the first line after moves.csv's header. */
  blockedMoves: Array<BlockedTransitionMove & { from: string; to: string }>;
  coverageGaps: number;
  recommendations: string[];
  files: string[];
}

function planSummary(plan: TerritoryPlan, input: PlanningInput, ms: number, files: string[]): PlanSummary {
  const { current, proposed } = plan.metrics;
  const t = plan.transition;
  const labels = repLabels(input.reps);
  const nameOf = (id: string | null) => (id === null ? 'no owner' : (labels.get(id) ?? id));
  return {
    ok: true,
    mode: plan.mode,
    accounts: input.accounts.length,
    territories: plan.territories.proposed.length,
    seconds: Math.round(ms / 100) / 10,
    rating: plan.rating,
    compositeCv: {
      current: current.composite.coefficientOfVariation,
      proposed: proposed.composite.coefficientOfVariation,
    },
    balanceScore: { current: current.composite.balanceScore, proposed: proposed.composite.balanceScore },
    meanTravelKm: {
      current: current.meanTravelKm,
      proposed: proposed.meanTravelKm,
      nearestRepBound: plan.travelLowerBoundKm,
    },
    moves: {
      total: t.totalMoves,
      affectedReps: t.affectedReps,
      effectiveDate: t.effectiveDate,
      blocked: t.guardrails.blocked.length,
    },
    approvals: t.guardrails.requiredApprovals.map((a) => a.role),
    blockedMoves: blockedTransitionMoves(t).map((b) => ({
      ...b,
      from: nameOf(b.fromRepId),
      to: nameOf(b.toRepId),
    })),
    coverageGaps: plan.gaps.length,
    recommendations: plan.recommendations,
    files,
  };
}

function formatPlanSummary(s: PlanSummary): string {
  const ratio =
    s.meanTravelKm.nearestRepBound > 0 ? s.meanTravelKm.proposed / s.meanTravelKm.nearestRepBound : 1;
  const lines = [
    `Plan (${s.mode}) for ${s.accounts} accounts and ${s.territories} active reps in ${s.seconds.toFixed(1)} s`,
    `  composite CV ${s.compositeCv.current.toFixed(3)} → ${s.compositeCv.proposed.toFixed(3)}, rated ${s.rating.current} → ${s.rating.proposed} (balance score ${s.balanceScore.current.toFixed(0)} → ${s.balanceScore.proposed.toFixed(0)})`,
    `  mean travel ${s.meanTravelKm.current.toFixed(1)} km → ${s.meanTravelKm.proposed.toFixed(1)} km (${ratio.toFixed(2)}x the nearest-rep bound)`,
    `  ${s.moves.total} moves, ${s.moves.affectedReps} reps affected, go-live ${s.moves.effectiveDate}; guardrails: ${s.moves.blocked} blocked, approvals: ${s.approvals.join(', ') || 'none'}`,
    `  ${s.coverageGaps} coverage gaps`,
  ];
  if (s.blockedMoves.length > 0) {
    lines.push('  blocked moves (moves.csv row, 1 = the first line after the header, as reassign counts):');
    for (const b of s.blockedMoves.slice(0, BLOCKED_PRINTED))
      lines.push(
        `    row ${b.row} ${b.accountName || b.accountId}: ${b.from} → ${b.to} — ${b.reasons.join(' ')}`,
      );
    if (s.blockedMoves.length > BLOCKED_PRINTED)
      lines.push(`    …and ${s.blockedMoves.length - BLOCKED_PRINTED} more in guardrails.json and report.md`);
  }
  if (s.recommendations[0]) lines.push(`  ${s.recommendations[0]}`);
  lines.push(`wrote ${s.files.join(', ')}`);
  return lines.join('\n');
}

/** A cli-progress bar on a terminal; one line per phase otherwise (CI logs). */
function progressReporter(quiet: boolean): { report: (event: ProgressEvent) => void; stop: () => void } {
  if (quiet) return { report: () => {}, stop: () => {} };
  let phase: ProgressEvent['phase'] | undefined;
  if (!process.stderr.isTTY) {
    return {
      report: (event) => {
        if (event.phase === phase) return;
        phase = event.phase;
        process.stderr.write(`plan: ${event.phase}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new SingleBar({
    format: 'plan {phase} [{bar}] {value}/{total}',
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    report: (event) => {
      if (!started) {
        bar.start(event.total, event.done, { phase: event.phase });
        started = true;
      } else if (event.phase !== phase) {
        bar.setTotal(event.total);
      }
      phase = event.phase;
      bar.update(event.done, { phase: event.phase });
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

function parseWhole(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

function parseShare(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError('expected a share between 0 and 1, e.g. 0.1');
  return n;
}

function parseDate(value: string): string {
  if (!isIsoDate(value)) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return value;
}

function parseSize(value: string): { accounts: number; reps: number } {
  const size = parseInstanceSize(value);
  if (!size || size.reps === 0) throw new InvalidArgumentError('expected accounts x reps, e.g. 5000x50');
  return size;
}

function parseWeights(value: string): Weights {
  const weights: Weights = { revenuePotential: 0, accountCount: 0, workload: 0, growthPotential: 0 };
  for (const part of value.split(',')) {
    const [rawKey, rawValue] = part.split('=').map((s) => s.trim());
    const key = WEIGHT_KEYS[(rawKey ?? '').toLowerCase()];
    const weight = Number(rawValue);
    if (!key)
      throw new InvalidArgumentError(
        `unknown weight ${JSON.stringify(rawKey)}; use revenue, count, workload, growth`,
      );
    if (rawValue === undefined || rawValue === '' || !Number.isFinite(weight) || weight < 0) {
      throw new InvalidArgumentError(`weight ${rawKey} must be a number ≥ 0`);
    }
    weights[key] = weight;
  }
  if (Object.values(weights).every((w) => w === 0))
    throw new InvalidArgumentError('at least one weight must be above 0');
  return weights;
}
