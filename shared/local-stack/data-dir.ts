import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
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
