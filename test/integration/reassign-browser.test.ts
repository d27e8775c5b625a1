import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { salesforceConnection } from '../../shared/adapters/salesforce/connection.js';
import { repId } from '../../shared/local-stack/demo-data.js';
import { freePort } from '../../shared/local-stack/free-port.js';
import { DEFAULT_EMULATOR_CREDENTIALS } from '../../shared/local-stack/salesforce-emulator/auth.js';
import { type LocalStack, startLocalStack } from '../../shared/local-stack/stack.js';
import { launchChromium } from '../support/browser.js';
import { eventually } from '../support/reassign.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tr-reassign-'));
let stack: LocalStack | undefined;
let browser: Browser | undefined;
/** What the local stack's console notifier prints as the Slack message. */
const printed: string[] = [];

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  });
  stack = await startLocalStack({
    env: {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      SF_EMULATOR_PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
    },
    writeBackIntervalMs: 0,
    topUpIntervalMs: 0,
    log: (line) => printed.push(line),
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  vi.restoreAllMocks();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('bulk reassign on the local stack', () => {
  it('applies the sample moves to the emulator once every approver clicks Approve in the browser', async () => {
    const sample = JSON.parse(readFileSync(join(dataDir, 'sample-reassignment.json'), 'utf8')) as {
      moves: Array<{ recordId: string; toOwnerId: string }>;
    };
    const apiKey = readFileSync(join(dataDir, 'reassign-api-key'), 'utf8').trim();
    const submitted = await fetch(`${stack!.gatewayUrl}/reassignments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: readFileSync(join(dataDir, 'sample-reassignment.json')),
    });
    expect(submitted.status).toBe(202);
    const { requestId, statusUrl } = (await submitted.json()) as { requestId: string; statusUrl: string };

    // The Slack message, printed locally, carries one working link per approver.
    const links = await eventually(async () => {
      const found = [
        ...printed.join('\n').matchAll(/^\s+(.+): (http:\/\/127\.0\.0\.1:\d+\/approvals\/\S+)$/gm),
      ];
      return found.length > 0 && found.map((m) => ({ approver: m[1]!, url: m[2]! }));
    });
    expect(links.map((l) => l.approver)).toContain('VP Sales');

    const conn = await salesforceConnection({
      loginUrl: stack!.salesforceUrl,
      clientId: DEFAULT_EMULATOR_CREDENTIALS.clientId,
      clientSecret: DEFAULT_EMULATOR_CREDENTIALS.clientSecret,
      apiVersion: '62.0',
    });
    const ids = sample.moves.map((m) => `'${m.recordId}'`).join(',');
    const accounts = await conn.query<{ Id: string; Name: string; Owner: { Name: string } }>(
      `SELECT Id, Name, Owner.Name FROM Account WHERE Id IN (${ids})`,
    );
    const target = await conn.query<{ Name: string }>(
      `SELECT Name FROM User WHERE Id = '${sample.moves[0]!.toOwnerId}'`,
    );
    const newOwner = target.records[0]!.Name;
    // The Slack message names reps, not ids.
    const slack = printed.join('\n');
    expect(slack).toMatch(new RegExp(`Moves per rep: .*${newOwner} \\+${sample.moves.length}/−0`));
    expect(slack).not.toMatch(/Rep 005/);

    const page = await browser!.newPage();
    // Two cores shared with other work: a decision's POST can take well over Playwright's 30 s default.
    page.setDefaultTimeout(120_000);
    for (const link of links) {
      await page.goto(link.url);
      await expect(page.textContent('h1')).resolves.toMatch(/approval/i);
      // What the approver sees: the records moving by name with their owners by name, reps by name.
      await expect(page.textContent('#moving')).resolves.toBe(`Records moving (${sample.moves.length})`);
      const rows = await page.$$eval('table.moving tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())),
      );
      expect(rows).toHaveLength(sample.moves.length);
      for (const a of accounts.records) {
        const row = rows.find((r) => r[1]?.startsWith(a.Name));
        expect(row, a.Name).toBeDefined();
        expect(row![2]).toBe(a.Owner.Name);
        expect(row![3]).toBe(newOwner);
      }
      const visible = await page.innerText('body');
      if (link.approver === 'VP Sales') {
        expect(visible).toContain(`${newOwner} gains ${sample.moves.length} and loses 0 accounts`);
        expect(visible).toMatch(
          new RegExp(`Why your approval is needed \\(${sample.moves.length} records\\)`),
        );
      } else expect(visible).toMatch(/Why your approval is needed \((1 record|\d+ records)\)/);
      // No bare user ids anywhere a person reads (record ids appear only under their names).
      expect(visible.replace(/\n(Account) 001\w{15}/g, '')).not.toMatch(/\b005\w{12,15}\b/);
      if (link.approver === 'VP Sales')
        await page.screenshot({ path: join(dataDir, 'approval-page.png'), fullPage: true });
      await Promise.all([page.waitForNavigation(), page.click('button[value="approve"]')]);
      await expect(page.textContent('h1')).resolves.toBe('Thank you — approved');
      await expect(page.textContent('p')).resolves.toMatch(
        link === links.at(-1)
          ? /Every approval is in: the moves apply on/
          : /The moves apply once every other approval is in/,
      );
    }
    await page.close();

    const status = await eventually(async () => {
      const res = await fetch(statusUrl, { headers: { 'x-api-key': apiKey } });
      const body = (await res.json()) as { status: string; summary?: { applied: number } };
      return body.status === 'completed' && body;
    });
    expect(status.summary?.applied).toBe(sample.moves.length);
    expect(requestId).toBeTruthy();

    const { records } = await conn.query<{ Id: string; OwnerId: string; Routing_Reason__c: string }>(
      `SELECT Id, OwnerId, Routing_Reason__c FROM Account WHERE Id IN (${ids})`,
    );
    expect(records).toHaveLength(sample.moves.length);
    for (const r of records) {
      expect(r.OwnerId).toBe(sample.moves[0]!.toOwnerId);
      expect(r.Routing_Reason__c).toMatch(
        /^→ [^,;]+, reassigned: FY2027 Territory Planning; approved by .*VP Sales/,
      );
    }
  });

  it('takes the planner’s moves.csv through the CLI, naming bad rows before sending anything', async () => {
    const sample = JSON.parse(readFileSync(join(dataDir, 'sample-reassignment.json'), 'utf8')) as {
      moves: Array<{ recordId: string; toOwnerId: string }>;
    };
    const [first, second] = sample.moves;
    const header = 'recordId,objectType,fromOwnerId,toOwnerId,reason,effectiveDate';
    const bad = join(dataDir, 'bad-moves.csv');
    writeFileSync(bad, `${header}\n${first!.recordId},Account,x,not-an-id,,\n`);
    const errors: string[] = [];
    const errorSpy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.map(String).join(' '));
    });
    expect(await runCli(['reassign', bad, '--url', stack!.gatewayUrl])).toBe(2);
    errorSpy.mockRestore();
    expect(errors.join('\n')).toContain(
      'row 1 (line 2): toOwnerId is not a 15- or 18-character Salesforce id',
    );

    // Two of the sample's accounts on to another demo rep: within the book and VP limits.
    const target = repId(4);
    const good = join(dataDir, 'moves.csv');
    writeFileSync(
      good,
      `${header}\n${first!.recordId},Account,${first!.toOwnerId},${target},Territory plan: rebalance,\n` +
        `${second!.recordId},Account,${second!.toOwnerId},${target},Territory plan: rebalance,\n`,
    );
    printed.length = 0;
    // The CLI takes the key the stack wrote to its DATA_DIR (this test's, not the default one).
    const apiKey = readFileSync(join(dataDir, 'reassign-api-key'), 'utf8').trim();
    expect(
      await runCli([
        'reassign',
        good,
        '--url',
        stack!.gatewayUrl,
        '--api-key',
        apiKey,
        '--requested-by',
        'Dana',
      ]),
    ).toBe(0);
    const output = printed.join('\n');
    expect(output).toMatch(/submitted 2 moves as request \S+/);
    expect(output).toMatch(/2 moves: 2 allowed, 0 blocked/);
  });
});
