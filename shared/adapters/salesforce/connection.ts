import { createSign } from 'node:crypto';
import type { TokenResponse, UserInfo } from '@jsforce/jsforce-node';
import { SalesforceError, SalesforceUnavailableError, toSalesforceError } from './errors.js';
import { Connection, OAuth2 } from './jsforce.js';

/**
 * The one place the project creates jsforce connections. The login flow follows from the
 * options given: a private key means JWT bearer, a username and password the username-password
 * flow, otherwise client credentials.
 */
export interface SalesforceConnectionOptions {
  loginUrl: string;
  clientId: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  /** PEM private key of the connected app's certificate (JWT bearer flow; `username` is the subject). */
  privateKey?: string;
  /** e.g. '62.0'; jsforce would otherwise default to 50.0. */
  apiVersion: string;
}

export type SalesforceLoginFlow = 'jwt-bearer' | 'password' | 'client-credentials';

interface Session {
  accessToken: string;
  instanceUrl: string;
  userInfo: UserInfo;
}

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce accepts a JWT for a few minutes; three is its documented maximum. */
const JWT_LIFETIME_S = 180;

/**
 * Sessions per container (login URL + client + user), so warm Lambda invocations reuse the token
 * and concurrent callers share one login. Tokens never leave this module's memory.
 */
const sessions = new Map<string, Promise<Session>>();

export function loginFlowFor(options: SalesforceConnectionOptions): SalesforceLoginFlow {
  if (options.privateKey) {
    if (!options.username) throw new Error('The JWT bearer flow needs username (the subject)');
    return 'jwt-bearer';
  }
  if (options.username || options.password) {
    if (!options.username || !options.password || !options.clientSecret) {
      throw new Error('The username-password flow needs username, password and clientSecret');
    }
    return 'password';
  }
  if (!options.clientSecret) throw new Error('The client credentials flow needs clientSecret');
  return 'client-credentials';
}

/**
 * An authorized connection. A 401 on any call re-authenticates with the same flow through
 * `refreshFn` (client credentials and JWT bearer issue no refresh token) and retries the call.
 */
export async function salesforceConnection(options: SalesforceConnectionOptions): Promise<Connection> {
  const flow = loginFlowFor(options);
  const key = sessionKey(options);
  let pending = sessions.get(key);
  if (!pending) pending = startLogin(key, options, flow);
  const session = await pending;

  const conn = new Connection({
    loginUrl: options.loginUrl,
    instanceUrl: session.instanceUrl,
    accessToken: session.accessToken,
    version: options.apiVersion,
    oauth2: { loginUrl: options.loginUrl, clientId: options.clientId, clientSecret: options.clientSecret },
    refreshFn: (connection, callback) => {
      renewSession(key, options, flow, connection.accessToken ?? undefined).then(
        (fresh) => {
          connection.instanceUrl = fresh.instanceUrl;
          connection.userInfo = fresh.userInfo;
          callback(null, fresh.accessToken);
        },
        (error: unknown) => callback(toSalesforceError(error)),
      );
    },
  });
  conn.userInfo = session.userInfo;
  return conn;
}

/** Drop cached sessions (tests, or after rotating credentials). */
export function forgetSalesforceSessions(): void {
  sessions.clear();
}

/** A new session unless another connection already replaced the stale token. */
async function renewSession(
  key: string,
  options: SalesforceConnectionOptions,
  flow: SalesforceLoginFlow,
  staleToken: string | undefined,
): Promise<Session> {
  const current = sessions.get(key);
  if (current) {
    const session = await current.catch(() => undefined);
    if (session && session.accessToken !== staleToken) return session;
  }
  return startLogin(key, options, flow);
}

function startLogin(
  key: string,
  options: SalesforceConnectionOptions,
  flow: SalesforceLoginFlow,
): Promise<Session> {
  const pending = login(options, flow);
  sessions.set(key, pending);
  pending.catch(() => {
    // A failed login must not stick: the next caller tries again.
    if (sessions.get(key) === pending) sessions.delete(key);
  });
  return pending;
}

