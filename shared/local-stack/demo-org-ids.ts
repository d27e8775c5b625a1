import { toId18 } from '../domain/salesforce-id.js';

/** The org id the Salesforce emulator answers with (15 characters, as Salesforce prints it). */
export const EMULATOR_ORG_ID = '00DTR0000000001';
/** The demo org's intake queue and integration user (the emulator's seed data). */
export const DEMO_INTAKE_QUEUE_ID = toId18('00GTR0000000001');
export const DEMO_INTEGRATION_USER_ID = toId18('005TR0000000099');

/**
 * The variables production must set, filled with the demo org's ids. Only the local stack, the
 * CLI (which talks to the local stack by default) and tests pass these; the Lambdas never default.
 */
export const DEMO_ORG_ENV = {
  SALESFORCE_ORG_ID: EMULATOR_ORG_ID,
  INTAKE_QUEUE_IDS: DEMO_INTAKE_QUEUE_ID,
  INTEGRATION_USER_ID: DEMO_INTEGRATION_USER_ID,
} as const;
