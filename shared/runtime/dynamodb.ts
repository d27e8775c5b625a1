import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from './config.js';

/**
 * The one DynamoDB document client factory: DynamoDB Local when DYNAMODB_ENDPOINT is set,
 * the regional endpoint with the Lambda role's credentials otherwise.
 */
export function documentClient(
  cfg: Pick<Config, 'DYNAMODB_ENDPOINT' | 'AWS_REGION'>,
): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: cfg.AWS_REGION,
    ...(cfg.DYNAMODB_ENDPOINT
      ? { endpoint: cfg.DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
