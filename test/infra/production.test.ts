import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { StageConfigError, stageConfig } from '../../infra/config.js';
import { TerritoryRouterStack } from '../../infra/stack.js';

function synth(context: Record<string, string> = {}) {
  const app = new App({ context });
  const stack = new TerritoryRouterStack(app, 'TerritoryRouter');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, template: Template.fromStack(stack) };
}

describe('the production stack', () => {
  it('passes the cdk-nag AWS Solutions checks', () => {
    const { app } = synth();
    expect(() => app.synth()).not.toThrow();
  });

  it('synthesizes identical templates twice', () => {
    expect(JSON.stringify(synth().template.toJSON())).toBe(JSON.stringify(synth().template.toJSON()));
  });

  it('throttles the API and logs routes, never raw paths or bodies', () => {
    const { template } = synth({
      stage: 'prod',
      salesforceOrgIds: '00D5e000000AbCd',
      intakeQueueIds: '00G5e000000AbCd',
    });
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    expect(stage?.Properties.DefaultRouteSettings).toEqual({
      ThrottlingBurstLimit: 200,
      ThrottlingRateLimit: 100,
    });
    const format = String(stage?.Properties.AccessLogSettings.Format);
    expect(format).toContain('$context.routeKey');
    expect(format).not.toMatch(/\$context\.path|\$request\.body|\$context\.requestOverride/);
  });

  it('raises alarms on errors, throttles, the DLQ, outbox age and failed writes, to one topic', () => {
    const { template } = synth({ alarmEmail: 'ops@example.com' });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const described = alarms.map((a) => String(a.Properties.AlarmDescription));
    for (const expected of [
      /Intake threw errors/,
      /WriteBack was throttled/,
      /failed batches/,
      /30 minutes/,
      /failed permanently/,
    ]) {
      expect(described.some((d) => expected.test(d))).toBe(true);
    }
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});

describe('least privilege', () => {
  const { template } = synth();
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  const statements = policies.flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>,
  );
  const actions = (st: Record<string, unknown>) => [st.Action].flat() as string[];

  it('grants no wildcard actions', () => {
    for (const st of statements) {
      for (const action of actions(st)) {
        expect(action).not.toBe('*');
        expect(action).not.toMatch(/^(dynamodb|secretsmanager|sqs|states|lambda):\*$/);
      }
    }
  });

  it('lets each function read only its own secret', () => {
    const secretReaders = (secretPrefix: string) =>
      policies
        .filter((p) =>
          (p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>).some(
            (st) =>
              actions(st).includes('secretsmanager:GetSecretValue') &&
              JSON.stringify(st.Resource).includes(secretPrefix),
          ),
        )
        .map((p) => JSON.stringify(p.Properties.Roles));
    expect(secretReaders('IntakeOutboundSecret')).toHaveLength(1);
    expect(secretReaders('IntakeOutboundSecret')[0]).toContain('IntakeIntakeFunction');
    expect(secretReaders('IntakeSalesforceCredentials').join()).not.toContain('IntakeIntakeFunction');
  });
});

describe('cdk synth', () => {
  it('synthesizes offline through the pinned CDK CLI', () => {
    const out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    try {
      execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', out], {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
          AWS_PROFILE: '',
          CDK_DISABLE_VERSION_CHECK: '1',
        },
        stdio: 'pipe',
        timeout: 120_000,
      });
      expect(readdirSync(out)).toContain('TerritoryRouter.template.json');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 150_000);
});

describe('stage configuration', () => {
  it('defaults to dev with the emulator org', () => {
    expect(stageConfig(() => undefined)).toMatchObject({ stage: 'dev', salesforceOrgIds: '00DTR0000000001' });
  });

  it("gives intake, write-back and top-up the org's intake queues and reason field", () => {
    const { template } = synth({
      intakeQueueIds: '00G5e000000AbCd',
      routingReasonField: 'Lead_Routing_Note__c',
    });
    const routing = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Environment?.Variables?.INTAKE_QUEUE_IDS === '00G5e000000AbCd',
    );
    expect(routing.map((f) => f.Properties.Description).sort()).toEqual(
      [
        'Owners and routing reasons to Salesforce from the outbox',
        'Salesforce Outbound Messages → durable lead assignments',
        expect.stringMatching(/top-up|Top-up|pool/i),
      ].sort(),
    );
    for (const f of routing)
      expect(f.Properties.Environment.Variables.ROUTING_REASON_FIELD).toBe('Lead_Routing_Note__c');
  });

  it('requires the intake queue in prod', () => {
    const prod = (k: string) => ({ stage: 'prod', salesforceOrgIds: '00D5e000000AbCd' })[k];
    expect(() => stageConfig(prod)).toThrow(/intakeQueueIds/);
    expect(
      stageConfig((k) => prod(k) ?? (k === 'intakeQueueIds' ? '00G5e000000AbCd' : undefined)).stage,
    ).toBe('prod');
  });

  it('requires the org id in prod and names the context key', () => {
    expect(() => stageConfig((k) => (k === 'stage' ? 'prod' : undefined))).toThrow(StageConfigError);
    expect(() => stageConfig((k) => (k === 'stage' ? 'prod' : undefined))).toThrow(/salesforceOrgIds/);
  });

  it('passes validated capacity rules to intake and top-up, and refuses malformed ones', () => {
    const rules = JSON.stringify({ defaults: { maxNew: 30 } });
    const { template } = synth({ capacityRules: rules });
    const withRules = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Environment?.Variables?.CAPACITY_RULES === rules,
    );
    expect(withRules.length).toBeGreaterThanOrEqual(2);
    expect(() =>
      stageConfig((k) => (k === 'capacityRules' ? '{"defaults":{"maxNew":-1}}' : undefined)),
    ).toThrow(/capacityRules/);
  });

  it('refuses an unknown stage and a malformed org id', () => {
    expect(() => stageConfig((k) => (k === 'stage' ? 'qa' : undefined))).toThrow(/stage/);
    expect(() => stageConfig((k) => (k === 'salesforceOrgIds' ? 'not-an-org' : undefined))).toThrow(
      /salesforceOrgIds/,
    );
  });
});
