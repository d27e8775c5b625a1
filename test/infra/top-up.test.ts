import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYNTH_TIMEOUT_MS, synthesize } from '../support/synth.js';

let template: Template;
let customSchedule: Template;

beforeAll(() => {
  template = synthesize().template;
}, SYNTH_TIMEOUT_MS);
beforeAll(() => {
  customSchedule = synthesize({
    topUpSchedule: 'cron(0 9-16 ? * MON-FRI *)',
    topUpTimeZone: 'America/Vancouver',
    accountSyncSchedule: 'rate(1 hour)',
  }).template;
}, SYNTH_TIMEOUT_MS);

function functionDescribed(template: Template, description: string) {
  const [entry] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, f]) =>
    String(f.Properties.Description).startsWith(description),
  );
  if (!entry) throw new Error(`no function described "${description}…"`);
  return { logicalId: entry[0], properties: entry[1].Properties };
}
const topUpFunction = (template: Template) => functionDescribed(template, 'Scheduled capacity top-up');
const accountSyncFunction = (template: Template) => functionDescribed(template, 'Account index sync');

describe('the scheduled top-up', () => {
  it('runs every 15 minutes in Toronto business hours on weekdays by default', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(*/15 8-17 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'America/Toronto',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [topUpFunction(template).logicalId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0 },
      }),
    });
  });

  it(
    'takes the schedule and time zone from context, validated by the config schema',
    () => {
      customSchedule.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 9-16 ? * MON-FRI *)',
        ScheduleExpressionTimezone: 'America/Vancouver',
      });
      expect(() => synthesize({ topUpTimeZone: 'Mars/Olympus' })).toThrow(/TOP_UP_TIME_ZONE/);
      expect(() => synthesize({ topUpSchedule: 'every 15 minutes' })).toThrow(/TOP_UP_SCHEDULE/);
    },
    SYNTH_TIMEOUT_MS,
  );

  it('is one Lambda at a time with room for a Bulk API job, reading the Salesforce secret by ARN', () => {
    const { properties } = topUpFunction(template);
    expect(properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 900,
      ReservedConcurrentExecutions: 1,
    });
    const env = properties.Environment.Variables as Record<string, unknown>;
    expect(env.TABLE_NAME).toBeDefined();
    expect(env.SALESFORCE_CREDENTIALS_ARN).toBeDefined();
    expect(env.SALESFORCE_CREDENTIALS).toBeUndefined();
  });

  it('reuses the intake construct’s Salesforce secret rather than creating another', () => {
    const { properties } = topUpFunction(template);
    const writeBack = Object.values(template.findResources('AWS::Lambda::Function')).find((f) =>
      String(f.Properties.Description).startsWith('Owners and routing reasons'),
    );
    expect(properties.Environment.Variables.SALESFORCE_CREDENTIALS_ARN).toEqual(
      writeBack?.Properties.Environment.Variables.SALESFORCE_CREDENTIALS_ARN,
    );
  });
});

describe('the scheduled account sync', () => {
  it('syncs the account index incrementally every 15 minutes by default, one run at a time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [accountSyncFunction(template).logicalId, 'Arn'] },
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 0 },
      }),
    });
    const { properties } = accountSyncFunction(template);
    expect(properties).toMatchObject({ Timeout: 900, ReservedConcurrentExecutions: 1 });
    const env = properties.Environment.Variables as Record<string, unknown>;
    expect(env.TABLE_NAME).toBeDefined();
    // The same connected-app secret as the top-up, by ARN only.
    expect(env.SALESFORCE_CREDENTIALS_ARN).toEqual(
      topUpFunction(template).properties.Environment.Variables.SALESFORCE_CREDENTIALS_ARN,
    );
    expect(env.SALESFORCE_CREDENTIALS).toBeUndefined();
  });

  it(
    'takes its schedule from context, validated by the config schema',
    () => {
      customSchedule.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 hour)',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [accountSyncFunction(customSchedule).logicalId, 'Arn'] },
        }),
      });
      expect(() => synthesize({ accountSyncSchedule: 'hourly' })).toThrow(/ACCOUNT_SYNC_SCHEDULE/);
    },
    SYNTH_TIMEOUT_MS,
  );
});
