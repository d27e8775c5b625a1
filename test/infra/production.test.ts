import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { StageConfigError, stageConfig } from '../../infra/config.js';
import { SYNTH_TIMEOUT_MS, type Synthesized, synthesize } from '../support/synth.js';

interface CfnFunction {
  Type: string;
  Properties: { Environment?: { Variables?: Record<string, string> }; Code: { S3Key: string } };
}

const CAPACITY_RULES = JSON.stringify({ defaults: { maxNew: 30 } });

let defaults: Synthesized;
let again: Synthesized;
/** One production-like stage carrying every context key the tests below look for. */
let configured: Template;

// One synth per hook, so each gets the whole timeout on a busy machine.
beforeAll(() => {
  defaults = synthesize({}, { stackId: 'TerritoryRouter', nag: true });
}, SYNTH_TIMEOUT_MS);
beforeAll(() => {
  again = synthesize({}, { stackId: 'TerritoryRouter', nag: true });
}, SYNTH_TIMEOUT_MS);
beforeAll(() => {
  configured = synthesize(
    {
      stage: 'prod',
      salesforceOrgIds: '00D5e000000AbCd',
      intakeQueueIds: '00G5e000000AbCd',
      integrationUserIds: '0055e000000AbCd',
      routingReasonField: 'Lead_Routing_Note__c',
      alarmEmail: 'ops@example.com',
      capacityRules: CAPACITY_RULES,
    },
    { stackId: 'TerritoryRouter' },
  ).template;
}, SYNTH_TIMEOUT_MS);

describe('the production stack', () => {
  it('passes the cdk-nag AWS Solutions checks', () => {
    expect(() => defaults.app.synth()).not.toThrow();
  });

  it('synthesizes identical templates twice', () => {
    expect(JSON.stringify(defaults.template.toJSON())).toBe(JSON.stringify(again.template.toJSON()));
  });

  it('throttles the API and logs routes, never raw paths or bodies', () => {
    const stage = Object.values(configured.findResources('AWS::ApiGatewayV2::Stage'))[0];
    expect(stage?.Properties.DefaultRouteSettings).toEqual({
      ThrottlingBurstLimit: 200,
      ThrottlingRateLimit: 100,
    });
    const format = String(stage?.Properties.AccessLogSettings.Format);
    expect(format).toContain('$context.routeKey');
    expect(format).not.toMatch(/\$context\.path|\$request\.body|\$context\.requestOverride/);
  });

  it('raises alarms on errors, throttles, the DLQ, outbox age and failed writes, to one topic', () => {
    const alarms = Object.values(configured.findResources('AWS::CloudWatch::Alarm'));
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
    configured.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});

describe('least privilege', () => {
  const policies = () => Object.values(defaults.template.findResources('AWS::IAM::Policy'));
  const statements = () =>
    policies().flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
  const actions = (st: Record<string, unknown>) => [st.Action].flat() as string[];

  it('grants no wildcard actions', () => {
    expect(statements().length).toBeGreaterThan(10);
    for (const st of statements()) {
      for (const action of actions(st)) {
        expect(action).not.toBe('*');
        expect(action).not.toMatch(/^(dynamodb|secretsmanager|sqs|states|lambda):\*$/);
      }
    }
  });

  it('lets each function read only its own secret', () => {
    const secretReaders = (secretPrefix: string) =>
      policies()
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

// The one synth that bundles every function for real (esbuild + each bundle's node_modules): minutes on a busy machine.
const CLI_SYNTH_TIMEOUT_MS = 900_000;

describe('cdk synth', () => {
  it(
    'synthesizes offline through the pinned CDK CLI, with a bundle for every function',
    () => {
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
          timeout: CLI_SYNTH_TIMEOUT_MS - 30_000,
        });
        expect(readdirSync(out)).toContain('TerritoryRouter.template.json');
        const template = JSON.parse(readFileSync(join(out, 'TerritoryRouter.template.json'), 'utf8'));
        const ours = Object.values(template.Resources as Record<string, CfnFunction>).filter(
          (r) =>
            r.Type === 'AWS::Lambda::Function' &&
            r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'territory-router',
        );
        expect(ours.length).toBeGreaterThanOrEqual(8);
        for (const fn of ours) {
          const assetHash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
          expect(existsSync(join(out, `asset.${assetHash}`, 'index.mjs'))).toBe(true);
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    CLI_SYNTH_TIMEOUT_MS,
  );
});

describe('stage configuration', () => {
  it('defaults to dev with the emulator org', () => {
    expect(stageConfig(() => undefined)).toMatchObject({ stage: 'dev', salesforceOrgIds: '00DTR0000000001' });
  });

  it("gives intake, write-back, top-up and the SLA sweep the org's intake queues and reason field", () => {
    const routing = Object.values(configured.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Environment?.Variables?.INTAKE_QUEUE_IDS === '00G5e000000AbCd',
    );
    const descriptions = routing.map((f) => String(f.Properties.Description));
    expect(descriptions).toEqual(
      expect.arrayContaining([
        'Owners and routing reasons to Salesforce from the outbox',
        'Salesforce Outbound Messages → durable lead assignments',
        expect.stringMatching(/top-up|Top-up|pool/i),
        expect.stringMatching(/^SLA sweep/),
      ]),
    );
    for (const f of routing)
      expect(f.Properties.Environment.Variables.ROUTING_REASON_FIELD).toBe('Lead_Routing_Note__c');
  });

  it('requires the intake queue in prod', () => {
    const prod = (k: string) => ({ stage: 'prod', salesforceOrgIds: '00D5e000000AbCd' })[k];
    expect(() => stageConfig(prod)).toThrow(/intakeQueueIds/);
    const named: Record<string, string> = {
      intakeQueueIds: '00G5e000000AbCd',
      integrationUserIds: '0055e000000AbCd',
    };
    expect(stageConfig((k) => prod(k) ?? named[k]).stage).toBe('prod');
  });

  it('requires the integration user in prod', () => {
    const prod = (k: string) =>
      ({ stage: 'prod', salesforceOrgIds: '00D5e000000AbCd', intakeQueueIds: '00G5e000000AbCd' })[k];
    expect(() => stageConfig(prod)).toThrow(/integrationUserIds/);
  });

  it('requires the org id in prod and names the context key', () => {
    expect(() => stageConfig((k) => (k === 'stage' ? 'prod' : undefined))).toThrow(StageConfigError);
    expect(() => stageConfig((k) => (k === 'stage' ? 'prod' : undefined))).toThrow(/salesforceOrgIds/);
  });

  it('passes validated capacity rules to intake and top-up, and refuses malformed ones', () => {
    const withRules = Object.values(configured.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Environment?.Variables?.CAPACITY_RULES === CAPACITY_RULES,
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
