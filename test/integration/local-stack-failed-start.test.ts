import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../shared/local-stack/data-dir.js';
import { freePort } from '../../shared/local-stack/free-port.js';
import { startLocalStack } from '../../shared/local-stack/stack.js';

/**
 * A start that fails part-way leaves nothing behind: no DynamoDB Local JVM, no listening emulator,
 * the DATA_DIR lock released, no stack.json (the CLI would talk to a stack that is not there) and
 * no half-written temp files — so the next `npm start` on the same DATA_DIR just works.
 */
const root = mkdtempSync(join(tmpdir(), 'tr-failed-start-'));
const blockers: Server[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const server of blockers) await new Promise((r) => server.close(r));
  // Only what this file started, by pid: a JVM a failing test left would be named by its assertion.
  for (const pid of dynamoDbLocalsUnder(root)) process.kill(pid, 'SIGKILL');
  for (const child of children) if (child.pid && isAlive(child.pid)) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** Hold a port the way another program would. */
async function occupy(port: number): Promise<void> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  blockers.push(server);
}

/** DynamoDB Local JVMs serving a directory under `dir` (from /proc, Linux). */
function dynamoDbLocalsUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.some((a) => a.endsWith('DynamoDBLocal.jar')) && args.some((a) => a.startsWith(dir));
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function listening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String);
}

async function expectNothingLeft(dataDir: string, ports: Record<string, number>, held: string) {
  expect(dynamoDbLocalsUnder(dataDir)).toEqual([]);
  for (const [name, port] of Object.entries(ports)) {
    if (name !== held) expect(await listening(port), `${name} port ${port}`).toBe(false);
  }
  const files = filesIn(dataDir);
  expect(files).not.toContain('local-stack.lock');
  expect(files).not.toContain('stack.json');
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  expect(files.some((f) => f.endsWith('dynamodb-local.json'))).toBe(false);
}

async function stackEnv(name: string) {
  const ports = { gateway: await freePort(), salesforce: await freePort(), dynamodb: await freePort() };
  const env = {
    DATA_DIR: join(root, name),
    PORT: String(ports.gateway),
    SF_EMULATOR_PORT: String(ports.salesforce),
    DYNAMODB_PORT: String(ports.dynamodb),
    TOP_UP_INTERVAL_MS: '0',
    ACCOUNT_SYNC_INTERVAL_MS: '0',
    LOG_LEVEL: 'silent',
  };
  return { ports, env };
}

describe('a local stack start that fails', { timeout: 600_000 }, () => {
  it('when DynamoDB Local cannot have its port: fails naming it and releases the DATA_DIR', async () => {
    const { ports, env } = await stackEnv('dynamodb-port');
    await occupy(ports.dynamodb);
    await expect(startLocalStack({ env, writeBackIntervalMs: 0, log: () => undefined })).rejects.toThrow(
      /Port \d+ is already in use/,
    );
    await expectNothingLeft(env.DATA_DIR, ports, 'dynamodb');
  });

  it('when the emulator cannot have its port: stops the DynamoDB Local it started', async () => {
    const { ports, env } = await stackEnv('emulator-port');
    await occupy(ports.salesforce);
    await expect(startLocalStack({ env, writeBackIntervalMs: 0, log: () => undefined })).rejects.toThrow(
      /EADDRINUSE|in use/,
    );
    await expectNothingLeft(env.DATA_DIR, ports, 'salesforce');
  });

  it('when the gateway port is taken (npm start as a process): exits 1 naming it, leaving nothing, and the next start works', async () => {
    const { ports, env } = await stackEnv('gateway-port');
    await occupy(ports.gateway);
    const child = spawn(process.execPath, ['--import', 'tsx', 'shared/local-stack/stack.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(1);
    expect(output).toMatch(/local stack failed to start: .*(EADDRINUSE|in use)/);
    await expectNothingLeft(env.DATA_DIR, ports, 'gateway');

    // The port freed, the same DATA_DIR starts cleanly: nothing stale is in the way.
    await new Promise((r) => blockers.pop()?.close(r));
    const stack = await startLocalStack({ env, writeBackIntervalMs: 0, log: () => undefined });
    try {
      expect((await fetch(`${stack.gatewayUrl}/health`)).status).toBe(200);
    } finally {
      await stack.stop();
    }
    await expectNothingLeft(env.DATA_DIR, ports, '');
  });
});
