/**
 * Benchmark registry. Each `*.bench.ts` file in test/bench exports `benches: Bench[]`.
 * A bench's `run` does one measured repetition and returns the value in its unit
 * (throughput, milliseconds, call counts...). The runner repeats it after warm-up and reports
 * the median, because these machines are shared and noisy.
 */
export interface Bench {
  /** `area/what/size`, e.g. `match/indexed/10000-territories`. */
  name: string;
  /** e.g. `leads/s`, `ms`, `calls`, `kB`. */
  unit: string;
  /** Measured repetitions (default 5); deterministic counts can use 1. */
  runs?: number;
  warmup?: number;
  /** Name of another bench in the same run; the report gives median / baseline median. */
  baseline?: string;
  /** Set up shared state once before warm-up and runs (e.g. generate data, start a server). */
  setup?: () => Promise<unknown> | unknown;
  run: (state: unknown) => Promise<number> | number;
  teardown?: (state: unknown) => Promise<void> | void;
  /** Extra facts to store beside the numbers (e.g. a goal). */
  notes?: string;
}

export interface BenchResult {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: number;
  baseline?: string;
  ratio?: number;
  notes?: string;
}

/** Typed helper so a bench's setup state flows into run/teardown. */
export function bench<S>(spec: {
  name: string;
  unit: string;
  runs?: number;
  warmup?: number;
  baseline?: string;
  notes?: string;
  setup?: () => Promise<S> | S;
  run: (state: S) => Promise<number> | number;
  teardown?: (state: S) => Promise<void> | void;
}): Bench {
  return spec as Bench;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of `fn` in milliseconds (high-resolution). */
export async function timeMs(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
