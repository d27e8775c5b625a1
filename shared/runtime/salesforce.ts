import type { Connection } from '@jsforce/jsforce-node';
import * as z from 'zod';
import { salesforceConnection } from '../adapters/salesforce/connection.js';

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

/** A connection provider over credentials that may rotate (re-read from the secret each call). */
export function connectionProvider(
  credentials: () => SalesforceCredentials,
  apiVersion: string,
): () => Promise<Connection> {
  return () => salesforceConnection({ ...credentials(), apiVersion });
}
