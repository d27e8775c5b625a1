import { runningStack } from '../../local-stack/stack-record.js';
import { type Config, localPorts } from '../../runtime/config.js';

/**
 * Where the local stack listens: what the running stack recorded in DATA_DIR/stack.json (so a
 * stack started with another PORT is still found), else the ports PORT implies.
 */
export function localStackTarget(cfg: Config): {
  gatewayUrl: string;
  salesforceUrl: string;
  dynamodbEndpoint: string;
  tableName: string;
} {
  const running = runningStack(cfg.DATA_DIR);
  const ports = localPorts(cfg);
  return {
    gatewayUrl: running?.gatewayUrl ?? `http://127.0.0.1:${cfg.PORT}`,
    salesforceUrl: running?.salesforceUrl ?? `http://127.0.0.1:${ports.salesforce}`,
    dynamodbEndpoint: running?.dynamodbEndpoint ?? `http://127.0.0.1:${ports.dynamodb}`,
    tableName: running?.tableName ?? cfg.TABLE_NAME,
  };
}
