import '../../shared/runtime/polyfills.js';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { type Bench, type BenchResult, median } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const program = new Command()
  .name('bench')
  .option('--only <prefix>', 'run only benchmarks whose names start with this prefix')
  .option('--out <file>', 'results file', join(here, '..', '..', 'bench-results.json'))
  .parse();
const { only, out } = program.opts<{ only?: string; out: string }>();

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const benches: Bench[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { benches?: Bench[] };
  benches.push(...(mod.benches ?? []));
}
const chosen = benches.filter((b) => !only || b.name.startsWith(only));
// A ratio needs its baseline measured in the same run: bring in baselines `--only` left out, first.
const baselines = benches.filter((b) => !chosen.includes(b) && chosen.some((c) => c.baseline === b.name));
const selected = [...baselines, ...chosen];
if (selected.length === 0) {
  console.error(`No benchmark matches ${only ?? '(all)'}; known: ${benches.map((b) => b.name).join(', ')}`);
  process.exit(1);
}

const results = new Map<string, BenchResult>();
for (const b of selected) {
  const state = await b.setup?.();
  try {
    for (let i = 0; i < (b.warmup ?? 1); i++) await b.run(state);
    const values: number[] = [];
    for (let i = 0; i < (b.runs ?? 5); i++) values.push(await b.run(state));
    const result: BenchResult = {
      name: b.name,
      unit: b.unit,
      median: round(median(values)),
      min: round(Math.min(...values)),
      max: round(Math.max(...values)),
      runs: values.length,
      ...(b.notes ? { notes: b.notes } : {}),
    };
    results.set(b.name, result);
    process.stdout.write(`${b.name.padEnd(52)} ${String(result.median).padStart(14)} ${b.unit}\n`);
  } finally {
    await b.teardown?.(state);
  }
}
for (const b of selected) {
  const r = results.get(b.name);
  const base = b.baseline ? results.get(b.baseline) : undefined;
  if (r && b.baseline) {
    r.baseline = b.baseline;
    if (base && base.median !== 0) r.ratio = round(r.median / base.median);
  }
}

console.log('\nname'.padEnd(53), 'median'.padStart(14), 'unit'.padEnd(10), 'ratio', 'vs baseline');
for (const r of results.values()) {
  console.log(
    r.name.padEnd(52),
    String(r.median).padStart(14),
    r.unit.padEnd(10),
    r.ratio === undefined ? '' : `${r.ratio}x`,
    r.baseline ?? '',
  );
}

// Merge with earlier results so `--only` refreshes a subset without dropping the rest.
const previous: BenchResult[] = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : [];
const merged = [...previous.filter((p) => !results.has(p.name)), ...results.values()].sort((a, b) =>
  a.name.localeCompare(b.name),
);
writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`);
console.log(`\nwrote ${merged.length} results to ${out}`);

function round(n: number): number {
  return Number.isFinite(n) ? Number(n.toPrecision(6)) : n;
}
