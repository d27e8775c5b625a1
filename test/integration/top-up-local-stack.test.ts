import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../shared/local-stack/free-port.js';
import { type LocalStack, startLocalStack } from '../../shared/local-stack/stack.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tr-topup-'));
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface RunResult {
  status: string;
  summary: { dryRun: boolean; allocated: number; pool: { read: number }; reps: Array<{ given: number }> };
}

describe('the top-up in the local stack', () => {
  it('is a /health component and runs on demand through the Lambda handler, dry first', async () => {
    stack = await startLocalStack({
      env: {
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        SF_EMULATOR_PORT: String(await freePort()),
        DYNAMODB_PORT: String(await freePort()),
      },
      writeBackIntervalMs: 0,
      topUpIntervalMs: 0,
      log: () => undefined,
    });
    const health = (await (await fetch(`${stack.gatewayUrl}/health`)).json()) as {
      components: Record<string, Record<string, unknown>>;
    };
    expect(health.components.topUp).toMatchObject({ state: 'up', intervalMs: 0 });

    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => lines.push(args.join(' '));
    let dry: RunResult;
    let real: RunResult;
    try {
      dry = (await stack.topUpNow({ dryRun: true })) as RunResult;
      real = (await stack.topUpNow()) as RunResult;
    } finally {
      console.log = log;
    }
    // The demo org's 300 intake-queue leads and reps with varied loads: some get leads, some can't.
    expect(dry).toMatchObject({ status: 'completed', summary: { dryRun: true, pool: { read: 300 } } });
    expect(dry.summary.allocated).toBeGreaterThan(0);
    expect(real.summary.allocated).toBe(dry.summary.allocated);
    expect(real.summary.reps.filter((r) => r.given > 0).length).toBeGreaterThan(1);
    // No webhook configured: the Slack message goes to the console.
    expect(lines.join('\n')).toMatch(/\[slack\] Top-up run \S+: \d+ of 300 pool leads allocated/);
    expect(stack.health().topUp).toMatchObject({
      state: 'up',
      lastRun: { status: 'completed', allocated: real.summary.allocated },
    });

    expect(await stack.writeBackNow()).toMatchObject({ written: real.summary.allocated });
  }, 120_000);
});
