import { createHmac, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { DEMO_INTEGRATION_USER_ID } from '../demo-org-ids.js';

/** The connected app and integration user the emulated org accepts. */
export interface EmulatorCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** The user every flow signs in as (the demo data set's integration user). */
  runAsUserId: string;
  /** The certificate's public key (PEM) that JWT bearer assertions must be signed for. */
  jwtPublicKey: string;
  /** Its private key, for local logins and tests; a real org never has it. */
  jwtPrivateKey: string;
}

/** Defaults the local stack uses; they guard nothing but a local test org. */
export const DEFAULT_EMULATOR_CREDENTIALS: Omit<EmulatorCredentials, 'jwtPublicKey' | 'jwtPrivateKey'> = {
  clientId: 'territory-router-local',
  clientSecret: 'territory-router-local-secret',
  username: 'integration@territory-router.local',
  password: 'territory-router-local-password',
  runAsUserId: DEMO_INTEGRATION_USER_ID,
};

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce accepts an assertion whose `exp` is at most 3 minutes ahead. */
const JWT_MAX_LIFETIME_S = 180;

let processKeys: { jwtPublicKey: string; jwtPrivateKey: string } | undefined;
/** One RSA key pair per process (generating one per emulator would slow every test file). */
export function emulatorJwtKeys(): { jwtPublicKey: string; jwtPrivateKey: string } {
  if (!processKeys) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    processKeys = {
      jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      jwtPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  }
  return processKeys;
}

export interface Session {
  userId: string;
  issuedAt: number;
}

/** Access tokens issued by the emulator; a token is invalid once expired or timed out. */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly orgId18: string,
    private readonly now: () => Date,
    private readonly timeoutMs: number,
  ) {}

  issue(userId: string): { token: string; session: Session } {
    // Salesforce tokens start with the 15-character org id and a '!'.
    const token = `${this.orgId18.slice(0, 15)}!${randomBytes(40).toString('base64url')}`;
    const session = { userId, issuedAt: this.now().getTime() };
    this.sessions.set(token, session);
    return { token, session };
  }

  find(token: string): Session | undefined {
    const session = this.sessions.get(token);
    if (!session) return undefined;
    if (this.now().getTime() - session.issuedAt > this.timeoutMs) {
      this.sessions.delete(token);
      return undefined;
    }
    return session;
  }

  revoke(token: string): void {
    this.sessions.delete(token);
  }

  expireAll(): void {
    this.sessions.clear();
  }
}

export type TokenAnswer =
  | { status: 200; body: Record<string, string> }
  | { status: 400; body: { error: string; error_description: string } };

/**
 * The OAuth 2.0 token endpoint: client credentials, username-password and JWT bearer. Error
 * bodies follow Salesforce: a wrong password is `invalid_grant`/`authentication failure`, a
 * wrong client secret `invalid_client`, an unknown client `invalid_client_id`.
 */
export function grantToken(
  params: URLSearchParams,
  context: { credentials: EmulatorCredentials; sessions: SessionRegistry; baseUrl: string; orgId18: string },
): TokenAnswer {
  const { credentials } = context;
  const fail = (error: string, description: string): TokenAnswer => ({
    status: 400,
    body: { error, error_description: description },
  });
  const grantType = params.get('grant_type');
  const clientId = params.get('client_id');
  const clientSecret = params.get('client_secret');

  switch (grantType) {
    case 'client_credentials':
    case 'password': {
      if (clientId !== credentials.clientId) return fail('invalid_client_id', 'client identifier invalid');
      if (clientSecret !== credentials.clientSecret)
        return fail('invalid_client', 'invalid client credentials');
      if (grantType === 'password') {
        const password = params.get('password') ?? '';
        if (params.get('username') !== credentials.username || !password.startsWith(credentials.password)) {
          // Salesforce accepts the password with the security token appended, hence startsWith.
          return fail('invalid_grant', 'authentication failure');
        }
      }
      break;
    }
    case JWT_BEARER_GRANT: {
      const assertion = params.get('assertion') ?? '';
      const claims = readJwtClaims(assertion);
      if (!claims) return fail('invalid_grant', 'invalid assertion');
      if (!signedBy(assertion, credentials.jwtPublicKey)) return fail('invalid_grant', 'invalid assertion');
      if (claims.iss !== credentials.clientId) return fail('invalid_client_id', 'client identifier invalid');
      if (claims.aud.replace(/\/+$/, '') !== context.baseUrl)
        return fail('invalid_grant', 'audience is invalid');
      if (claims.sub !== credentials.username)
        return fail('invalid_grant', "user hasn't approved this consumer");
      // Checked against the wall clock the client signed with, not the emulator's (possibly fixed) clock.
      const nowS = Date.now() / 1000;
      if (claims.exp < nowS) return fail('invalid_grant', 'expired authorization code');
      if (claims.exp > nowS + JWT_MAX_LIFETIME_S) return fail('invalid_grant', 'invalid assertion');
      break;
    }
    case null:
      return fail('unsupported_grant_type', 'grant type not specified');
    default:
      return fail('unsupported_grant_type', 'grant type not supported');
  }

  const { token, session } = context.sessions.issue(credentials.runAsUserId);
  const id = `${context.baseUrl}/id/${context.orgId18}/${session.userId}`;
  const issuedAt = String(session.issuedAt);
  return {
    status: 200,
    body: {
      access_token: token,
      instance_url: context.baseUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      scope: 'api',
      signature: createHmac('sha256', credentials.clientSecret)
        .update(id + issuedAt)
        .digest('base64'),
    },
  };
}

interface JwtClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
}

/** True when the assertion's RS256 signature verifies with the certificate's public key. */
function signedBy(assertion: string, publicKey: string): boolean {
  const [header = '', claims = '', signature = ''] = assertion.split('.');
  try {
    const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    if (alg !== 'RS256') return false;
    return createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** The claims of a well-formed JWT (three base64url parts, JSON header and claims); the signature is checked apart. */
function readJwtClaims(assertion: string): JwtClaims | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: unknown };
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Partial<JwtClaims>;
    if (typeof header.alg !== 'string') return undefined;
    if (typeof claims.iss !== 'string' || typeof claims.sub !== 'string' || typeof claims.aud !== 'string') {
      return undefined;
    }
    if (typeof claims.exp !== 'number') return undefined;
    return claims as JwtClaims;
  } catch {
    return undefined;
  }
}
