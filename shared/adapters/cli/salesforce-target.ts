import type { Connection } from '@jsforce/jsforce-node';
import { DEFAULT_EMULATOR_CREDENTIALS } from '../../local-stack/salesforce-emulator/auth.js';
import { localPorts, parseConfig } from '../../runtime/config.js';
import { salesforceConnection } from '../salesforce/connection.js';

/**
 * The org a CLI command talks to: a real org when SF_LOGIN_URL (+ credentials) is set,
 * otherwise the local stack's Salesforce emulator on PORT + 1.
 */
export function cliSalesforceConnection(): Promise<Connection> {
  const cfg = parseConfig(process.env);
  if (cfg.SF_LOGIN_URL) {
    return salesforceConnection({
      loginUrl: cfg.SF_LOGIN_URL,
      clientId: cfg.SF_CLIENT_ID ?? '',
      ...(cfg.SF_CLIENT_SECRET ? { clientSecret: cfg.SF_CLIENT_SECRET } : {}),
      ...(cfg.SF_USERNAME ? { username: cfg.SF_USERNAME } : {}),
      ...(cfg.SF_PASSWORD ? { password: cfg.SF_PASSWORD } : {}),
      apiVersion: cfg.SF_API_VERSION,
    });
  }
  return salesforceConnection({
    loginUrl: `http://127.0.0.1:${localPorts(cfg).salesforce}`,
    clientId: DEFAULT_EMULATOR_CREDENTIALS.clientId,
    clientSecret: DEFAULT_EMULATOR_CREDENTIALS.clientSecret,
    apiVersion: cfg.SF_API_VERSION,
  });
}
