import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';

const t = useDynamoDbLocal();
const ontarioFile = fileURLToPath(
  new URL('../../shared/local-stack/ontario-territories.yaml', import.meta.url),
);

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts) => void out.push(parts.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...parts) => void err.push(parts.join(' ')));
  try {
    const code = await runCli(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.exitCode = undefined;
    log.mockRestore();
    error.mockRestore();
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

type Row = { id: string; name: string; available: boolean; reason: string };

describe('territory-router reps availability', () => {
  it('prints a JSON array of { id, name, available, reason } for a model file', async () => {
    const result = await cli(
      'reps',
      'availability',
      '--model',
      ontarioFile,
      '--at',
      '2026-12-25T15:00:00Z',
      '--json',
    );
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.out) as Row[];
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => Object.keys(r).join() === 'id,name,available,reason')).toBe(true);
    expect(rows[0]).toEqual({
      id: '005TR0000000001YAA',
      name: 'Joe Tremblay',
      available: false,
      reason: 'holiday: Christmas Day (CA-ON)',
    });
    expect(rows.find((r) => r.name === 'Nadia Haddad')).toMatchObject({
      available: false,
      reason: 'inactive',
    });
  });

  it('prints a table with every rep, out of office and outside working hours', async () => {
    const result = await cli('reps', 'availability', '--model', ontarioFile, '--at', '2026-12-22T03:00:00Z');
    expect(result.code).toBe(0);
    expect(result.out).toContain('at 2026-12-22T03:00:00.000Z: 0 of 12 reps available');
    expect(result.out).toMatch(
      /005TR0000000001YAA +Joe Tremblay +no +outside working hours: Mon 22:00 America\/Toronto/,
    );
    expect(result.out).toMatch(/Ethan Wilson +no +out of office until 2026-12-24T17:00/);
    const office = await cli(
      'reps',
      'availability',
      '--model',
      ontarioFile,
      '--at',
      '2026-11-24T15:00:00-05:00',
    );
    expect(office.out).toContain('9 of 12 reps available');
    expect(office.out).toMatch(/Joe Tremblay +yes +on shift: Tue 15:00 America\/Toronto \(09:00-17:00\)/);
  });

  it('reads the production model from DynamoDB when no file is given', async () => {
    const db = ['--endpoint', t.db.endpoint, '--table', await t.newTable()];
    const none = await cli('reps', 'availability', ...db, '--at', '2026-12-25T15:00:00Z');
    expect(none.code).toBe(1);
    expect(none.err).toContain('no production territory model yet');

    const edited = readFileSync(ontarioFile, 'utf8').replace('holidays: [CA-ON]', 'holidays: [CA-QC]');
    const file = join(mkdtempSync(join(tmpdir(), 'availability-cli-')), 'quebec.yaml');
    writeFileSync(file, edited);
    expect((await cli('territories', 'push', file, ...db)).code).toBe(0);
    expect((await cli('territories', 'promote', ...db)).code).toBe(0);
    // Family Day is an Ontario holiday, not a Quebec one: production's calendar decides.
    const result = await cli('reps', 'availability', ...db, '--at', '2026-02-16T15:00:00Z', '--json');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.out) as Row[])[0]).toMatchObject({ available: true });
    const text = await cli('reps', 'availability', ...db, '--at', '2026-06-24T15:00:00Z');
    expect(text.out).toContain('production model v1 at 2026-06-24T15:00:00.000Z: 0 of 12 reps available');
    expect(text.out).toContain('holiday: National Holiday (CA-QC)');
  });

  it.each([
    [['--at', '2026-12-25'], '--at "2026-12-25" is not an ISO 8601 instant'],
    [['--at', 'tomorrow'], '--at "tomorrow" is not an ISO 8601 instant'],
    [['--model', '/nonexistent/model.yaml'], 'cannot read /nonexistent/model.yaml: ENOENT'],
  ])('refuses %j', async (args, message) => {
    const result = await cli('reps', 'availability', ...args);
    expect(result.code).toBe(1);
    expect(result.err).toContain(message);
  });

  it('refuses a model file with problems and names them', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'availability-cli-')), 'broken.yaml');
    writeFileSync(file, readFileSync(ontarioFile, 'utf8').replace('holidays: [CA-ON]', 'holidays: [CA-XX]'));
    const result = await cli('reps', 'availability', '--model', file);
    expect(result.code).toBe(1);
    expect(result.err).toContain('calendars[0].holidays[0]: no public holidays are known for "CA-XX"');
  });
});
