import * as z from 'zod';
import { APPROVER_ROLES, OBJECT_TYPES } from './model.js';

const enabled = z.boolean().default(true);
const approverRole = z.enum(APPROVER_ROLES);

/**
 * Guardrail thresholds (README "Bulk reassignment with guardrails and approvals"). Every field has the documented default, so `{}` parses
 * to the standard policy and a team overrides only what it changes.
 */
export const guardrailConfigSchema = z.object({
  /** Named accounts stay with their rep unless a manager override is given. */
  namedAccounts: z.object({ enabled, overrideApprover: approverRole.default('manager') }).prefault({}),
  /** Open opportunities stay with their current owner until close; the result lists them. */
  openOpportunities: z.object({ enabled }).prefault({}),
  /** VP approval when one rep gains or loses more than this many accounts. */
  vpApproval: z
    .object({ enabled, maxAccountsGainedOrLost: z.number().int().min(0).default(20) })
    .prefault({}),
  /** Approval of the deal owners before moving an account whose open deals total more than this. */
  dealOwnerApproval: z
    .object({ enabled, openDealAmountAbove: z.number().min(0).default(100_000) })
    .prefault({}),
  /** At most this share of a rep's book reassigned away per rolling window. */
  bookChange: z
    .object({
      enabled,
      maxShare: z.number().min(0).max(1).default(0.3),
      windowDays: z.number().int().positive().default(365),
      onExceed: z.enum(['block', 'approval']).default('block'),
      overrideApprover: approverRole.default('vp'),
    })
    .prefault({}),
  /** Territory changes take effect at least this many days out. */
  effectiveDate: z
    .object({
      enabled,
      minNoticeDays: z.number().int().min(0).default(60),
      appliesTo: z.array(z.enum(OBJECT_TYPES)).default(['Account']),
      onTooEarly: z.enum(['block', 'reschedule']).default('block'),
    })
    .prefault({}),
});

export type GuardrailConfig = z.output<typeof guardrailConfigSchema>;
export type GuardrailConfigInput = z.input<typeof guardrailConfigSchema>;

export const DEFAULT_GUARDRAIL_CONFIG: GuardrailConfig = guardrailConfigSchema.parse({});
