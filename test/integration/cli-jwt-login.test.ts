import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoData } from '../../shared/local-stack/demo-data.js';
import {
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';

/**
 * The CLI logs in to a real org as the Lambdas do, with the JWT bearer flow (SF_LOGIN_URL,
 * SF_CLIENT_ID, SF_USERNAME, SF_PRIVATE_KEY_FILE), here against the emulator's token endpoint over
 * HTTP. What the org refuses (another key, another audience, an assertion that expires more than
 * 3 minutes ahead) is invalid_grant, and the CLI says so with what to check.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'territory-router.js');
const dir = mkdtempSync(join(tmpdir(), 'tr-cli-jwt-'));
let sf: SalesforceEmulator;
let goodKey: string;
let otherKey: string;

beforeAll(async () => {
  sf = await startSalesforceEmulator({ seed: demoData() });
  goodKey = join(dir, 'server.key');
  otherKey = join(dir, 'other.key');
  writeFileSync(goodKey, sf.credentials.jwtPrivateKey, { mode: 0o600 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  writeFileSync(otherKey, other.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
});
afterAll(async () => {
  await sf?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  sf.resetCalls();
});

/** `plan --from-salesforce` as a user runs it against a real org; `clockAheadMs` skews the CLI's clock. */
async function planFromSalesforce(
  env: Record<string, string>,
  clockAheadMs = 0,
): Promise<{ code: number; stdout: string; stderr: string; out: string }> {
  const out = join(dir, `plan-${Math.random().toString(36).slice(2)}`);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SF_')));
  const skew = clockAheadMs
    ? ['--import', `data:text/javascript,const now=Date.now;Date.now=()=>now()+${clockAheadMs};`]
    : [];
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [...skew, BIN, 'plan', '--from-salesforce', '--quiet', '--as-of', '2026-11-23', '--out', out],
      {
        env: {
          ...clean,
          SF_LOGIN_URL: sf.loginUrl,
          SF_CLIENT_ID: sf.credentials.clientId,
          SF_USERNAME: sf.credentials.username,
          SF_PRIVATE_KEY_FILE: goodKey,
          ...env,
        },
        timeout: 180_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr, out };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
      out,
    };
  }
}

describe('territory-router with SF_PRIVATE_KEY_FILE (JWT bearer)', () => {
  it('logs in with the certificate’s key, with no client secret, and pulls the org', async () => {
    const run = await planFromSalesforce({});
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.code).toBe(0);
    expect(sf.calls().token).toBe(1);
    const plan = JSON.parse(readFileSync(join(run.out, 'plan.json'), 'utf8')) as { assignments: unknown[] };
    expect(plan.assignments).toHaveLength(demoData().accounts.length);
  });

  it.each([
    [
      'a key that is not the certificate’s',
      () => ({ SF_PRIVATE_KEY_FILE: otherKey }),
      0,
      'invalid assertion',
    ],
    [
      'a login URL that is not the audience the org expects',
      () => ({ SF_LOGIN_URL: sf.loginUrl.replace('127.0.0.1', 'localhost') }),
      0,
      'audience is invalid',
    ],
    ['a clock 10 minutes fast (exp beyond 3 minutes)', () => ({}), 10 * 60_000, 'invalid assertion'],
  ])('refuses %s with invalid_grant and a clear error', async (_, overrides, clockAheadMs, description) => {
    const env: Record<string, string> = overrides();
    const run = await planFromSalesforce(env, clockAheadMs);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: Salesforce refused the jwt-bearer login to \\S+ as ${sf.credentials.username.replace('.', '\\.')}: ` +
          `invalid_grant \\(${description}\\); check that the private key matches the certificate`,
        'm',
      ),
    );
    // Refused at the token endpoint: nothing else was asked of the org.
    expect(sf.calls()).toEqual({ token: 1 });
  });

  it('names an unreadable key file instead of trying to log in', async () => {
    const run = await planFromSalesforce({ SF_PRIVATE_KEY_FILE: join(dir, 'missing.key') });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: SF_PRIVATE_KEY_FILE: cannot read .*missing\.key/m);
    expect(sf.calls()).toEqual({});
  });
});
