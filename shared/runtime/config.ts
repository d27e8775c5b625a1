import * as z from 'zod';
import { capacityConfigSchema } from '../domain/capacity/capacity.js';
import { DEFAULT_GUARDRAIL_CONFIG, guardrailConfigSchema } from '../domain/guardrails/config.js';
import { approverDirectorySchema, DEFAULT_APPROVERS } from '../domain/reassign/approvers.js';
import { isSalesforceId, toId18 } from '../domain/salesforce-id.js';
import { DEFAULT_PERFORMANCE_WEIGHTS, performanceWeightsSchema } from '../domain/topup/performance.js';

const port = z.coerce.number().int().min(0).max(65535);

/** A comma-separated list: `a, b,,c` → ['a', 'b', 'c']. */
const commaList = z.string().transform((raw) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const salesforceIds = commaList
  .pipe(z.array(z.string().refine(isSalesforceId, { message: 'must be 15- or 18-character Salesforce ids' })))
  .transform((ids) => ids.map(toId18));

const someSalesforceIds = salesforceIds.pipe(
  z.array(z.string()).min(1, { message: 'needs at least one id' }),
);

/** A secret's Secrets Manager ARN (AWS); the function reads the value through the secrets middleware. */
const secretArn = z.string().startsWith('arn:', { message: 'must be a Secrets Manager ARN' });

const jsonText = z.string().transform((raw, ctx) => {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
});

/** A Salesforce API field name (interpolated into SOQL, so nothing else). */
const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'must be a Salesforce field name' });

