import * as z from 'zod';
import { capacityConfigSchema } from '../shared/domain/capacity/capacity.js';
import {
  DEMO_INTAKE_QUEUE_ID,
  DEMO_INTEGRATION_USER_ID,
  EMULATOR_ORG_ID,
} from '../shared/local-stack/demo-org-ids.js';

/**
 * Stage configuration, validated before anything is synthesized. Values come from CDK context
 * (`cdk deploy -c stage=prod -c salesforceOrgIds=00D... -c alarmEmail=ops@example.com`); nothing
 * secret belongs here — secrets live in Secrets Manager.
 */
export const stageConfigSchema = z.object({
  stage: z.enum(['dev', 'prod']),
  /** Accepted Salesforce org id(s), comma-separated, 15 or 18 characters. */
  salesforceOrgIds: z
    .string()
    .regex(/^00D[a-zA-Z0-9]{12}([a-zA-Z0-5]{3})?(,00D[a-zA-Z0-9]{12}([a-zA-Z0-5]{3})?)*$/, {
      message: 'must be comma-separated Salesforce org ids (00D…)',
    }),
  /** Where alarm notifications go; unset means subscribe to the SNS topic yourself. */
  alarmEmail: z.email().optional(),
  /** The Lead queue(s) whose leads are routed (INTAKE_QUEUE_IDS), comma-separated 00G ids. */
  intakeQueueIds: z
    .string()
    .regex(/^00G[a-zA-Z0-9]{12}([a-zA-Z0-5]{3})?(,00G[a-zA-Z0-9]{12}([a-zA-Z0-5]{3})?)*$/, {
      message: 'must be comma-separated Salesforce queue ids (00G…)',
    }),
  /** The integration user(s) that create leads (INTEGRATION_USER_ID), comma-separated 005 ids. */
  integrationUserIds: z
    .string()
    .regex(/^005[a-zA-Z0-9]{12}([a-zA-Z0-5]{3})?(,005[a-zA-Z0-9]{12}([a-zA-Z0-5]{3})?)*$/, {
      message: 'must be comma-separated Salesforce user ids (005…)',
    }),
  /** Lead field that receives the routing reason (ROUTING_REASON_FIELD). */
  routingReasonField: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'must be a Salesforce field name' })
    .optional(),
  /** Lead lookup the write-back sets to the matched account (MATCHED_ACCOUNT_FIELD), e.g. Matched_Account__c; unset: off. */
  matchedAccountField: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'must be a Salesforce field name' })
    .optional(),
  /** Capacity rules JSON for intake and top-up (CAPACITY_RULES), e.g. `{"defaults":{"maxNew":30}}`. */
  capacityRules: z
    .string()
    .refine(
      (raw) => {
        try {
          return capacityConfigSchema.safeParse(JSON.parse(raw)).success;
        } catch {
          return false;
        }
      },
      { message: 'must be JSON matching the capacity rules (see README "Capacity and top-up")' },
    )
    .optional(),
  /** HTTP API default route throttling. */
  apiRateLimit: z.coerce.number().int().positive(),
  apiBurstLimit: z.coerce.number().int().positive(),
});
export type StageConfig = z.output<typeof stageConfigSchema>;

const defaults: Record<StageConfig['stage'], Pick<StageConfig, 'apiRateLimit' | 'apiBurstLimit'>> = {
  dev: { apiRateLimit: 20, apiBurstLimit: 40 },
  prod: { apiRateLimit: 100, apiBurstLimit: 200 },
};

export class StageConfigError extends Error {
  override name = 'StageConfigError';
}

/** Read and validate the stage from context; every problem is named with its context key. */
export function stageConfig(context: (key: string) => unknown): StageConfig {
  const stage = (context('stage') as string | undefined) ?? 'dev';
  const base = defaults[stage as StageConfig['stage']] ?? {};
  const raw = Object.fromEntries(
    Object.entries({
      stage,
      ...base,
      // A dev stage without context gets the demo org's ids; prod must name its org's.
      salesforceOrgIds: context('salesforceOrgIds') ?? (stage === 'dev' ? EMULATOR_ORG_ID : undefined),
      alarmEmail: context('alarmEmail'),
      capacityRules: context('capacityRules'),
      intakeQueueIds: context('intakeQueueIds') ?? (stage === 'dev' ? DEMO_INTAKE_QUEUE_ID : undefined),
      integrationUserIds:
        context('integrationUserIds') ?? (stage === 'dev' ? DEMO_INTEGRATION_USER_ID : undefined),
      routingReasonField: context('routingReasonField'),
      matchedAccountField: context('matchedAccountField'),
      apiRateLimit: context('apiRateLimit') ?? base.apiRateLimit,
      apiBurstLimit: context('apiBurstLimit') ?? base.apiBurstLimit,
    }).filter(([, v]) => v !== undefined),
  );
  const parsed = stageConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StageConfigError(
      `Invalid stage configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')} (-c ${i.path.join('.')}=…): ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}

/**
 * The routing settings every routing Lambda (intake, write-back, top-up) reads from its
 * environment; none is secret. Unset ones keep the runtime defaults.
 */
export function routingEnvironment(config: StageConfig): Record<string, string> {
  return {
    INTAKE_QUEUE_IDS: config.intakeQueueIds,
    INTEGRATION_USER_ID: config.integrationUserIds,
    ...(config.routingReasonField ? { ROUTING_REASON_FIELD: config.routingReasonField } : {}),
    ...(config.capacityRules ? { CAPACITY_RULES: config.capacityRules } : {}),
    ...(config.matchedAccountField ? { MATCHED_ACCOUNT_FIELD: config.matchedAccountField } : {}),
  };
}
