import { readFileSync } from 'node:fs';
import type { Connection } from '@jsforce/jsforce-node';
import * as z from 'zod';
import { salesforceConnection } from '../adapters/salesforce/connection.js';
import { SalesforceOrgFields } from '../adapters/salesforce/org-fields.js';
import type { Config } from './config.js';

/** Connected-app credentials as stored in the Salesforce secret (JSON) or assembled from env locally. */
export const salesforceCredentialsSchema = z.object({
  loginUrl: z.url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  privateKey: z.string().min(1).optional(),
});
export type SalesforceCredentials = z.output<typeof salesforceCredentialsSchema>;

export function parseSalesforceCredentials(json: string): SalesforceCredentials {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('Salesforce credentials secret is not JSON');
  }
  const parsed = salesforceCredentialsSchema.safeParse(raw);
  if (!parsed.success) {
    // Name the fields, never echo the values.
    throw new Error(
      `Salesforce credentials secret is invalid: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  return parsed.data;
}

/** A connection provider over credentials (sessions are cached per container by the connection module). */
export function connectionProvider(
  credentials: () => SalesforceCredentials,
  apiVersion: string,
): () => Promise<Connection> {
  return () => salesforceConnection({ ...credentials(), apiVersion });
}

/** Connections for one invocation's credentials: the secret's text as the Lambda wrapper hands it over. */
export function connectionFromSecret(credentialsJson: string, apiVersion: string): () => Promise<Connection> {
  const credentials = parseSalesforceCredentials(credentialsJson);
  return connectionProvider(() => credentials, apiVersion);
}

/**
 * A real org's credentials from the environment (CLI and local stack; Lambdas read the secret):
 * SF_PRIVATE_KEY_FILE + SF_USERNAME for the JWT bearer flow, SF_CLIENT_SECRET alone for client
 * credentials (the External Client App's run-as user), or username + password. Undefined without SF_LOGIN_URL.
 */
export function salesforceCredentialsFromEnv(
  cfg: Pick<
    Config,
    | 'SF_LOGIN_URL'
    | 'SF_CLIENT_ID'
    | 'SF_CLIENT_SECRET'
    | 'SF_USERNAME'
    | 'SF_PASSWORD'
    | 'SF_PRIVATE_KEY_FILE'
  >,
  readKey: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): SalesforceCredentials | undefined {
  if (!cfg.SF_LOGIN_URL) return undefined;
  let privateKey: string | undefined;
  if (cfg.SF_PRIVATE_KEY_FILE) {
    try {
      privateKey = readKey(cfg.SF_PRIVATE_KEY_FILE);
    } catch (error) {
      throw new Error(
        `SF_PRIVATE_KEY_FILE: cannot read ${cfg.SF_PRIVATE_KEY_FILE} (${(error as Error).message})`,
      );
    }
  }
  return salesforceCredentialsSchema.parse(
    Object.fromEntries(
      Object.entries({
        loginUrl: cfg.SF_LOGIN_URL,
        clientId: cfg.SF_CLIENT_ID,
        clientSecret: cfg.SF_CLIENT_SECRET,
        username: cfg.SF_USERNAME,
        password: cfg.SF_PASSWORD,
        privateKey,
      }).filter(([, v]) => typeof v === 'string' && v !== ''),
    ),
  );
}

/**
 * The one field the org must have: Lead's reason field (ROUTING_REASON_FIELD). Checked by describe
 * (once per container) before a run writes anything, so a missing field is a clear error naming the
 * setting and the fix, not an INVALID_FIELD per record at write time.
 */
export function requireReasonField(
  cfg: Pick<Config, 'ROUTING_REASON_FIELD'>,
  connection: () => Promise<Connection>,
): Promise<void> {
  return new SalesforceOrgFields(connection).require(
    'Lead',
    cfg.ROUTING_REASON_FIELD,
    'ROUTING_REASON_FIELD',
  );
}
