import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYNTH_TIMEOUT_MS, synthesize } from '../support/synth.js';

let template: Template;

beforeAll(() => {
  template = synthesize().template;
}, SYNTH_TIMEOUT_MS);

function releaseFunction() {
  const [entry] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, f]) =>
    String(f.Properties.Description).startsWith('Held leads'),
  );
  if (!entry) throw new Error('no held-lead release function');
  return { logicalId: entry[0], properties: entry[1].Properties };
}

describe('the held-lead release', () => {
  it('runs every minute, one run at a time, without retrying a missed minute', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [releaseFunction().logicalId, 'Arn'] },
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 0 },
      }),
    });
    expect(releaseFunction().properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 60,
      ReservedConcurrentExecutions: 1,
    });
  });

  it('reads the routing settings and the table, and never the Salesforce secret (the outbox writes owners)', () => {
    const { logicalId, properties } = releaseFunction();
    const env = properties.Environment.Variables as Record<string, unknown>;
    expect(env.TABLE_NAME).toBeDefined();
    expect(env.INTAKE_QUEUE_IDS).toBeDefined();
    expect(env.INTEGRATION_USER_ID).toBeDefined();
    expect(env.SALESFORCE_CREDENTIALS_ARN).toBeUndefined();
    const role = properties.Role['Fn::GetAtt'][0] as string;
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === role),
    );
    const actions = policies.flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((s) =>
        Array.isArray(s.Action) ? s.Action : [s.Action],
      ),
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:Query',
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ]),
    );
    expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    expect(logicalId).toMatch(/ReleaseHeldLeads/);
  });

  it('has error and throttle alarms like every scheduled job', () => {
    const described = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) =>
      String(a.Properties.AlarmDescription),
    );
    expect(described).toEqual(
      expect.arrayContaining(['ReleaseHeldLeads threw errors', 'ReleaseHeldLeads was throttled']),
    );
  });
});
