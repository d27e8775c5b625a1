import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePrivateDir, writePrivateFile } from '../../shared/local-stack/data-dir.js';
import { ensureTable, startDynamoDbLocal } from '../../shared/local-stack/dynamodb-local.js';

/** Local data (DATA_DIR) holds demo leads' personal data and secrets: owner-only on disk. */
const root = mkdtempSync(join(tmpdir(), 'tr-data-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function modes(dir: string): Array<{ path: string; mode: number; dir: boolean }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((entry) => {
    const stat = statSync(join(dir, entry));
    return { path: entry, mode: stat.mode & 0o777, dir: stat.isDirectory() };
  });
}

describe('DATA_DIR files', () => {
  it("keeps DynamoDB Local's database files 0600 in a 0700 directory, with the usual umask 022", async () => {
    const previous = process.umask(0o022);
    const dataDir = join(root, 'dynamodb');
    const db = await startDynamoDbLocal({ dataDir, startTimeoutMs: 100_000 });
    try {
      await ensureTable(db.client, 'leads');
      await db.client.send(
        new PutItemCommand({ TableName: 'leads', Item: { PK: { S: 'LEAD#1' }, SK: { S: 'ASSIGNMENT' } } }),
      );
    } finally {
      await db.stop();
      process.umask(previous);
    }
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const files = modes(dataDir).filter((f) => !f.dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files)
      expect({ path: f.path, mode: f.mode.toString(8) }).toEqual({ path: f.path, mode: '600' });
  }, 150_000);

  it('writes files 0600 whatever the umask, replacing the old content atomically', () => {
    const previous = process.umask(0o000);
    try {
      const path = join(root, 'org.json');
      writePrivateFile(path, '{"leads":[]}');
      writePrivateFile(path, '{"leads":[1]}');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a data directory an older version left readable to others', () => {
    const old = join(root, 'old');
    mkdirSync(join(old, 'dynamodb'), { recursive: true });
    writeFileSync(join(old, 'salesforce-org.json'), '{}');
    writeFileSync(join(old, 'dynamodb', 'shared-local-instance.db'), '');
    chmodSync(old, 0o755);
    chmodSync(join(old, 'salesforce-org.json'), 0o644);
    chmodSync(join(old, 'dynamodb', 'shared-local-instance.db'), 0o664);
    ensurePrivateDir(old);
    expect(modes(old).map((f) => [f.path, f.mode.toString(8)])).toEqual(
      expect.arrayContaining([
        ['dynamodb', '700'],
        ['salesforce-org.json', '600'],
        [join('dynamodb', 'shared-local-instance.db'), '600'],
      ]),
    );
    expect(statSync(old).mode & 0o777).toBe(0o700);
  });
});