const orgIds = commaList
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
const configObject = z.object({
  PORT: port.default(3000),
  /** Local stack: the Salesforce emulator's port (default PORT + 1) and DynamoDB Local's (PORT + 2). */
  SF_EMULATOR_PORT: port.optional(),
  /** Local stack: the emulated org has `all` the Salesforce package's custom fields, or only the `required` one. */
  SF_EMULATOR_FIELDS: z.enum(['all', 'required']).default('all'),
  DYNAMODB_PORT: port.optional(),
  DATA_DIR: z.string().min(1).default('.local/'),
  TABLE_NAME: z.string().min(3).default('territory-router'),
  /** Set locally to DynamoDB Local; unset in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** No defaults: a function that needs the org's ids requires them (`requireConfig`); local callers pass the demo org's. */
  SALESFORCE_ORG_ID: orgIds.optional(),
  /** Secrets: `<NAME>_ARN` names a Secrets Manager secret in AWS; locally `<NAME>` holds the value (shared/runtime/secrets.ts). */
  OUTBOUND_SECRET: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  OUTBOUND_SECRET_ARN: secretArn.optional(),
  SALESFORCE_CREDENTIALS: z.string().min(1).optional(),
  SALESFORCE_CREDENTIALS_ARN: secretArn.optional(),
  APPROVAL_SIGNING_SECRET: z.string().min(1).optional(),
  APPROVAL_SIGNING_SECRET_ARN: secretArn.optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_SIGNING_SECRET_ARN: secretArn.optional(),
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  SLACK_BOT_TOKEN_ARN: secretArn.optional(),
  SLACK_WEBHOOK_URL_ARN: secretArn.optional(),
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
  INTAKE_QUEUE_IDS: someSalesforceIds.optional(),
  /** The integration user that creates leads; also replaceable by the write-back. */
  INTEGRATION_USER_ID: someSalesforceIds.optional(),
  /** Salesforce field that receives the routing reason (truncated to ROUTING_REASON_MAX_LENGTH). */
  ROUTING_REASON_FIELD: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .default('Routing_Reason__c'),
  /** Lead lookup the write-back sets to the account intake matched (e.g. `Matched_Account__c`); unset: off. */
  MATCHED_ACCOUNT_FIELD: fieldName.optional(),
  ROUTING_REASON_MAX_LENGTH: z.coerce.number().int().min(20).max(131072).default(255),
  /** Capacity rules as JSON: `{"defaults":{"maxOpen":250,"maxNew":40,"minInProgressRatio":0.55},"overrides":{...},"statuses":{...}}`. */
  CAPACITY_RULES: jsonText.pipe(capacityConfigSchema).default(capacityConfigSchema.parse({})),
  /** Write-back attempts before an owner change is settled as failed (backoff 30 s doubling to 1 h). */
  WRITE_BACK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(30),
  /** Guardrail thresholds as JSON, e.g. `{"vpApproval":{"maxAccountsGainedOrLost":25}}` (defaults in README "Bulk reassignment with guardrails and approvals"). */
  GUARDRAILS: jsonText.pipe(guardrailConfigSchema).default(DEFAULT_GUARDRAIL_CONFIG),
  /** Who approves per role, as JSON; deal owners come from Salesforce. */
  REASSIGN_APPROVERS: jsonText.pipe(approverDirectorySchema).default(DEFAULT_APPROVERS),
  /** Above this many owner changes, apply through Bulk API 2.0 instead of sObject Collections. */
  REASSIGN_BULK_THRESHOLD: z.coerce.number().int().min(1).default(2000),
  /** Public base URL of the API, for approval links (set by CDK in AWS, by the local stack locally). */
  APPROVAL_BASE_URL: z.url().optional(),
  /** Approval links expire after this many hours (the approval task's own timeout is set in CDK). */
  APPROVAL_LINK_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(72),
  /** Account fields read for summaries and guardrails. */
  ACCOUNT_ARR_FIELD: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .default('ARR__c'),
  ACCOUNT_NAMED_FIELD: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .default('Named_Account__c'),
  /** Optional org fields (README "Salesforce fields"): a feature whose field the org lacks degrades with a note. */
  LEAD_PRODUCT_INTEREST_FIELD: fieldName.default('Product_Interest__c'),
  ACCOUNT_REVENUE_POTENTIAL_FIELD: fieldName.default('Revenue_Potential__c'),
  ACCOUNT_GROWTH_POTENTIAL_FIELD: fieldName.default('Growth_Potential__c'),
  USER_SPECIALIZATION_FIELD: fieldName.default('Industry_Specialization__c'),
  /** Path of the PEM private key of the External Client App's certificate: with SF_USERNAME, the CLI logs in with the JWT bearer flow. */
  SF_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  /** The bulk-reassign state machine (AWS); locally the stack runs it in-process. */
  REASSIGN_STATE_MACHINE_ARN: z.string().min(1).optional(),
  /** Local only: the key `POST /reassignments` expects in `x-api-key` (in AWS the route uses IAM auth). */
  REASSIGN_API_KEY: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  /** Channel for chat.postMessage when a Slack bot token is configured. */
  SLACK_CHANNEL: z.string().min(1).optional(),
  /** Top-up schedule (EventBridge Scheduler expression) and its time zone: business hours by default. */
  TOP_UP_SCHEDULE: z
    .string()
    .regex(/^(cron|rate)\(.+\)$/, {
      message: 'must be an EventBridge Scheduler cron(...) or rate(...) expression',
    })
    .default('cron(*/15 8-17 ? * MON-FRI *)'),
  TOP_UP_TIME_ZONE: z
    .string()
    .refine(isTimeZone, { message: 'must be an IANA time zone such as America/Toronto' })
    .default('America/Toronto'),
  /** Incremental account-index sync schedule (EventBridge Scheduler expression, read in UTC). */
  ACCOUNT_SYNC_SCHEDULE: z
    .string()
    .regex(/^(cron|rate)\(.+\)$/, {
      message: 'must be an EventBridge Scheduler cron(...) or rate(...) expression',
    })
    .default('rate(15 minutes)'),
  /** Local stack: incremental account-sync timer interval; 0 turns the timer off. */
  ACCOUNT_SYNC_INTERVAL_MS: z.coerce.number().int().min(0).default(900_000),
  /** Pool order: `oldest` first or highest `score` (TOP_UP_SCORE_FIELD) first. */
  TOP_UP_POOL_ORDER: z.enum(['oldest', 'score']).default('oldest'),
  TOP_UP_SCORE_FIELD: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .default('Lead_Score__c'),
  /** Queues the pool is read from; defaults to INTAKE_QUEUE_IDS (add the default queue to refill leads intake parked there). */
  TOP_UP_POOL_QUEUE_IDS: salesforceIds.optional(),
  /** At most this many pool leads per run. */
  TOP_UP_POOL_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
  /** Custom Lead fields the territory rules test besides the standard ones, comma-separated (e.g. `Segment__c`). */
  TOP_UP_LEAD_FIELDS: commaList
    .pipe(z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'must be Salesforce field names' })))
    .default([]),
  /** A run allocating more leads than this writes owners with Bulk API 2.0 instead of the outbox. */
  TOP_UP_BULK_THRESHOLD: z.coerce.number().int().min(0).default(2000),
  TOP_UP_BULK_POLL_TIMEOUT_MS: z.coerce.number().int().min(1000).default(600_000),
  TOP_UP_BULK_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(5000),
  /** The run lease (16 min) outlives the Lambda's 15-minute limit, so a crashed run frees it soon after. */
  TOP_UP_LEASE_MS: z.coerce.number().int().min(1000).default(960_000),
  /** Local stack: how often held leads are checked (every minute in AWS); 0 turns the timer off. */
  RELEASE_HELD_LEADS_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Local stack: top-up timer interval; 0 turns the timer off. */
  TOP_UP_INTERVAL_MS: z.coerce.number().int().min(0).default(300_000),
  /** Local stack: how often the SLA sweep runs (the schedule runs it every minute in AWS); 0 turns it off. */
  SLA_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Performance score weights: `{"activity":0.6,"pipeline":0.4}`. */
  TOP_UP_PERFORMANCE_WEIGHTS: jsonText.pipe(performanceWeightsSchema).default(DEFAULT_PERFORMANCE_WEIGHTS),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export const configSchema = configObject.superRefine((cfg, ctx) => {
  if (cfg.SF_LOGIN_URL && !cfg.SF_CLIENT_ID) {
    ctx.addIssue({
      code: 'custom',
      path: ['SF_CLIENT_ID'],
      message: 'is required when SF_LOGIN_URL is set',
    });
  }
});

