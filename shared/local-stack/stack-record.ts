import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isAlive, writePrivateFile } from './data-dir.js';

/**
 * What `npm start` records in DATA_DIR/stack.json once it is up, so CLI commands find the running
 * stack (whatever PORT it was started with) from DATA_DIR alone. The DATA_DIR lock
 * (local-stack.lock) decides who owns the directory; this file only says where things listen.
 */
export const STACK_RECORD_FILE = 'stack.json';

export interface StackRecord {
  pid: number;
  startedAt: string;
  dataDir: string;
  gatewayUrl: string;
  salesforceUrl?: string;
  dynamodbEndpoint: string;
  tableName: string;
}

export function writeStackRecord(record: StackRecord): () => void {
  const path = join(record.dataDir, STACK_RECORD_FILE);
  writePrivateFile(path, `${JSON.stringify(record, null, 2)}\n`);
  return () => {
    if (readRecord(path)?.pid === record.pid) rmSync(path, { force: true });
  };
}

function readRecord(path: string): StackRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<StackRecord>;
    return typeof parsed.pid === 'number' ? (parsed as StackRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** The stack running on DATA_DIR, or undefined when none is (no record, or its process is gone). */
export function runningStack(
  dataDir: string,
  alive: (pid: number) => boolean = isAlive,
): StackRecord | undefined {
  const record = readRecord(join(resolve(dataDir), STACK_RECORD_FILE));
  return record && alive(record.pid) ? record : undefined;
}
