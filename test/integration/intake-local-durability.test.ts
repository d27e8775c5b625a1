import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { salesforceConnection } from '../../shared/adapters/salesforce/connection.js';
import { isAlive } from '../../shared/local-stack/data-dir.js';
import { demoData } from '../../shared/local-stack/demo-data.js';
import {
  DynamoDbLocalPortInUseError,
  localDynamoClient,
  startDynamoDbLocal,
} from '../../shared/local-stack/dynamodb-local.js';
import { freePort } from '../../shared/local-stack/free-port.js';
import {
  emulatorConnectionOptions,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';

/**
 * The local stack keeps what it acknowledged across a crash: the emulated org is on disk before the
 * write-back hears success (so before it settles an outbox item as written), and a DynamoDB Local
 * a crashed run left behind is found, never silently reused for another DATA_DIR.
 */
const root = mkdtempSync(join(tmpdir(), 'tr-durability-'));
const started: number[] = [];
afterAll(() => {
  // Only processes this file started (the stack child and the JVM it left behind), by pid.
  for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('the emulated org', () => {
  it('is committed (onCommit) before a successful update is answered, and not for a refused one', async () => {
    const data = demoData();
    const lead = data.leads?.[0] as { Id: string };
    const owner = (data.users ?? []).find((u) => String(u.Id).startsWith('005'))?.Id as string;
    let answered = false;
    const commits: Array<{ ownerAtCommit: unknown; answered: boolean }> = [];
    const sf = await startSalesforceEmulator({
      seed: data,
      onCommit: (store) => commits.push({ ownerAtCommit: store.get('Lead', lead.Id)?.OwnerId, answered }),
    });
    try {
      const conn = await salesforceConnection(emulatorConnectionOptions(sf));
      const refused = await conn.sobject('Lead').update([{ Id: lead.Id, NoSuchField__c: 'x' }], {
        allOrNone: false,
      });
      expect(refused[0]?.success).toBe(false);
      expect(commits).toEqual([]);
      const result = await conn
        .sobject('Lead')
        .update([{ Id: lead.Id, OwnerId: owner }], { allOrNone: false });
      answered = true;
      expect(result[0]?.success).toBe(true);
      expect(commits).toEqual([{ ownerAtCommit: owner, answered: false }]);
    } finally {
      await sf.close();
    }
  });
});

describe('a local stack killed with -9', () => {
  const dataDir = join(root, 'stack');
  let ports: { gateway: number; salesforce: number; dynamodb: number };
  let child: ChildProcess | undefined;
  let routedLeadId = '';

  it('never leaves "written" in the ledger with the old owner in the saved org', async () => {
    ports = { gateway: await freePort(), salesforce: await freePort(), dynamodb: await freePort() };
    child = spawn(process.execPath, ['--import', 'tsx', 'shared/local-stack/stack.ts'], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(ports.gateway),
        SF_EMULATOR_PORT: String(ports.salesforce),
        DYNAMODB_PORT: String(ports.dynamodb),
        TOP_UP_INTERVAL_MS: '0',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(child.pid!);
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    for (let waited = 0; !output.includes('local stack is up'); waited += 250) {
      if (child.exitCode !== null || waited > 280_000)
        throw new Error(`local stack did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const leadId = /intake queue \((\w{18})\)/.exec(output)?.[1] ?? '';
    expect(leadId).toHaveLength(18);
    const secret = readFileSync(join(dataDir, 'outbound-secret'), 'utf8').trim();
    const res = await fetch(`http://127.0.0.1:${ports.gateway}/salesforce/outbound/${secret}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: readFileSync(join(dataDir, 'sample-outbound-message.xml'), 'utf8'),
    });
    expect(res.status).toBe(200);

    // Watch the ledger as closely as a client can and kill the stack the moment the item settles.
    const client = localDynamoClient(`http://127.0.0.1:${ports.dynamodb}`);
    const doc = DynamoDBDocumentClient.from(client);
    const assignment = (
      await doc.send(new GetCommand({ TableName: 'territory-router', Key: keys.leadAssignment(leadId) }))
    ).Item;
    expect(assignment?.ownerId).toMatch(/^005/);
    const outboxKey = keys.outbox(leadId, String(assignment?.changeId));
    routedLeadId = leadId;
    for (let waited = Date.now(); ; ) {
      const item = (await doc.send(new GetCommand({ TableName: 'territory-router', Key: outboxKey }))).Item;
      if (item?.status === 'written') break;
      if (Date.now() - waited > 60_000) throw new Error(`outbox item never written: ${JSON.stringify(item)}`);
    }
    child.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));
    client.destroy();

    const org = JSON.parse(readFileSync(join(dataDir, 'salesforce-org.json'), 'utf8')) as {
      leads: Array<{ Id: string; OwnerId: string }>;
    };
    expect(org.leads.find((l) => l.Id === leadId)?.OwnerId).toBe(assignment?.ownerId);
  }, 400_000);

  it('leaves its DynamoDB Local running, which another DATA_DIR refuses to reuse', async () => {
    const pidFile = join(dataDir, 'dynamodb', 'dynamodb-local.json');
    expect(existsSync(pidFile)).toBe(true);
    const leftover = (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number }).pid;
    started.push(leftover);
    expect(isAlive(leftover)).toBe(true);
    const attempt = startDynamoDbLocal({ dataDir: join(root, 'other', 'dynamodb'), port: ports.dynamodb });
    await expect(attempt).rejects.toBeInstanceOf(DynamoDbLocalPortInUseError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`pid ${leftover} serving ${join(dataDir, 'dynamodb').replace(/[/.]/g, '\\$&')}`),
    );
  }, 120_000);

  it('stops the leftover on a restart with the same DATA_DIR and keeps its data', async () => {
    const pidFile = join(dataDir, 'dynamodb', 'dynamodb-local.json');
    const leftover = (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number }).pid;
    const db = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb'), port: ports.dynamodb });
    try {
      expect(db.replacedLeftover).toBe(leftover);
      expect(isAlive(leftover)).toBe(false);
      const doc = DynamoDBDocumentClient.from(db.client);
      const kept = await doc.send(
        new GetCommand({ TableName: 'territory-router', Key: keys.leadAssignment(routedLeadId) }),
      );
      expect(kept.Item?.ownerId).toMatch(/^005/);
    } finally {
      await db.stop();
    }
    expect(existsSync(pidFile)).toBe(false);
  }, 200_000);
});
