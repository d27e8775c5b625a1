import { generateInstance, type PlanningInstance } from '../../shared/adapters/planning/generate.js';
import { DEFAULT_GUARDRAIL_CONFIG } from '../../shared/domain/guardrails/index.js';
import { longestProcessingTime, roundRobin } from '../../shared/domain/planning/baselines.js';
import { greatCircleKm } from '../../shared/domain/planning/geo.js';
import { type AlignmentMetrics, measureAlignment } from '../../shared/domain/planning/metrics.js';
import { DEFAULT_WEIGHTS, type PlanOptions } from '../../shared/domain/planning/model.js';
import { planTerritories } from '../../shared/domain/planning/plan.js';
import { type Bench, bench } from './harness.js';

/**
 * Planning balance and speed (issue 7): the planner against round robin and LPT on the same
 * generated Ontario instances. Each instance is generated once and each algorithm's result
 * computed once per run; quality benches report those (deterministic) numbers, runtime
 * benches time fresh runs.
 */
const SIZES = [
  { label: '5000x50', accounts: 5000, reps: 50, maxAccounts: 150 },
  { label: '10000x100', accounts: 10000, reps: 100, maxAccounts: 150 },
  // The balance benchmark at 10,000 accounts x 50 reps: 200 accounts a rep needs a higher cap than the default 150.
  { label: '10000x50', accounts: 10000, reps: 50, maxAccounts: 250 },
] as const;
const REPLAN = { label: '5000x50', accounts: 5000, reps: 50, moveCap: 0.1 } as const;
const RUNS = 3;
const MIN_ACCOUNTS = 30;
const MAX_ACCOUNTS = 150;

type Algorithm = 'greenfield' | 'baseline-round-robin' | 'baseline-lpt';

interface Outcome {
  metrics: AlignmentMetrics;
  nearestBoundKm: number;
  /** Largest territory revenue over its lower bound max(largest account, total / reps). */
  maxRevenueToBound: number;
  ms: number;
}

const instances = new Map<string, PlanningInstance>();
const outcomes = new Map<string, Outcome>();

function instance(accounts: number, reps: number): PlanningInstance {
  const key = `${accounts}x${reps}`;
  let found = instances.get(key);
  if (!found) {
    found = generateInstance({ accounts, reps, seed: 7 });
    instances.set(key, found);
  }
  return found;
}

function options(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    mode: 'greenfield',
    weights: DEFAULT_WEIGHTS,
    now: new Date('2026-03-01T12:00:00Z'),
    defaultMinAccounts: MIN_ACCOUNTS,
    defaultMaxAccounts: MAX_ACCOUNTS,
    coverage: { industry: 0.8, region: 0.7, radiusKm: 100 },
    specializationKm: 25,
    guardrails: DEFAULT_GUARDRAIL_CONFIG,
    history: [],
    ...overrides,
  };
}

function assign(algorithm: Algorithm, input: PlanningInstance, maxAccounts = MAX_ACCOUNTS): Int32Array {
  if (algorithm === 'greenfield') {
    const plan = planTerritories(input, options({ defaultMaxAccounts: maxAccounts }));
    const index = new Map(input.reps.map((r, i) => [r.id, i]));
    return Int32Array.from(plan.assignments, (a) => index.get(a.repId) as number);
  }
  const spec = {
    accounts: input.accounts,
    reps: input.reps,
    maxAccounts: input.reps.map(() => maxAccounts),
  };
  return algorithm === 'baseline-lpt' ? longestProcessingTime(spec) : roundRobin(spec);
}

function outcome(algorithm: Algorithm, accounts: number, reps: number, maxAccounts = MAX_ACCOUNTS): Outcome {
  const key = `${algorithm}/${accounts}x${reps}`;
  const cached = outcomes.get(key);
  if (cached) return cached;
  const input = instance(accounts, reps);
  let owner: Int32Array = new Int32Array(0);
  const ms = timeSync(() => {
    owner = assign(algorithm, input, maxAccounts);
  });
  const { metrics, territories } = measureAlignment(input.accounts, input.reps, owner, DEFAULT_WEIGHTS);
  const total = input.accounts.reduce((sum, a) => sum + a.revenuePotential, 0);
  const largest = Math.max(...input.accounts.map((a) => a.revenuePotential));
  const result: Outcome = {
    metrics,
    nearestBoundKm: nearestRepMeanKm(input),
    maxRevenueToBound:
      Math.max(...territories.map((t) => t.revenuePotential)) / Math.max(largest, total / reps),
    ms,
  };
  outcomes.set(key, result);
  return result;
}

function nearestRepMeanKm(input: PlanningInstance): number {
  let sum = 0;
  for (const a of input.accounts)
    sum += Math.min(...input.reps.map((r) => greatCircleKm(a.location, r.location)));
  return sum / input.accounts.length;
}

