import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planJsonSchema } from '../../shared/adapters/planning/plan-json.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'territory-router.js');

/** Runs the CLI as a user would; resolves with the exit code instead of throwing. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('territory-router plan', () => {
  it('plans a generated instance and writes every output', async () => {
    const out = join(dir, 'generated');
    const result = await cli('plan', '--generate', '600x6', '--as-of', '2026-03-01', '--out', out);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/composite CV 0\.\d+ → 0\.0\d\d/);
    const plan = planJsonSchema.parse(JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')));
    expect(plan.assignments).toHaveLength(600);
    const moves = parse(await readFile(join(out, 'moves.csv'), 'utf8'), { columns: true });
    expect(moves).toHaveLength(plan.transition.totalMoves);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('# Territory Plan Summary');
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('id="account-map"');
    expect(JSON.parse(await readFile(join(out, 'guardrails.json'), 'utf8'))).toHaveProperty(
      'requiredApprovals',
    );
  });

  it('prints the summary as JSON with each blocked move by its moves.csv row', async () => {
    const out = join(dir, 'json');
    const result = await cli(
      'plan',
      '--generate',
      '600x6',
      '--as-of',
      '2026-03-01',
      '--quiet',
      '--json',
      '--out',
      out,
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ ok: true, mode: 'greenfield', accounts: 600, territories: 6 });
    expect(summary.rating.proposed).toMatch(/^(Excellent|Good|Acceptable|Needs rebalancing)$/);
    expect(summary.blockedMoves.length).toBe(summary.moves.blocked);
    const moves = parse(await readFile(join(out, 'moves.csv'), 'utf8'), { columns: true }) as {
      recordId: string;
    }[];
    for (const b of summary.blockedMoves) {
      // Row 1 is the first line after the header, as reassign counts.
      expect(moves[b.row - 1]?.recordId).toBe(b.accountId);
      expect(b.to).not.toMatch(/^005/);
    }
    const badAccounts = join(dir, 'json-bad-accounts.csv');
    await writeFile(badAccounts, 'id,name\nA1,x\n');
    const bad = await cli(
      'plan',
      '--accounts',
      badAccounts,
      '--reps',
      join(out, 'reps.csv'),
      '--json',
      '--out',
      out,
    );
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, problems: [expect.any(String)] });
  });

  it('replans from CSV files within a move cap and custom weights', async () => {
    const input = join(dir, 'generated');
    const out = join(dir, 'replan');
    const result = await cli(
      'plan',
      '--accounts',
      join(input, 'accounts.csv'),
      '--reps',
      join(input, 'reps.csv'),
      '--mode',
      'replan',
      '--max-moves',
      '20',
      '--weights',
      'revenue=50,count=50',
      '--effective-date',
      '2026-07-01',
      '--as-of',
      '2026-03-01',
      '--quiet',
      '--out',
      out,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8'));
    expect(plan.transition.movesBetweenReps).toBeLessThanOrEqual(20);
    expect(plan.transition.effectiveDate).toBe('2026-07-01');
    expect(plan.meta.weights).toEqual({
      revenuePotential: 0.5,
      accountCount: 0.5,
      workload: 0,
      growthPotential: 0,
    });
  });

  it('exits 2 naming the bad row when the input is malformed', async () => {
    const accounts = join(dir, 'bad-accounts.csv');
    await writeFile(
      accounts,
      'id,name,revenuePotential,workload,growthPotential,industry,postalCode,latitude,longitude,currentOwnerId,named,openDealAmount,arr\n' +
        'A1,Ok,10,1,1,,M5V,,,,,,\nA2,Bad,ten,1,1,,M5V,,,,,,\n',
    );
    const result = await cli(
      'plan',
      '--accounts',
      accounts,
      '--reps',
      join(dir, 'generated', 'reps.csv'),
      '--out',
      join(dir, 'x'),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad-accounts.csv row 2 (line 3): revenuePotential: must be a number');
  });

  it('exits 3 with the clash when the limits cannot be met', async () => {
    const input = join(dir, 'generated');
    const result = await cli(
      'plan',
      '--accounts',
      join(input, 'accounts.csv'),
      '--reps',
      join(input, 'reps.csv'),
      '--min-accounts',
      '120',
      '--quiet',
      '--out',
      join(dir, 'infeasible'),
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /sum of minAccounts over the 6 active reps is 720, more than the 600 accounts/,
    );
  });

  it('rejects an unknown weight before planning', async () => {
    const result = await cli('plan', '--generate', '10x2', '--weights', 'size=3', '--out', join(dir, 'y'));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('unknown weight "size"');
  });
});
