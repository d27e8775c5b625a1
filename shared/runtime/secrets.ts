import type { MiddlewareObj } from '@middy/core';
import secretsManager from '@middy/secrets-manager';

/**
 * Secrets reach handlers through the Lambda context under one name whichever way they come:
 * in AWS from Secrets Manager (the `<VAR>_ARN` env var names the secret; cached 5 minutes by
 * middy), locally from the `<VAR>` env var. Secret values never pass through CloudFormation.
 */
export function secretsToContext(
  secrets: Record<string, string>,
  env: Record<string, string | undefined> = process.env,
): MiddlewareObj {
  const fromSecretsManager: Record<string, string> = {};
  const fromEnv: Record<string, string> = {};
  for (const [contextKey, variable] of Object.entries(secrets)) {
    const arn = env[`${variable}_ARN`];
    const value = env[variable];
    if (arn) fromSecretsManager[contextKey] = arn;
    else if (value) fromEnv[contextKey] = value;
    else throw new Error(`Missing secret: set ${variable}_ARN (AWS) or ${variable} (local)`);
  }
  const remote = Object.keys(fromSecretsManager).length
    ? secretsManager({ fetchData: fromSecretsManager, setToContext: true, cacheExpiry: 5 * 60_000 })
    : undefined;
  return {
    before: async (request) => {
      Object.assign(request.context, fromEnv);
      await remote?.before?.(request as never);
    },
  };
}
