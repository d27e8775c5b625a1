import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@jsforce/jsforce-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../shared/local-stack/free-port.js';
import { type LocalStack, startLocalStack } from '../../shared/local-stack/stack.js';

/** `SF_EMULATOR_FIELDS=required`: the local stack against an org with only the package's required field. */
const dataDir = mkdtempSync(join(tmpdir(), 'tr-stack-required-'));
let stack: LocalStack;
let conn: Connection;

beforeAll(async () => {
  const env = {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    SF_EMULATOR_PORT: String(await freePort()),
    DYNAMODB_PORT: String(await freePort()),
    SF_EMULATOR_FIELDS: 'required',
    TOP_UP_INTERVAL_MS: '0',
  };
  stack = await startLocalStack({ env, writeBackIntervalMs: 0, log: () => undefined });
  conn = new Connection({
    oauth2: {
      clientId: 'territory-router-local',
      clientSecret: 'territory-router-local-secret',
      loginUrl: stack.salesforceUrl,
    },
    loginUrl: stack.salesforceUrl,
    version: '62.0',
  });
  await conn.authorize({ grant_type: 'client_credentials' });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the local stack with SF_EMULATOR_FIELDS=required', () => {
  it('says so in its health, and the demo data loads without the optional fields', async () => {
    const body = (await (await fetch(`${stack.gatewayUrl}/health`)).json()) as {
      status: string;
      components: Record<string, Record<string, unknown>>;
    };
    expect(body.status).toBe('ok');
    expect(body.components.salesforce).toMatchObject({ mode: 'emulator', customFields: 'required' });
    const { totalSize } = await conn.query('SELECT Id, Routing_Reason__c FROM Lead');
    expect(totalSize).toBeGreaterThan(1000);
  });

  it.each([
    ['Lead', 'Lead_Score__c'],
    ['Lead', 'Product_Interest__c'],
    ['Account', 'Named_Account__c'],
    ['Account', 'ARR__c'],
    ['User', 'Industry_Specialization__c'],
  ])('answers INVALID_FIELD for %s.%s, as an org without it does', async (object, field) => {
    await expect(conn.query(`SELECT Id, ${field} FROM ${object}`)).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining(`No such column '${field}' on entity '${object}'`),
    });
  });

  it('sends a sample message with only fields the org has, and routes it with the reason written back', async () => {
    const xml = readFileSync(join(dataDir, 'sample-outbound-message.xml'), 'utf8');
    expect(xml).not.toContain('Product_Interest__c');
    const leadId = /<sf:Id>(\w{18})<\/sf:Id>/.exec(xml)?.[1] ?? '';
    const res = await fetch(stack.outboundUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: xml,
    });
    expect(await res.text()).toContain('<Ack>true</Ack>');
    expect(await stack.writeBackNow()).toMatchObject({ written: 1 });
    const lead = await conn.sobject('Lead').retrieve(leadId);
    expect(lead.OwnerId).toMatch(/^005/);
    expect(String(lead.Routing_Reason__c)).toMatch(/Territory|default owner/);
  });
});
