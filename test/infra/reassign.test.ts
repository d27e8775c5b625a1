import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { REASSIGN_STATES } from '../../infra/constructs/reassign.js';
import { SYNTH_TIMEOUT_MS, synthesize } from '../support/synth.js';

interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  HeartbeatSeconds?: number;
  MaxConcurrency?: number;
  Retry?: Array<{ ErrorEquals: string[]; MaxAttempts?: number; IntervalSeconds?: number }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
  Parameters?: { Payload?: Record<string, unknown> };
  ItemProcessor?: { States: Record<string, AslState> };
  TimestampPath?: string;
}

let template: Template;
let states: Record<string, AslState>;

beforeAll(() => {
  template = synthesize().template;
  const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
  const parts = machine?.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  const json = parts.map((p) => (typeof p === 'string' ? p : 'REF')).join('');
  states = JSON.parse(json).States;
}, SYNTH_TIMEOUT_MS);

const nested = (map: string, state: string) => states[map]?.ItemProcessor?.States[state];

describe('the bulk-reassign state machine', () => {
  it('is a Standard workflow with full logging (no execution data) and tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });

  it('waits for each approval with .waitForTaskToken, a 72-hour timeout and a heartbeat', () => {
    const approval = nested(REASSIGN_STATES.approvals, REASSIGN_STATES.awaitApproval);
    expect(approval?.Resource).toMatch(/:states:::lambda:invoke\.waitForTaskToken$/);
    expect(approval?.TimeoutSeconds).toBe(72 * 3600);
    expect(approval?.HeartbeatSeconds).toBe(2 * 3600);
    // The token goes to the Lambda that stores it; nothing else carries it.
    expect(approval?.Parameters?.Payload).toMatchObject({
      'taskToken.$': '$$.Task.Token',
      step: 'register-approval',
    });
  });

  it('closes the request on a rejection, a timeout or a lost heartbeat', () => {
    expect(states[REASSIGN_STATES.approvals]?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: REASSIGN_STATES.close },
    ]);
    expect(states[REASSIGN_STATES.close]?.Parameters?.Payload).toMatchObject({
      step: 'close',
      'error.$': '$.error',
    });
  });

  it('waits until the effective date before applying', () => {
    expect(states[REASSIGN_STATES.waitForEffectiveDate]).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.applyAt',
    });
  });

  it('applies batches in a Map with bounded concurrency', () => {
    expect(states[REASSIGN_STATES.applyBatches]).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 4,
      ItemsPath: '$.batchIds',
    });
  });

  it('retries a batch on retryable Salesforce errors with backoff and records it when retries run out', () => {
    const apply = nested(REASSIGN_STATES.applyBatches, REASSIGN_STATES.applyBatch);
    const salesforce = apply?.Retry?.find((r) => r.ErrorEquals.includes('SalesforceRetryableError'));
    expect(salesforce).toMatchObject({
      ErrorEquals: expect.arrayContaining([
        'SalesforceRateLimitedError',
        'SalesforceLockedError',
        'SalesforceUnavailableError',
      ]),
      IntervalSeconds: 30,
      BackoffRate: 2,
      MaxAttempts: 6,
      JitterStrategy: 'FULL',
    });
    expect(apply?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: REASSIGN_STATES.recordBatchFailure },
    ]);
  });

  it('skips approvals when none is needed and goes straight to finalize when nothing can apply', () => {
    expect(states[REASSIGN_STATES.approvalNeeded]).toMatchObject({
      Type: 'Choice',
      Choices: [
        { Variable: '$.status', StringEquals: 'nothing-to-apply', Next: REASSIGN_STATES.finalize },
        { Variable: '$.approvalNeeded', BooleanEquals: true, Next: REASSIGN_STATES.notifyApprovers },
      ],
      Default: REASSIGN_STATES.waitForEffectiveDate,
    });
  });
});

describe('bulk-reassign routes and functions', () => {
  const routeKeys = () =>
    Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => ({
      key: r.Properties.RouteKey as string,
      auth: r.Properties.AuthorizationType as string | undefined,
    }));

  it('requires IAM authorization to submit or read reassignments', () => {
    for (const key of ['POST /reassignments', 'GET /reassignments/{id}']) {
      expect(routeKeys()).toContainEqual({ key, auth: 'AWS_IAM' });
    }
  });

  it('serves approval links and Slack interactions, which authenticate in the handler', () => {
    const keys = routeKeys().map((r) => r.key);
    expect(keys).toEqual(
      expect.arrayContaining(['GET /approvals/{id}', 'POST /approvals/{id}', 'POST /slack/interactions']),
    );
  });

  it('lets only the request function start executions and keeps secrets out of the template', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('states:StartExecution');
    expect(policies).toContain('states:SendTaskSuccess');
    const env = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (f) => (f.Properties.Environment?.Variables ?? {}) as Record<string, unknown>,
    );
    const workflow = env.find((e) => 'APPROVAL_SIGNING_SECRET_ARN' in e && 'SALESFORCE_CREDENTIALS_ARN' in e);
    expect(workflow).toBeDefined();
    expect(env.some((e) => 'APPROVAL_SIGNING_SECRET' in e || 'SLACK_SIGNING_SECRET' in e)).toBe(false);
  });

  it('beats the approval tasks on a schedule', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(30 minutes)' });
  });
});
