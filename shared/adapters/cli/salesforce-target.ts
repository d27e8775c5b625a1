import type { Connection } from '@jsforce/jsforce-node';
import { DEFAULT_EMULATOR_CREDENTIALS } from '../../local-stack/salesforce-emulator/auth.js';
import { connectionProvider, salesforceCredentialsFromEnv } from '../../runtime/salesforce.js';
import { cliConfig } from './cli-config.js';
import { localStackTarget } from './local-stack-target.js';

/**
 * The org a CLI command talks to: a real org when SF_LOGIN_URL (+ credentials: JWT bearer with
 * SF_PRIVATE_KEY_FILE and SF_USERNAME, as the Lambdas log in, or client credentials) is set,
 * otherwise the running local stack's Salesforce emulator (DATA_DIR/stack.json, else PORT + 1).
 */
export function cliSalesforceConnection(): Promise<Connection> {
  const cfg = cliConfig();
  const credentials = salesforceCredentialsFromEnv(cfg) ?? {
    loginUrl: localStackTarget(cfg).salesforceUrl,
    clientId: DEFAULT_EMULATOR_CREDENTIALS.clientId,
    clientSecret: DEFAULT_EMULATOR_CREDENTIALS.clientSecret,
  };
  return connectionProvider(() => credentials, cfg.SF_API_VERSION)();
}
