import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { localDynamoClient } from '../../local-stack/dynamodb-local.js';
import { loadConfigVariables } from '../../runtime/config.js';
import { cliConfig } from './cli-config.js';
import { localStackTarget } from './local-stack-target.js';

export interface DynamoTargetOptions {
  endpoint?: string;
  aws?: boolean;
  table: string;
}

/**
 * Where CLI commands find the table: the local stack's DynamoDB Local unless told otherwise
 * (`--endpoint URL`, or `--aws` for the account and region of the AWS environment).
 */
export function withDynamoTarget(command: Command): Command {
  return command
    .option(
      '--endpoint <url>',
      'DynamoDB endpoint; default $DYNAMODB_ENDPOINT, else the running local stack (DATA_DIR/stack.json, else PORT + 2)',
    )
    .option('--aws', 'use DynamoDB in AWS (credentials and region from the environment)')
    .option(
      '--table <name>',
      'table name; default $TABLE_NAME',
      loadConfigVariables(['TABLE_NAME']).TABLE_NAME,
    );
}

export function openDynamoTarget(options: DynamoTargetOptions): {
  doc: DynamoDBDocumentClient;
  close(): void;
} {
  let client: DynamoDBClient;
  if (options.aws) client = new DynamoDBClient({});
  else {
    const cfg = cliConfig();
    client = localDynamoClient(
      options.endpoint ?? cfg.DYNAMODB_ENDPOINT ?? localStackTarget(cfg).dynamodbEndpoint,
    );
  }
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { doc, close: () => client.destroy() };
}
