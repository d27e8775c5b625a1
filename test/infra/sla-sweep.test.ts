import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYNTH_TIMEOUT_MS, synthesize } from '../support/synth.js';

let template: Template;

beforeAll(() => {
  template = synthesize().template;
}, SYNTH_TIMEOUT_MS);

function functionDescribed(description: string) {
  const [entry] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, f]) =>
    String(f.Properties.Description).startsWith(description),
  );
  if (!entry) throw new Error(`no function described "${description}…"`);
  return { logicalId: entry[0], properties: entry[1].Properties };
}

describe('the SLA sweep', () => {
  it('runs every minute from EventBridge Scheduler, a missed minute not retried', () => {
    const sweep = functionDescribed('SLA sweep');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [sweep.logicalId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0 },
      }),
    });
  });

  it('is one Lambda at a time with two minutes, the table and the Salesforce and Slack secrets by ARN', () => {
    const { properties, logicalId } = functionDescribed('SLA sweep');
    expect(properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 120,
      ReservedConcurrentExecutions: 1,
    });
    const env = properties.Environment.Variables as Record<string, unknown>;
    expect(env.TABLE_NAME).toBeDefined();
    expect(env.SALESFORCE_CREDENTIALS_ARN).toEqual(
      functionDescribed('Scheduled capacity top-up').properties.Environment.Variables
        .SALESFORCE_CREDENTIALS_ARN,
    );
    expect(env.SLACK_WEBHOOK_URL_ARN).toBeDefined();
    expect(env.SALESFORCE_CREDENTIALS).toBeUndefined();
    expect(env.INTAKE_QUEUE_IDS).toBeDefined();
    // Error and throttle alarms like every function.
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      JSON.stringify(a.Properties.Dimensions ?? []).includes(logicalId),
    );
    expect(alarms.length).toBeGreaterThanOrEqual(2);
  });

  // TransactWriteItems needs the Put/Update/ConditionCheck actions of its items (there is no action of its own).
  it('may write the table and read only its own secrets', () => {
    const { properties } = functionDescribed('SLA sweep');
    const role = properties.Role['Fn::GetAtt'][0] as string;
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(role),
    );
    const statements = policies.flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: unknown }>,
    );
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).map(String);
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:Query', 'secretsmanager:GetSecretValue']),
    );
    expect(actions.some((a) => a.startsWith('sfn:') || a === '*' || a === 'dynamodb:*')).toBe(false);
  });
});