async function login(options: SalesforceConnectionOptions, flow: SalesforceLoginFlow): Promise<Session> {
  const oauth2 = new OAuth2({
    loginUrl: options.loginUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
  });
  let response: TokenResponse;
  try {
    switch (flow) {
      case 'jwt-bearer':
        response = await oauth2.requestToken({
          grant_type: JWT_BEARER_GRANT,
          assertion: jwtAssertion(options),
        });
        break;
      case 'password':
        response = await oauth2.authenticate(options.username!, options.password!);
        break;
      case 'client-credentials':
        response = await oauth2.requestToken({ grant_type: 'client_credentials' });
        break;
    }
  } catch (error) {
    throw loginRefused(options, flow, toSalesforceError(error));
  }
  // The identity URL ends in /{orgId}/{userId}.
  const [organizationId = '', id = ''] = response.id.split('/').slice(-2);
  return {
    accessToken: response.access_token,
    instanceUrl: response.instance_url,
    userInfo: { id, organizationId, url: response.id },
  };
}

/** What to check when the token endpoint refuses each flow (its error alone rarely says). */
const LOGIN_HINTS: Record<SalesforceLoginFlow, string> = {
  'jwt-bearer':
    "check that the private key matches the certificate uploaded to the External Client App, that the login URL is the org's login server, that the user is pre-authorized for the app, and that this machine's clock is right (the assertion may expire at most 3 minutes ahead)",
  password: 'check the username, the password with its security token, and the client id and secret',
  'client-credentials': "check the client id and secret and the External Client App's run-as user",
};

/** A failed login as one clear error: an unreachable org by its URL, a refusal with the flow, the org and what to check. */
function loginRefused(
  options: SalesforceConnectionOptions,
  flow: SalesforceLoginFlow,
  error: SalesforceError,
): SalesforceError {
  if (error instanceof SalesforceUnavailableError && error.statusCode === undefined) {
    return new SalesforceUnavailableError(
      `cannot reach Salesforce at ${options.loginUrl}: ${error.message}`,
      {
        errorCode: error.errorCode,
        cause: error,
      },
    );
  }
  if (error.statusCode !== 400 || !/^(invalid_|unsupported_|inactive_)/.test(error.errorCode)) return error;
  const who = options.username ? ` as ${options.username}` : '';
  return new SalesforceError(
    `Salesforce refused the ${flow} login to ${options.loginUrl}${who}: ${error.errorCode} (${error.message}); ${LOGIN_HINTS[flow]}`,
    { errorCode: error.errorCode, statusCode: error.statusCode, cause: error },
  );
}

/** An RS256-signed JWT bearer assertion for the connected app and user. */
function jwtAssertion(options: SalesforceConnectionOptions): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256' });
  const claims = encode({
    iss: options.clientId,
    sub: options.username,
    aud: jwtAudience(options.loginUrl),
    exp: Math.floor(Date.now() / 1000) + JWT_LIFETIME_S,
  });
  const signature = createSign('RSA-SHA256')
    .update(`${header}.${claims}`)
    .sign(options.privateKey!, 'base64url');
  return `${header}.${claims}.${signature}`;
}

/**
 * Salesforce wants the audience to be its login server (test.salesforce.com for sandboxes)
 * even when logging in through My Domain; any other server (e.g. the emulator) gets its own URL.
 */
function jwtAudience(loginUrl: string): string {
  const host = new URL(loginUrl).hostname;
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com'))
    return 'https://test.salesforce.com';
  if (host.endsWith('.salesforce.com')) return 'https://login.salesforce.com';
  return loginUrl.replace(/\/+$/, '');
}

function sessionKey(options: SalesforceConnectionOptions): string {
  return [options.loginUrl.replace(/\/+$/, ''), options.clientId, options.username ?? ''].join('|');
}
