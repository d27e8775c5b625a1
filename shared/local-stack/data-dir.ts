import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * DATA_DIR holds the emulated org (demo leads are personal data), generated secrets and DynamoDB
 * Local's database: readable by its owner only — directories 0700, files 0600.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Create the directory owner-only, and tighten what an older run left more open. */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  restrictTree(path);
}

/** Write a file 0600, atomically (temp file then rename), so a crash never leaves half a file. */
export function writePrivateFile(path: string, data: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, data, { mode: PRIVATE_FILE_MODE });
  // The mode option only applies when the file is created; a temp file left by a crash keeps its own.
  chmodSync(temp, PRIVATE_FILE_MODE);
  renameSync(temp, path);
}

/** Every directory under `path` 0700 and every file 0600 (symlinks are left alone). */
export function restrictTree(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(path, PRIVATE_DIR_MODE);
    for (const entry of readdirSync(path)) restrictTree(join(path, entry));
  } else if ((stat.mode & 0o777 & ~PRIVATE_FILE_MODE) !== 0) {
    chmodSync(path, stat.mode & PRIVATE_FILE_MODE);
  }
}

/**
 * Run `start` (a synchronous process spawn) with umask 077, so the child — DynamoDB Local's JVM,
 * which creates its SQLite files itself — makes them owner-only. A child inherits the umask at
 * spawn; ours is restored right after. Worker threads cannot change the umask: there the private
 * directory (0700) and `restrictTree` after start still keep the files to their owner.
 */
export function withOwnerOnlyUmask<T>(start: () => T): T {
  let previous: number | undefined;
  try {
    previous = process.umask(0o077);
  } catch {
    previous = undefined;
  }
  try {
    return start();
  } finally {
    if (previous !== undefined) process.umask(previous);
  }
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/**
 * One local stack per DATA_DIR: `DATA_DIR/local-stack.lock` holds the owner's pid. A lock whose
 * process is gone (a crash, kill -9) is taken over; a live owner is an error naming its pid.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, 'local-stack.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() })}\n`, {
        flag: 'wx',
        mode: PRIVATE_FILE_MODE,
      });
      return {
        path,
        release: () => {
          if (lockOwner(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = lockOwner(path);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
        throw new DataDirInUseError(
          `DATA_DIR ${dataDir} is in use by another local stack (pid ${owner}); stop it or set another DATA_DIR`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not lock DATA_DIR ${dataDir}`);
}

function lockOwner(path: string): number | undefined {
  try {
    const pid = Number((JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True while a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