export type Config = z.output<typeof configSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

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
  return parseWith(configSchema, env);
}

/** What each id variable is, for the message when a function needs it and it is unset. */
const ORG_VARIABLES = {
  SALESFORCE_ORG_ID: 'the Salesforce org id(s) whose outbound messages are accepted',
  INTAKE_QUEUE_IDS: 'the Lead queue(s) whose leads are routed',
  INTEGRATION_USER_ID: 'the integration user(s) that create leads',
} as const;
export type OrgVariable = keyof typeof ORG_VARIABLES;

/** A configuration in which the named org variables are known to be set. */
export type ConfigWith<K extends OrgVariable> = Config & { [P in K]-?: string[] };

/**
 * Production never falls back to the emulator's demo ids: a function states which org variables
 * it needs, and a missing one stops it at start with a message naming each variable.
 */
export function requireConfig<K extends OrgVariable>(cfg: Config, names: readonly K[]): ConfigWith<K> {
  const missing = names.filter((name) => !cfg[name]?.length);
  if (missing.length > 0) {
    throw new ConfigError(missing.map((name) => `${name}: is required (${ORG_VARIABLES[name]})`));
  }
  return cfg as ConfigWith<K>;
}

/**
 * Some variables on their own, for a reader that needs only those (the CDK app reads the top-up
 * schedule from context) and must not require the rest.
 */
export function parseConfigVariables<K extends keyof Config & keyof typeof configObject.shape>(
  names: readonly K[],
  env: Record<string, string | undefined>,
): Pick<Config, K> {
  const mask = Object.fromEntries(names.map((name) => [name, true]));
  return parseWith(configObject.pick(mask as never), env) as unknown as Pick<Config, K>;
}

function parseWith<T>(schema: z.ZodType<T>, env: Record<string, string | undefined>): T {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/**
 * The process environment parsed (the one place that reads `process.env`, besides the local
 * stack's entry). `defaults` sit under it: the CLI passes the local stack's demo org ids.
 */
export function loadConfig(defaults: Readonly<Record<string, string>> = {}): Config {
  return parseConfig({ ...defaults, ...process.env });
}

/** Some variables of the process environment, without requiring the rest (CLI option defaults). */
export function loadConfigVariables<K extends keyof Config & keyof typeof configObject.shape>(
  names: readonly K[],
): Pick<Config, K> {
  return parseConfigVariables(names, process.env);
}

let loaded: Config | undefined;

/** The Lambdas' configuration: parsed on first use, cached for the life of the container. */
export function config(): Config {
  loaded ??= loadConfig();
  return loaded;
}
