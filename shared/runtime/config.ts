import * as z from 'zod';
import { capacityConfigSchema } from '../domain/capacity/capacity.js';
import { isSalesforceId, toId18 } from '../domain/salesforce-id.js';

/** The org id the Salesforce emulator answers with; the local stack accepts it by default. */
export const EMULATOR_ORG_ID = '00DTR0000000001';
/** The demo org's intake queue and integration user (the emulator's seed data). */
export const DEMO_INTAKE_QUEUE_ID = '00GTR0000000001';
export const DEMO_INTEGRATION_USER_ID = '005TR0000000099';

const port = z.coerce.number().int().min(0).max(65535);

const salesforceIds = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().refine(isSalesforceId, { message: 'must be 15- or 18-character Salesforce ids' })))
  .transform((ids) => ids.map(toId18));

const jsonText = z.string().transform((raw, ctx) => {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
});

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
    /** Local stack: the Salesforce emulator's port (default PORT + 1) and DynamoDB Local's (PORT + 2). */
    SF_EMULATOR_PORT: port.optional(),
    DYNAMODB_PORT: port.optional(),
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
    /** Queues whose leads are ours to route (and whose owner the write-back may replace). */
    INTAKE_QUEUE_IDS: salesforceIds.default([toId18(DEMO_INTAKE_QUEUE_ID)]),
    /** The integration user that creates leads; also replaceable by the write-back. */
    INTEGRATION_USER_ID: salesforceIds.default([toId18(DEMO_INTEGRATION_USER_ID)]),
    /** Salesforce field that receives the routing reason (truncated to ROUTING_REASON_MAX_LENGTH). */
    ROUTING_REASON_FIELD: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
      .default('Routing_Reason__c'),
    ROUTING_REASON_MAX_LENGTH: z.coerce.number().int().min(20).max(131072).default(255),
    /** Capacity rules as JSON: `{"defaults":{"maxOpen":250,"maxNew":40,"minInProgressRatio":0.55},"overrides":{...},"statuses":{...}}`. */
    CAPACITY_RULES: jsonText.pipe(capacityConfigSchema).default(capacityConfigSchema.parse({})),
    /** Write-back attempts before an owner change is settled as failed (backoff 30 s doubling to 1 h). */
    WRITE_BACK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(30),
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

/** Where the local stack's emulator and DynamoDB Local listen, so CLI commands can find them. */
export function localPorts(cfg: Pick<Config, 'PORT' | 'SF_EMULATOR_PORT' | 'DYNAMODB_PORT'>) {
  return {
    salesforce: cfg.SF_EMULATOR_PORT ?? cfg.PORT + 1,
    dynamodb: cfg.DYNAMODB_PORT ?? cfg.PORT + 2,
  };
}

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
