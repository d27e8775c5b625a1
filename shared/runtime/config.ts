import { z } from 'zod';
import { isSalesforceId, toId18 } from '../domain/salesforce-id.js';

/** The org id the Salesforce emulator answers with; the local stack accepts it by default. */
export const EMULATOR_ORG_ID = '00DTR0000000001';

const port = z.coerce.number().int().min(0).max(65535);

const orgIds = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().refine(isSalesforceId, { message: 'must be 15- or 18-character Salesforce org ids' }))
      .min(1, { message: 'needs at least one org id' }),
  )
  .transform((ids) => ids.map(toId18));

/**
 * Environment configuration: the one schema, read once at start. Names are a contract
 * (README "Configuration"); each capability adds its variables here.
 */
export const configSchema = z
  .object({
    PORT: port.default(3000),
    DATA_DIR: z.string().min(1).default('.local/'),
    TABLE_NAME: z.string().min(3).default('territory-router'),
    /** Set locally to DynamoDB Local; unset in AWS. */
    DYNAMODB_ENDPOINT: z.url().optional(),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    SALESFORCE_ORG_ID: orgIds.default([toId18(EMULATOR_ORG_ID)]),
    OUTBOUND_SECRET: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
    SF_LOGIN_URL: z.url().optional(),
    SF_CLIENT_ID: z.string().min(1).optional(),
    SF_CLIENT_SECRET: z.string().min(1).optional(),
    SF_USERNAME: z.string().min(1).optional(),
    SF_PASSWORD: z.string().min(1).optional(),
    SF_API_VERSION: z
      .string()
      .regex(/^\d+\.\d$/, { message: 'must look like 62.0' })
      .default('62.0'),
    SLACK_WEBHOOK_URL: z.url().optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.SF_LOGIN_URL && !cfg.SF_CLIENT_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['SF_CLIENT_ID'],
        message: 'is required when SF_LOGIN_URL is set',
      });
    }
  });

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parse an environment; every problem names its variable. Empty strings count as unset. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  return result.data;
}

let loaded: Config | undefined;

/** The process configuration, parsed on first use and cached for the life of the container. */
export function config(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
