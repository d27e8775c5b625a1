import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  forgetSalesforceSessions,
  loginFlowFor,
  type SalesforceConnectionOptions,
  salesforceConnection,
} from '../../shared/adapters/salesforce/connection.js';
import { SalesforceError } from '../../shared/adapters/salesforce/errors.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';
import {
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';

let sf: SalesforceEmulator;

beforeEach(async () => {
  forgetSalesforceSessions();
  sf = await startSalesforceEmulator();
});

afterEach(async () => {
  await sf.close();
});

function options(overrides: Partial<SalesforceConnectionOptions> = {}): SalesforceConnectionOptions {
  return {
    loginUrl: sf.loginUrl,
    clientId: sf.credentials.clientId,
    clientSecret: sf.credentials.clientSecret,
    apiVersion: '62.0',
    ...overrides,
  };
}

describe('loginFlowFor', () => {
  it.each<[Partial<SalesforceConnectionOptions>, string]>([
    [{ clientSecret: 's' }, 'client-credentials'],
    [{ clientSecret: 's', username: 'u', password: 'p' }, 'password'],
    [{ username: 'u', privateKey: 'k' }, 'jwt-bearer'],
    [{ clientSecret: 's', username: 'u', privateKey: 'k' }, 'jwt-bearer'],
  ])('picks the flow from %j', (given, flow) => {
    expect(
      loginFlowFor({ loginUrl: 'https://login.salesforce.com', clientId: 'c', apiVersion: '62.0', ...given }),
    ).toBe(flow);
  });

  it.each<[Partial<SalesforceConnectionOptions>, string]>([
    [{}, 'needs clientSecret'],
    [{ username: 'u', password: 'p' }, 'needs username, password and clientSecret'],
    [{ clientSecret: 's', username: 'u' }, 'needs username, password and clientSecret'],
    [{ privateKey: 'k' }, 'needs username'],
  ])('refuses incomplete options %j', (given, message) => {
    expect(() =>
      loginFlowFor({ loginUrl: 'https://x', clientId: 'c', apiVersion: '62.0', ...given }),
    ).toThrow(message);
  });
});

describe('salesforceConnection', () => {
  it('logs in with client credentials and reuses the token for later connections', async () => {
    const [first, second] = [await salesforceConnection(options()), await salesforceConnection(options())];
    expect(first.accessToken).toBe(second.accessToken);
    expect(first.instanceUrl).toBe(sf.url);
    expect(first.version).toBe('62.0');
    expect(first.userInfo).toMatchObject({
      organizationId: toId18(EMULATOR_ORG_ID),
      id: sf.credentials.runAsUserId,
    });
    expect(sf.calls()).toEqual({ token: 1 });
  });

  it('shares one login between concurrent callers', async () => {
    const connections = await Promise.all(Array.from({ length: 5 }, () => salesforceConnection(options())));
    expect(new Set(connections.map((c) => c.accessToken)).size).toBe(1);
    expect(sf.calls()).toEqual({ token: 1 });
  });

  it('logs in with username and password, and does not cache a failed login', async () => {
    const wrong = options({ username: sf.credentials.username, password: 'wrong' });
    const error = await salesforceConnection(wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({
      errorCode: 'invalid_grant',
      message: expect.stringMatching(
        /^Salesforce refused the password login to \S+ as \S+: invalid_grant \(authentication failure\); check /,
      ),
      retryable: false,
    });

    const conn = await salesforceConnection({ ...wrong, password: sf.credentials.password });
    await expect(conn.query('SELECT Id FROM Lead')).resolves.toMatchObject({ totalSize: 0 });
    expect(sf.calls()).toEqual({ token: 2, query: 1 });
  });

  it('logs in with a JWT bearer assertion signed by the private key', async () => {
    const conn = await salesforceConnection(
      options({
        clientSecret: undefined,
        username: sf.credentials.username,
        privateKey: sf.credentials.jwtPrivateKey,
      }),
    );
    await expect(conn.query('SELECT Id FROM User')).resolves.toMatchObject({ totalSize: 0 });
    expect(sf.calls()).toEqual({ token: 1, query: 1 });
  });

  it('re-authenticates with JWT bearer when the session expires', async () => {
    const conn = await salesforceConnection(
      options({
        clientSecret: undefined,
        username: sf.credentials.username,
        privateKey: sf.credentials.jwtPrivateKey,
      }),
    );
    sf.faults.set({ expireSessions: true });
    await conn.query('SELECT Id FROM User');
    expect(sf.calls()).toEqual({ token: 2, query: 2 });
  });

  it('rejects a wrong client secret and an unknown client', async () => {
    await expect(salesforceConnection(options({ clientSecret: 'nope' }))).rejects.toMatchObject({
      name: 'SalesforceError',
      errorCode: 'invalid_client',
    });
    await expect(salesforceConnection(options({ clientId: 'someone-else' }))).rejects.toMatchObject({
      errorCode: 'invalid_client_id',
    });
  });

  it('renews an expired session once for all connections sharing it', async () => {
    const a = await salesforceConnection(options());
    const b = await salesforceConnection(options());
    sf.faults.set({ expireSessions: true });
    await a.query('SELECT Id FROM Lead');
    await b.query('SELECT Id FROM Lead');
    expect(a.accessToken).toBe(b.accessToken);
    // One login, one re-login: b picks up the session a renewed after its own 401.
    expect(sf.calls()).toEqual({ token: 2, query: 4 });
  });
});

describe('the token endpoint', () => {
  const post = (body: Record<string, string>) =>
    fetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });

  it("answers Salesforce's token response", async () => {
    const response = await post({
      grant_type: 'client_credentials',
      client_id: sf.credentials.clientId,
      client_secret: sf.credentials.clientSecret,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      access_token: expect.stringMatching(new RegExp(`^${EMULATOR_ORG_ID}!`)),
      instance_url: sf.url,
      id: `${sf.url}/id/${sf.orgId}/${sf.credentials.runAsUserId}`,
      token_type: 'Bearer',
      issued_at: expect.stringMatching(/^\d{13}$/),
      scope: 'api',
      signature: expect.any(String),
    });
  });

  it.each([
    [
      { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'not-a-jwt' },
      'invalid_grant',
      'invalid assertion',
    ],
    [{ grant_type: 'authorization_code', code: 'x' }, 'unsupported_grant_type', 'grant type not supported'],
    [
      { grant_type: 'password', username: 'integration@territory-router.local', password: 'x' },
      'invalid_grant',
      'authentication failure',
    ],
  ])('rejects %j with %s', async (body, error, description) => {
    const response = await post({
      client_id: sf.credentials.clientId,
      client_secret: sf.credentials.clientSecret,
      ...body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error, error_description: description });
  });
});
