import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../shared/adapters/cli/main.js';

async function cli(env: Record<string, string>, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { ...process.env };
  for (const k of Object.keys(process.env))
    if (/^(PORT|DATA_DIR|SLACK_|SF_|OUTBOUND|REASSIGN)/.test(k)) delete process.env[k];
  Object.assign(process.env, env);
  const log = vi.spyOn(console, 'log').mockImplementation((...p) => void out.push(p.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...p) => void err.push(p.join(' ')));
  try {
    const code = await runCli(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.env = saved;
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('territory-router config check', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'config-check-'));
  writeFileSync(join(dataDir, 'reassign-api-key'), 'generated-key-value-0123456789');
  const env = {
    PORT: '4100',
    DATA_DIR: dataDir,
    OUTBOUND_SECRET: 'outbound-secret-value-0123456789',
    SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/secretpart',
  };

  it('shows the ports and which secrets are set, and never a secret value', async () => {
    const { code, out } = await cli(env, 'config', 'check');
    expect(code).toBe(0);
    expect(out).toMatch(/gateway\s+4100/);
    expect(out).toMatch(/Salesforce emulator\s+4101/);
    expect(out).toMatch(/DynamoDB Local\s+4102/);
    expect(out).toMatch(/OUTBOUND_SECRET\s+set \(environment\)/);
    expect(out).toMatch(new RegExp(`REASSIGN_API_KEY\\s+set \\(${join(dataDir, 'reassign-api-key')}\\)`));
    expect(out).toMatch(/SF_CLIENT_SECRET\s+not set/);
    for (const secret of ['outbound-secret-value', 'generated-key-value', 'secretpart'])
      expect(out).not.toContain(secret);
  });

  it('gives the same as JSON', async () => {
    const { code, out } = await cli(env, 'config', 'check', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.ports).toEqual({ gateway: 4100, salesforceEmulator: 4101, dynamodbLocal: 4102 });
    expect(report.secrets.SLACK_WEBHOOK_URL).toEqual({ set: true, source: 'env' });
    expect(report.secrets.SF_PASSWORD.set).toBe(false);
    expect(out).not.toContain('secretpart');
  });

  it('names every invalid variable and exits 2', async () => {
    const { code, out } = await cli({ PORT: 'abc' }, 'config', 'check', '--json');
    expect(code).toBe(2);
    expect(JSON.parse(out)).toMatchObject({ valid: false, problems: [expect.stringMatching(/^PORT:/)] });
  });
});
