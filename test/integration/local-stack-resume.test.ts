import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../shared/local-stack/free-port.js';
import { type LocalStack, startLocalStack } from '../../shared/local-stack/stack.js';
import { eventually } from '../support/reassign.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tr-resume-'));
let stack: LocalStack | undefined;

/** What the stack and its console notifier (the local Slack) print, for the run in progress. */
let current: string[] = [];
beforeAll(() => {
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    current.push(args.map(String).join(' '));
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(printed: string[]): Promise<LocalStack> {
  current = printed;
  return startLocalStack({
    env: {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      SF_EMULATOR_PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
    },
    writeBackIntervalMs: 0,
    topUpIntervalMs: 0,
    accountSyncIntervalMs: 0,
    log: (line) => printed.push(line),
  });
}

/** The approval links the console notifier printed, by approver. */
function linksIn(printed: string[]): Array<{ approver: string; url: string }> {
  return [...printed.join('\n').matchAll(/^\s+(.+): (http:\/\/127\.0\.0\.1:\d+\/approvals\/\S+)$/gm)].map(
    (m) => ({ approver: m[1]!, url: m[2]! }),
  );
}

describe('a reassignment awaiting approval survives a local-stack restart', { timeout: 600_000 }, () => {
  it('resumes it on the next start: new links are posted and approving them applies the moves', async () => {
    const before: string[] = [];
    stack = await start(before);
    const apiKey = readFileSync(join(dataDir, 'reassign-api-key'), 'utf8').trim();
    const submitted = await fetch(`${stack.gatewayUrl}/reassignments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: readFileSync(join(dataDir, 'sample-reassignment.json')),
    });
    expect(submitted.status).toBe(202);
    const { requestId } = (await submitted.json()) as { requestId: string };
    await eventually(async () => linksIn(before).length > 0, 120_000);
    await stack.stop();
    stack = undefined;

    const after: string[] = [];
    stack = await start(after);
    expect(after.join('\n')).toContain(`resuming reassignment ${requestId} (awaiting-approval)`);
    const links = await eventually(async () => {
      const found = linksIn(after);
      return found.length > 0 && found;
    }, 120_000);
    // Each link points at the new gateway and decides through it.
    for (const link of links) {
      expect(link.url.startsWith(stack.gatewayUrl)).toBe(true);
      const url = new URL(link.url);
      const decided = await fetch(`${url.origin}${url.pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ t: url.searchParams.get('t')!, decision: 'approve' }).toString(),
      });
      expect(decided.status).toBe(200);
    }
    const status = await eventually(async () => {
      const res = await fetch(`${stack!.gatewayUrl}/reassignments/${requestId}`, {
        headers: { 'x-api-key': apiKey },
      });
      const body = (await res.json()) as { status: string; summary?: { applied: number } };
      return body.status === 'completed' && body;
    }, 180_000);
    const sample = JSON.parse(readFileSync(join(dataDir, 'sample-reassignment.json'), 'utf8')) as {
      moves: unknown[];
    };
    expect(status.summary?.applied).toBe(sample.moves.length);

    // The banner's commands, pasted into a shell with nothing of this process's environment: they
    // find this stack (random ports) through the DATA_DIR written in front of them.
    const banner = after.join('\n');
    const commands = [
      banner.match(/^\s+(curl -s -X POST .*\/salesforce\/outbound\/\S+)$/m)?.[1],
      banner.match(/^\s+(DATA_DIR=\S+ npx territory-router leads show \S+)$/m)?.[1],
      banner.match(/^\s+(DATA_DIR=\S+ npx territory-router explain \S+)$/m)?.[1],
    ];
    const outputs: string[] = [];
    for (const command of commands) {
      expect(command).toBeDefined();
      const { stdout } = await promisify(execFile)('bash', ['-c', command!], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
        cwd: process.cwd(),
        timeout: 240_000,
      });
      outputs.push(stdout);
    }
    expect(outputs[0]).toContain('<Ack>true</Ack>');
    expect(outputs[2]).toMatch(/1\. \S+\s+intake/);
  });
});
