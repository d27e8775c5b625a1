import type { MiddlewareObj } from '@middy/core';
import secretsManager from '@middy/secrets-manager';

/** Every secret the functions read; in AWS `<NAME>_ARN` names it, locally `<NAME>` holds it. */
export const SECRET_NAMES = [
  'OUTBOUND_SECRET',
  'SALESFORCE_CREDENTIALS',
  'APPROVAL_SIGNING_SECRET',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_WEBHOOK_URL',
] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** What a handler asks for: a required secret stops it at start when unset; an optional one may be absent. */
export type SecretRequest = Partial<Record<SecretName, 'required' | 'optional'>>;
export type SecretValues<S extends SecretRequest> = {
  [K in keyof S]: S[K] extends 'required' ? string : string | undefined;
};

/** Secrets Manager as middy's secrets middleware builds it; tests pass a fake with the same `send`. */
export type SecretsManagerClientClass = new (
  options: object,
) => { send(command: { input: { SecretId?: string } }): Promise<{ SecretString?: string }> };

export interface SecretsOptions {
  /** How long a fetched value is reused before Secrets Manager is asked again. */
  cacheMs?: number;
  AwsClient?: SecretsManagerClientClass;
}

let cacheKeys = 0;

/**
 * The one way secrets reach a handler: per invocation on `context.secrets`, fetched from Secrets
 * Manager through middy's cached secrets middleware in AWS (`<NAME>_ARN`), taken from the
 * configuration locally (`<NAME>`). Values are never copied anywhere else; a rotated secret is
 * picked up when the cache expires. Secret values never pass through CloudFormation.
 */
export function secretsToContext<S extends SecretRequest>(
  cfg: Partial<Record<`${SecretName}_ARN` | SecretName, string | undefined>>,
  request: S,
  options: SecretsOptions = {},
): MiddlewareObj {
  const arns: Record<string, string> = {};
  const local: Record<string, string | undefined> = {};
  for (const [name, need] of Object.entries(request) as Array<[SecretName, 'required' | 'optional']>) {
    const arn = cfg[`${name}_ARN`];
    const value = cfg[name];
    if (arn) arns[name] = arn;
    else if (value || need === 'optional') local[name] = value;
    else throw new Error(`Missing secret: set ${name}_ARN (AWS) or ${name} (local)`);
  }
  const remote = Object.keys(arns).length
    ? secretsManager({
        fetchData: arns,
        setToContext: false,
        cacheExpiry: options.cacheMs ?? 5 * 60_000,
        // One cache per handler: several handlers share a process locally and in tests.
        cacheKey: `secrets-manager-${++cacheKeys}`,
        ...(options.AwsClient ? { AwsClient: options.AwsClient as never } : {}),
      })
    : undefined;
  return {
    before: async (req) => {
      const fetched: Record<string, unknown> = {};
      if (remote) {
        await remote.before?.(req as never);
        for (const name of Object.keys(arns))
          fetched[name] = await (req.internal as Record<string, unknown>)[name];
      }
      const secrets: Record<string, string | undefined> = { ...local };
      // middy parses JSON secret strings (the Salesforce credentials); handlers get the text back.
      for (const [name, value] of Object.entries(fetched)) {
        secrets[name] = typeof value === 'string' ? value : JSON.stringify(value);
      }
      Object.assign(req.context, { secrets });
    },
  };
}