/** Wall time of a synchronous call in ms (the harness's timeMs is async). */
function timeSync(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const QUALITY: { metric: string; unit: string; value: (o: Outcome) => number }[] = [
  { metric: 'composite-cv', unit: 'cv', value: (o) => o.metrics.composite.coefficientOfVariation },
  { metric: 'revenue-cv', unit: 'cv', value: (o) => o.metrics.revenuePotential.coefficientOfVariation },
  { metric: 'count-cv', unit: 'cv', value: (o) => o.metrics.accountCount.coefficientOfVariation },
  { metric: 'workload-cv', unit: 'cv', value: (o) => o.metrics.workload.coefficientOfVariation },
  { metric: 'growth-cv', unit: 'cv', value: (o) => o.metrics.growthPotential.coefficientOfVariation },
  { metric: 'travel-km', unit: 'km', value: (o) => o.metrics.meanTravelKm },
  { metric: 'travel-ratio', unit: 'x-bound', value: (o) => o.metrics.meanTravelKm / o.nearestBoundKm },
  { metric: 'max-revenue-to-bound', unit: 'x-bound', value: (o) => o.maxRevenueToBound },
];
const GOALS: Record<string, string> = {
  'composite-cv': 'goal ≤ 0.02',
  'revenue-cv': 'goal ≤ 0.05',
  'count-cv': 'goal ≤ 0.05',
  'workload-cv': 'goal ≤ 0.05',
  'growth-cv': 'goal ≤ 0.05',
  'travel-ratio': 'goal ≤ 3 (mean travel over the nearest-rep assignment)',
  'runtime-ms': 'goal < 10000',
};

const ALGORITHMS: Algorithm[] = ['baseline-round-robin', 'baseline-lpt', 'greenfield'];

function qualityBenches(): Bench[] {
  return SIZES.flatMap((size) =>
    ALGORITHMS.flatMap((algorithm) => [
      ...QUALITY.map(({ metric, unit, value }) =>
        bench<Outcome>({
          name: `plan/${algorithm}/${size.label}/${metric}`,
          unit,
          runs: RUNS,
          warmup: 0,
          ...(algorithm === 'greenfield' ? { baseline: `plan/baseline-lpt/${size.label}/${metric}` } : {}),
          ...(algorithm === 'greenfield' && GOALS[metric] ? { notes: GOALS[metric] } : {}),
          setup: () => outcome(algorithm, size.accounts, size.reps, size.maxAccounts),
          run: value,
        }),
      ),
      bench<PlanningInstance>({
        name: `plan/${algorithm}/${size.label}/runtime-ms`,
        unit: 'ms',
        runs: RUNS,
        warmup: 0,
        ...(algorithm === 'greenfield'
          ? {
              baseline: `plan/baseline-lpt/${size.label}/runtime-ms`,
              notes: `${GOALS['runtime-ms']}; whole planTerritories (metrics, coverage, guardrails included)`,
            }
          : {}),
        setup: () => instance(size.accounts, size.reps),
        run: (input) => timeSync(() => assign(algorithm, input, size.maxAccounts)),
      }),
    ]),
  );
}

interface ReplanState {
  before: number;
  after: number;
  moves: number;
  input: PlanningInstance;
}

const replanKey = `plan/replan/${REPLAN.label}`;
let replanOutcome: ReplanState | undefined;

function replan(): ReplanState {
  if (replanOutcome) return replanOutcome;
  const input = instance(REPLAN.accounts, REPLAN.reps);
  const plan = planTerritories(
    input,
    options({ mode: 'replan', maxMoves: Math.round(REPLAN.moveCap * REPLAN.accounts) }),
  );
  replanOutcome = {
    before: plan.metrics.current.composite.coefficientOfVariation,
    after: plan.metrics.proposed.composite.coefficientOfVariation,
    moves: plan.transition.movesBetweenReps,
    input,
  };
  return replanOutcome;
}

const replanBenches: Bench[] = [
  bench<ReplanState>({
    name: `${replanKey}/composite-cv-before`,
    unit: 'cv',
    runs: RUNS,
    warmup: 0,
    setup: replan,
    run: (s) => s.before,
  }),
  bench<ReplanState>({
    name: `${replanKey}/composite-cv-after`,
    unit: 'cv',
    runs: RUNS,
    warmup: 0,
    baseline: `${replanKey}/composite-cv-before`,
    notes: 'goal: ratio ≤ 0.5 (at least halves the current CV) with a 10% move cap',
    setup: replan,
    run: (s) => s.after,
  }),
  bench<ReplanState>({
    name: `${replanKey}/moves`,
    unit: 'moves',
    runs: RUNS,
    warmup: 0,
    notes: `cap ${Math.round(REPLAN.moveCap * REPLAN.accounts)} (10% of accounts)`,
    setup: replan,
    run: (s) => s.moves,
  }),
  bench<ReplanState>({
    name: `${replanKey}/runtime-ms`,
    unit: 'ms',
    runs: RUNS,
    warmup: 0,
    setup: replan,
    run: (s) =>
      timeSync(() =>
        planTerritories(
          s.input,
          options({ mode: 'replan', maxMoves: Math.round(REPLAN.moveCap * REPLAN.accounts) }),
        ),
      ),
  }),
];

export const benches: Bench[] = [...qualityBenches(), ...replanBenches];
