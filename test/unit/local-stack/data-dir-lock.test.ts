import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  acquireDataDirLock,
  DataDirInUseError,
  runningStack,
  STACK_STATE_FILE,
} from '../../../shared/local-stack/data-dir-lock.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'data-dir-lock-'));

describe('the DATA_DIR lock', () => {
  it('refuses a second owner while the first is alive, naming its pid', () => {
    const dir = fresh();
    const first = acquireDataDirLock(dir, { pid: 111, isAlive: () => true });
    first.update({ gatewayUrl: 'http://127.0.0.1:3000', port: 3000 });
    expect(() => acquireDataDirLock(dir, { pid: 222, isAlive: () => true })).toThrow(DataDirInUseError);
    expect(() => acquireDataDirLock(dir, { pid: 222, isAlive: () => true })).toThrow(
      /in use by another local stack \(pid 111, .*http:\/\/127\.0\.0\.1:3000\)/,
    );
    // The first owner's record is untouched by the refused start.
    expect(JSON.parse(readFileSync(join(dir, STACK_STATE_FILE), 'utf8'))).toMatchObject({
      pid: 111,
      port: 3000,
    });
  });

  it('takes over a lock left by a process that died, and says whose it was', () => {
    const dir = fresh();
    acquireDataDirLock(dir, { pid: 111, isAlive: () => true }).update({ dynamodbPid: 112 });
    const second = acquireDataDirLock(dir, { pid: 222, isAlive: (pid) => pid === 222 });
    expect(second.stale).toMatchObject({ pid: 111, dynamodbPid: 112 });
    expect(JSON.parse(readFileSync(second.path, 'utf8')).pid).toBe(222);
  });

  it('treats an unreadable, old lock as stale but a brand-new one as being written', () => {
    const dir = fresh();
    const path = join(dir, STACK_STATE_FILE);
    writeFileSync(path, '');
    expect(() => acquireDataDirLock(dir, { pid: 222 })).toThrow(DataDirInUseError);
    utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect(acquireDataDirLock(dir, { pid: 222, isAlive: () => true }).stale).toBeUndefined();
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(222);
  });

  it('is found by the CLI while its owner lives, and gone after release', () => {
    const dir = fresh();
    const lock = acquireDataDirLock(dir);
    lock.update({ port: 4000, salesforcePort: 4001, dynamodbPort: 4002 });
    expect(runningStack(dir)).toMatchObject({ pid: process.pid, port: 4000, dynamodbPort: 4002 });
    expect(runningStack(dir, () => false)).toBeUndefined();
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    expect(runningStack(dir)).toBeUndefined();
  });

  it('only one of many simultaneous starts gets the directory', () => {
    const dir = fresh();
    const outcomes = Array.from({ length: 20 }, (_, i) => {
      try {
        acquireDataDirLock(dir, { pid: 1000 + i, isAlive: () => true });
        return 'owner';
      } catch (error) {
        return error instanceof DataDirInUseError ? 'refused' : 'error';
      }
    });
    expect(outcomes.filter((o) => o === 'owner')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(19);
  });
});
