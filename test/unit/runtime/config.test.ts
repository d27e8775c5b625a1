import { describe, expect, it } from 'vitest';
import { DEMO_ORG_ENV } from '../../../shared/local-stack/demo-org-ids.js';
import {
  ConfigError,
  parseConfig,
  parseConfigVariables,
  requireConfig,
} from '../../../shared/runtime/config.js';

const ORG_VARIABLES = ['SALESFORCE_ORG_ID', 'INTAKE_QUEUE_IDS', 'INTEGRATION_USER_ID'] as const;

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the configuration loader', () => {
  it("never falls back to the emulator's demo org ids", () => {
    const cfg = parseConfig({});
    expect(cfg.SALESFORCE_ORG_ID).toBeUndefined();
    expect(cfg.INTAKE_QUEUE_IDS).toBeUndefined();
    expect(cfg.INTEGRATION_USER_ID).toBeUndefined();
  });

  it('stops a production function without the org id, intake queues and integration user, naming each', () => {
    const problems = problemsOf(() => requireConfig(parseConfig({}), ORG_VARIABLES));
    expect(problems).toHaveLength(3);
    for (const [i, name] of ORG_VARIABLES.entries())
      expect(problems[i]).toMatch(new RegExp(`^${name}: is required`));
    expect(() => requireConfig(parseConfig({}), ORG_VARIABLES)).toThrow(
      /SALESFORCE_ORG_ID[\s\S]*INTAKE_QUEUE_IDS[\s\S]*INTEGRATION_USER_ID/,
    );
  });

  it('names only what is missing', () => {
    const cfg = parseConfig({ SALESFORCE_ORG_ID: '00D5e000000AbCd', INTAKE_QUEUE_IDS: '00G5e000000AbCd' });
    expect(problemsOf(() => requireConfig(cfg, ORG_VARIABLES))).toEqual([
      expect.stringMatching(/^INTEGRATION_USER_ID: is required/),
    ]);
  });

  it('accepts the ids when set, in their 18-character form', () => {
    const cfg = requireConfig(
      parseConfig({
        SALESFORCE_ORG_ID: '00D5e000000AbCd',
        INTAKE_QUEUE_IDS: '00G5e000000AbCd, 00G5e000000XyZa',
        INTEGRATION_USER_ID: '0055e000000AbCd',
      }),
      ORG_VARIABLES,
    );
    expect(cfg.SALESFORCE_ORG_ID).toEqual(['00D5e000000AbCdEAK']);
    expect(cfg.INTAKE_QUEUE_IDS).toHaveLength(2);
    expect(cfg.INTEGRATION_USER_ID[0]).toHaveLength(18);
  });

  it("takes the demo org's ids only when a local caller passes them", () => {
    const cfg = requireConfig(parseConfig({ ...DEMO_ORG_ENV }), ORG_VARIABLES);
    expect(cfg.INTAKE_QUEUE_IDS).toEqual([DEMO_ORG_ENV.INTAKE_QUEUE_IDS]);
  });

  it('refuses an empty id list and a malformed id, naming the variable', () => {
    expect(problemsOf(() => parseConfig({ INTAKE_QUEUE_IDS: ' , ' }))).toEqual([
      expect.stringMatching(/^INTAKE_QUEUE_IDS: needs at least one id/),
    ]);
    expect(problemsOf(() => parseConfig({ INTEGRATION_USER_ID: 'nobody' }))).toEqual([
      expect.stringMatching(/^INTEGRATION_USER_ID\.0: must be 15- or 18-character Salesforce ids/),
    ]);
  });

  it('refuses a secret reference that is not an ARN', () => {
    expect(problemsOf(() => parseConfig({ SALESFORCE_CREDENTIALS_ARN: 'my-secret' }))).toEqual([
      'SALESFORCE_CREDENTIALS_ARN: must be a Secrets Manager ARN',
    ]);
  });

  it('reads some variables on their own without requiring or validating the rest', () => {
    const picked = parseConfigVariables(['TOP_UP_TIME_ZONE'], {
      TOP_UP_TIME_ZONE: 'Europe/Paris',
      CAPACITY_RULES: 'not json',
    });
    expect(picked).toEqual({ TOP_UP_TIME_ZONE: 'Europe/Paris' });
    expect(
      problemsOf(() => parseConfigVariables(['TOP_UP_TIME_ZONE'], { TOP_UP_TIME_ZONE: 'Mars/Base' })),
    ).toEqual([expect.stringMatching(/^TOP_UP_TIME_ZONE: must be an IANA time zone/)]);
  });
});
