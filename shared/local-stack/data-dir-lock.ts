import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * One local stack per DATA_DIR. `DATA_DIR/stack.json` is both the lock and the record of the
 * running stack: created exclusively by `npm start` with its pid, filled in with the ports once
 * they are bound, removed on a clean stop. CLI commands read it to find the stack; a second start
 * on the same directory is refused; a file left by a process that died is stale and taken over.
 */
export const STACK_STATE_FILE = 'stack.json';

export interface StackState {
  pid: number;
  startedAt: string;
  dataDir: string;
  /** Filled in as the stack comes up. */
  port?: number;
  gatewayUrl?: string;
  salesforcePort?: number;
  salesforceUrl?: string;
  dynamodbPort?: number;
  dynamodbEndpoint?: string;
  /** DynamoDB Local's own process, so a crashed stack's leftover can be found. */
  dynamodbPid?: number;
  tableName?: string;
  ready?: boolean;
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(readonly owner: StackState) {
    super(
      `DATA_DIR ${owner.dataDir} is in use by another local stack (pid ${owner.pid}, started ${owner.startedAt}` +
        `${owner.gatewayUrl ? `, ${owner.gatewayUrl}` : ''}). Stop it first, or start this one with another ` +
        'DATA_DIR and PORT, e.g. DATA_DIR=.local-2/ PORT=3100 npm start',
    );
  }
}

export interface DataDirLock {
  readonly path: string;
  /** The state a dead process left behind, when this start took its lock over. */
  readonly stale: StackState | undefined;
  /** Record more about the running stack (ports, readiness). */
  update(state: Partial<StackState>): void;
  /** Remove the lock, if it is still ours. */
  release(): void;
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number | undefined): boolean {
  if (!pid || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readState(path: string): StackState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<StackState>;
    return typeof parsed.pid === 'number' ? (parsed as StackState) : undefined;
  } catch {
    return undefined;
  }
}

function justWritten(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 5000;
  } catch {
    return false;
  }
}

/** Take DATA_DIR for this process, or throw DataDirInUseError naming the live owner. */
export function acquireDataDirLock(
  dataDir: string,
  options: { pid?: number; isAlive?: (pid: number) => boolean; now?: () => Date } = {},
): DataDirLock {
  const dir = resolve(dataDir);
  const path = join(dir, STACK_STATE_FILE);
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processAlive;
  let state: StackState = { pid, startedAt: (options.now?.() ?? new Date()).toISOString(), dataDir: dir };
  let stale: StackState | undefined;

  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeFileSync(fd, JSON.stringify(state, null, 2));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const owner = readState(path);
    if (owner && isAlive(owner.pid)) throw new DataDirInUseError(owner);
    if (!owner && justWritten(path)) {
      // Another start created it a moment ago and is still writing its pid.
      throw new DataDirInUseError({ pid: 0, startedAt: 'just now', dataDir: dir });
    }
    // Stale (or unreadable): move it aside atomically, then check we moved what we judged.
    const aside = `${path}.stale-${pid}-${attempt}`;
    try {
      renameSync(path, aside);
    } catch {
      continue;
    }
    const moved = readState(aside);
    if (moved && isAlive(moved.pid)) {
      // Another start took the lock between our read and our rename: give it back.
      renameSync(aside, path);
      throw new DataDirInUseError(moved);
    }
    rmSync(aside, { force: true });
    stale = moved ?? owner;
  }

  return {
    path,
    stale,
    update(more) {
      state = { ...state, ...more };
      if (readState(path)?.pid !== pid) return;
      writeFileSync(`${path}.${pid}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
      renameSync(`${path}.${pid}.tmp`, path);
    },
    release() {
      if (readState(path)?.pid === pid) rmSync(path, { force: true });
    },
  };
}

/** The running stack recorded in DATA_DIR, or undefined when none is running there. */
export function runningStack(
  dataDir: string,
  isAlive: (pid: number) => boolean = processAlive,
): StackState | undefined {
  const state = readState(join(resolve(dataDir), STACK_STATE_FILE));
  return state && isAlive(state.pid) ? state : undefined;
}
