import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { lambdaBundling, lambdaNodeModules } from '../../infra/constructs/bundling.js';
import { bench } from './harness.js';

const functionsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'functions');

/** Minified size of one Lambda's bundle, built exactly as the CDK construct builds it. */
async function bundleKb(entryFile: string): Promise<number> {
  const result = await build({
    entryPoints: [join(functionsDir, entryFile)],
    bundle: true,
    write: false,
    platform: 'node',
    format: lambdaBundling.format,
    target: lambdaBundling.target,
    minify: lambdaBundling.minify,
    mainFields: [...lambdaBundling.mainFields],
    external: [...lambdaBundling.externalModules, ...(lambdaNodeModules[entryFile] ?? [])],
    banner: { js: lambdaBundling.banner },
    logLevel: 'silent',
  });
  return result.outputFiles.reduce((sum, f) => sum + f.contents.length, 0) / 1024;
}

const goals: Record<string, string> = {
  'intake.ts':
    'goal <= 500 kB, no jsforce; zipcodes data ships beside it and loads on first proximity lookup',
  'write-back.ts': 'goal <= 1.5 MB with @jsforce/jsforce-node',
};

const functionFiles = readdirSync(functionsDir).filter((f) => f.endsWith('.ts'));

export const benches = functionFiles.flatMap((file) => {
  const name = file.replace(/\.ts$/, '');
  const run = () => bundleKb(file);
  const notes = goals[file];
  return [
    bench({ name: `bundle/${name}-kb`, unit: 'kB', runs: 1, warmup: 0, run, ...(notes ? { notes } : {}) }),
    ...(name === 'intake'
      ? [bench({ name: 'intake/bundle-kb', unit: 'kB', runs: 1, warmup: 0, run, notes: notes ?? '' })]
      : []),
  ];
});
