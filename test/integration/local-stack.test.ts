import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../shared/local-stack/free-port.js';
import { type LocalStack, startLocalStack } from '../../shared/local-stack/stack.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tr-stack-'));
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the local stack', () => {
  let env: Record<string, string>;
  let sampleLead = '';

  it('starts healthy with every component up and the example model promoted', async () => {
    env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      SF_EMULATOR_PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
    };
    const lines: string[] = [];
    stack = await startLocalStack({ env, writeBackIntervalMs: 0, log: (l) => lines.push(l) });
    const res = await fetch(`${stack.gatewayUrl}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; components: Record<string, { state: string }> };
    expect(body.status).toBe('ok');
    expect(Object.values(body.components).every((c) => c.state === 'up')).toBe(true);
    expect(body.components.territoryModel).toMatchObject({
      version: 1,
      detail: 'example model pushed and promoted',
    });
    sampleLead = /intake queue \((\w{18})\)/.exec(lines.join('\n'))?.[1] ?? '';
    expect(sampleLead).toHaveLength(18);
  });

  it('routes the printed sample message end to end: ACK, then owner and reason in the emulator', async () => {
    const xml = readFileSync(join(dataDir, 'sample-outbound-message.xml'), 'utf8');
    const res = await fetch(stack!.outboundUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: xml,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<Ack>true</Ack>');
    expect(await stack!.writeBackNow()).toMatchObject({ written: 1 });
    const lead = await salesforceLead(stack!, sampleLead);
    expect(lead.OwnerId).toMatch(/^005/);
    expect(String(lead.Routing_Reason__c)).toMatch(/Territory/);
  });

  it('refuses a GET and a wrong secret on the outbound route', async () => {
    expect((await fetch(stack!.outboundUrl)).status).toBe(405);
    const wrong = stack!.outboundUrl.replace(/[^/]+$/, 'not-the-secret');
    expect((await fetch(wrong, { method: 'POST', body: '<x/>' })).status).toBe(403);
  });

  it('reuses its data on a second start', async () => {
    await stack!.stop();
    stack = await startLocalStack({ env, writeBackIntervalMs: 0, log: () => undefined });
    const body = (await (await fetch(`${stack.gatewayUrl}/health`)).json()) as {
      components: Record<string, Record<string, unknown>>;
    };
    expect(body.components.territoryModel).toMatchObject({ version: 1 });
    expect(body.components.territoryModel?.detail).toBeUndefined();
    const lead = await salesforceLead(stack, sampleLead);
    expect(lead.OwnerId).toMatch(/^005/);
  });
});

/** Read a lead through the emulator's REST API, the way a Salesforce admin would see it. */
async function salesforceLead(s: LocalStack, id: string): Promise<Record<string, unknown>> {
  const token = (await (
    await fetch(`${s.salesforceUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'territory-router-local',
        client_secret: 'territory-router-local-secret',
      }),
    })
  ).json()) as { access_token: string };
  const res = await fetch(`${s.salesforceUrl}/services/data/v62.0/sobjects/Lead/${id}`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  return (await res.json()) as Record<string, unknown>;
}
