import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@jsforce/jsforce-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../shared/local-stack/free-port.js';
import { type LocalStack, startLocalStack } from '../../shared/local-stack/stack.js';

/**
 * `SF_EMULATOR_FIELDS=required`: the local stack against an org with only the package's required
 * field routes the sample lead, and the real CLI (`bin/territory-router.js`, found through
 * DATA_DIR/stack.json) runs `top-up --dry-run` and `plan --from-salesforce`, saying what it lacks.
 */
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'territory-router.js');
const dataDir = mkdtempSync(join(tmpdir(), 'tr-stack-required-'));
let stack: LocalStack;
let conn: Connection;

beforeAll(async () => {
  const env = {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    SF_EMULATOR_PORT: String(await freePort()),
    DYNAMODB_PORT: String(await freePort()),
    SF_EMULATOR_FIELDS: 'required',
    TOP_UP_INTERVAL_MS: '0',
  };
  stack = await startLocalStack({ env, writeBackIntervalMs: 0, log: () => undefined });
  conn = new Connection({
    oauth2: {
      clientId: 'territory-router-local',
      clientSecret: 'territory-router-local-secret',
      loginUrl: stack.salesforceUrl,
    },
    loginUrl: stack.salesforceUrl,
    version: '62.0',
  });
  await conn.authorize({ grant_type: 'client_credentials' });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the local stack with SF_EMULATOR_FIELDS=required', () => {
  it('says so in its health, and the demo data loads without the optional fields', async () => {
    const body = (await (await fetch(`${stack.gatewayUrl}/health`)).json()) as {
      status: string;
      components: Record<string, Record<string, unknown>>;
    };
    expect(body.status).toBe('ok');
    expect(body.components.salesforce).toMatchObject({ mode: 'emulator', customFields: 'required' });
    const { totalSize } = await conn.query('SELECT Id, Routing_Reason__c FROM Lead');
    expect(totalSize).toBeGreaterThan(1000);
  });

  it.each([
    ['Lead', 'Lead_Score__c'],
    ['Lead', 'Product_Interest__c'],
    ['Account', 'Named_Account__c'],
    ['Account', 'ARR__c'],
    ['User', 'Industry_Specialization__c'],
  ])('answers INVALID_FIELD for %s.%s, as an org without it does', async (object, field) => {
    await expect(conn.query(`SELECT Id, ${field} FROM ${object}`)).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining(`No such column '${field}' on entity '${object}'`),
    });
  });

  it('sends a sample message with only fields the org has, and routes it with the reason written back', async () => {
    const xml = readFileSync(join(dataDir, 'sample-outbound-message.xml'), 'utf8');
    expect(xml).not.toContain('Product_Interest__c');
    const leadId = /<sf:Id>(\w{18})<\/sf:Id>/.exec(xml)?.[1] ?? '';
    const res = await fetch(stack.outboundUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: xml,
    });
    expect(await res.text()).toContain('<Ack>true</Ack>');
    expect(await stack.writeBackNow()).toMatchObject({ written: 1 });
    const lead = await conn.sobject('Lead').retrieve(leadId);
    expect(lead.OwnerId).toMatch(/^005/);
    expect(String(lead.Routing_Reason__c)).toMatch(/Territory|default owner/);
  });

  it('runs `top-up --dry-run` through the CLI, oldest first, with a note for each field the org lacks', async () => {
    const run = await cli(['top-up', '--dry-run'], { TOP_UP_POOL_ORDER: 'score' });
    expect(run.stderr).not.toMatch(/INVALID_FIELD|error:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Dry run — nothing written\. \S+ · model v\d+ · pool \d+ \(oldest first\)/m);
    expect(run.stdout).toMatch(/^Would allocate [1-9]\d* of \d+;/m);
    expect(run.stdout).toMatch(
      /^note: Lead\.Lead_Score__c is not in this org .*: the pool is read oldest first \(CreatedDate\)$/m,
    );
    expect(run.stdout).toMatch(
      /^note: Lead\.Product_Interest__c is not in this org .*territory rules on it see no value$/m,
    );
  });

  it('runs `plan --from-salesforce` through the CLI on AnnualRevenue, with the notes, and writes the plan', async () => {
    const out = join(dataDir, 'plan-out');
    const run = await cli(['plan', '--from-salesforce', '--quiet', '--as-of', '2026-11-23', '--out', out]);
    expect(run.stderr).not.toMatch(/INVALID_FIELD|error:/);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^note: Account\.Revenue_Potential__c is not in this org .*AnnualRevenue$/m);
    expect(run.stderr).toMatch(/^note: Account\.Named_Account__c .*no account is kept as a named account$/m);
    expect(run.stderr).toMatch(/^note: User\.Industry_Specialization__c /m);
    expect(run.stdout).toMatch(/wrote .*plan\.json/);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { assignments: unknown[] };
    const { totalSize } = await conn.query('SELECT Id FROM Account');
    expect(plan.assignments).toHaveLength(totalSize);
  });
});

/** The CLI as a user runs it, pointed at this stack by DATA_DIR alone; resolves with the exit code. */
async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(SF_|PORT$|TABLE_NAME$|DYNAMODB_)/.test(k)),
  );
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...clean, DATA_DIR: dataDir, ...env },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
