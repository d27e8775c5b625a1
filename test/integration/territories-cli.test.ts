import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';

const t = useDynamoDbLocal();
const root = fileURLToPath(new URL('../../', import.meta.url));
const ontarioFile = join(root, 'shared/local-stack/ontario-territories.yaml');
const leadsFile = join(root, 'test/unit/territory/ontario-leads.csv');
const ontario = readFileSync(ontarioFile, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'territories-cli-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Run the CLI in-process and capture what it prints. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts) => void out.push(parts.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...parts) => void err.push(parts.join(' ')));
  process.exitCode = undefined;
  try {
    const code = await runCli(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.exitCode = undefined;
    log.mockRestore();
    error.mockRestore();
  }
}

let db: string[];

beforeAll(async () => {
  db = ['--endpoint', t.db.endpoint, '--table', await t.newTable(), '--model', 'ontario'];
});

afterEach(() => {
  process.exitCode = undefined;
});

describe('territory-router territories (in-process)', () => {
  // The first command loads every CLI module and the holiday data: slow on a busy machine.
  it('validates the example file without a database', async () => {
    const result = await cli('territories', 'validate', ontarioFile);
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toContain('valid — 9 territories, 6 categories, 12 reps');
  }, 120_000);

  it('lists every problem of an invalid file with file:line:column and exits non-zero', async () => {
    const broken = file(
      'broken.yaml',
      ontario
        .replace('{ id: senior, name: Senior, weight: 60', '{ id: senior, name: Senior, weight: 50')
        .replace('participants: [rep10, rep06]', 'participants: [rep10, rep13]')
        .replace('expression: PostalCode STARTS WITH "K"', 'expression: PostalCod STARTS WITH "K"'),
    );
    const result = await cli('territories', 'validate', broken);
    expect(result.code).toBe(1);
    expect(result.err).toContain('3 problems');
    expect(result.err).toMatch(
      /broken\.yaml:\d+:\d+ territories\[4\]\.distribution: territory "gta-general": weighted percentages add up to 90, not 100/,
    );
    expect(result.err).toMatch(/participant "rep13" is not a known rep \(known: rep01, rep02/);
    expect(result.err).toMatch(
      /categories\[3\]\.expression: 1:1: unknown attribute "PostalCod" \(did you mean PostalCode\?\)/,
    );
  });

  it('fails with a clear message for a missing file', async () => {
    const result = await cli('territories', 'validate', join(dir, 'nope.yaml'));
    expect(result.code).toBe(1);
    expect(result.err).toContain('cannot read');
  });

  it('publishes, reviews, promotes and rolls back through the commands', async () => {
    expect((await cli('territories', 'versions', ...db)).out).toContain('no versions yet');

    // An invalid push writes nothing.
    const invalid = await cli(
      'territories',
      'push',
      file('bad.yaml', ontario.replace('priority: 2', 'priority: 0')),
      ...db,
    );
    expect(invalid.code).toBe(1);
    expect((await cli('territories', 'promote', ...db)).err).toContain('There is no draft to promote');

    expect((await cli('territories', 'push', ontarioFile, '--by', 'ops', ...db)).out).toContain(
      'draft saved (revision 1, 9 territories)',
    );
    const firstDiff = await cli('territories', 'diff', ...db);
    expect(firstDiff.out).toContain('production → draft');
    expect(firstDiff.out).toContain('+ toronto-core "Toronto Core" (priority 2)');

    expect((await cli('territories', 'promote', '--note', 'initial', '--by', 'ops', ...db)).out).toContain(
      'promoted version 1',
    );
    expect((await cli('territories', 'promote', ...db)).err).toContain('identical to production (version 1)');

    const edited = file(
      'edited.yaml',
      ontario.replace('participants: [rep10, rep06]', 'participants: [rep08]'),
    );
    expect((await cli('territories', 'push', edited, ...db)).code).toBe(0);
    const diff = await cli('territories', 'diff', ...db);
    expect(diff.out).toContain('~ north "North" (priority 5)');
    expect(diff.out).toContain('group main participants: +Daniel Kim, -Ethan Wilson, -Marc Gagnon');

    const simulation = await cli(
      'territories',
      'simulate',
      '--leads',
      leadsFile,
      '--now',
      '2026-11-20T15:00:00Z',
      ...db,
    );
    expect(simulation.code).toBe(0);
    expect(simulation.out).toContain('Simulated 60 leads.');
    expect(simulation.out).toMatch(/\d+ lead\(s\) would change owner:/);
    expect(simulation.out).toContain('→ Daniel Kim (North)');
    const json = JSON.parse(
      (await cli('territories', 'simulate', '--leads', leadsFile, '--json', ...db)).out,
    );
    expect(json.draft.perRep.length).toBeGreaterThan(0);

    const promoted = await cli('territories', 'promote', ...db);
    expect(promoted.out).toContain('promoted version 2');
    expect(promoted.out).toContain('undo: territories rollback --to 1');
    expect((await cli('territories', 'rollback', '--to', '1', '--by', 'ops', ...db)).out).toContain(
      'production now at version 1 (latest is 2)',
    );
    // Every command that changes the model answers --json too.
    expect(
      JSON.parse((await cli('territories', 'rollback', '--to', '2', '--json', ...db)).out),
    ).toMatchObject({
      version: 2,
      latestVersion: 2,
      action: 'rollback',
    });
    const pushed = await cli('territories', 'push', ontarioFile, '--json', ...db);
    expect(JSON.parse(pushed.out)).toMatchObject({ saved: true, territories: 9 });
    const promotedJson = JSON.parse((await cli('territories', 'promote', '--json', ...db)).out);
    expect(promotedJson).toMatchObject({ version: 3, territories: 9 });
    expect(promotedJson.model).toBeUndefined();
    expect((await cli('territories', 'rollback', '--to', '1', ...db)).code).toBe(0);
    const versions = await cli('territories', 'versions', ...db);
    expect(versions.out).toMatch(/\* v1 .* by ops {2}9 territories — initial/);
    expect(versions.out).toMatch(/ {2}v2 /);

    const missing = await cli('territories', 'rollback', '--to', '7', ...db);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Version 7 does not exist');
    expect((await cli('territories', 'diff', '--from', '1', '--to', '2', ...db)).out).toContain('~ north');
  });

  it('exits non-zero when DynamoDB cannot be reached', async () => {
    const result = await cli(
      'territories',
      'versions',
      '--endpoint',
      'http://127.0.0.1:9',
      '--table',
      'none',
    );
    expect(result.code).toBe(1);
  });
});

describe('bin/territory-router.js', () => {
  const run = promisify(execFile);

  it('validates as a real process and reports failure in its exit code', async () => {
    const ok = await run('node', ['bin/territory-router.js', 'territories', 'validate', ontarioFile], {
      cwd: root,
    });
    expect(ok.stdout).toContain('valid');
    const bad = file('bad-bin.yaml', 'name: x\n');
    const failure = await run('node', ['bin/territory-router.js', 'territories', 'validate', bad], {
      cwd: root,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('defaultOwner');
  }, 120_000);
});
