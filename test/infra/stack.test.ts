import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYNTH_TIMEOUT_MS, synthesize } from '../support/synth.js';

let template: Template;

beforeAll(() => {
  template = synthesize().template;
}, SYNTH_TIMEOUT_MS);

describe('the routing table', () => {
  it('is one on-demand table keyed PK/SK with GSI1, PITR, deletion protection and a stream', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'GSI1' })],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    });
  });

  it('is retained when the stack is deleted', () => {
    const tables = template.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.values(tables).map((t) => t.DeletionPolicy)).toEqual(['Retain']);
  });
});

describe('lead intake', () => {
  it('routes every method and path under /salesforce/outbound/ to the intake Lambda, which answers each with SOAP', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'ANY /salesforce/outbound/{secret+}',
    });
    const outbound = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((r) =>
      String(r.Properties.RouteKey).includes('/salesforce/outbound/'),
    );
    expect(outbound).toHaveLength(1);
  });

  it('runs every Lambda on Node.js 22 arm64 with JSON logs and tracing', () => {
    // Ours are the functions carrying the Powertools service name; CDK's own providers are not.
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'territory-router',
    );
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const f of functions) {
      expect(f.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
    }
  });

  it('gives functions secret ARNs, never secret values', () => {
    const intake = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Description === 'Salesforce Outbound Messages → durable lead assignments',
    );
    const env = intake?.Properties.Environment.Variables as Record<string, unknown>;
    expect(env.OUTBOUND_SECRET_ARN).toBeDefined();
    expect(env.OUTBOUND_SECRET).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain('"SecretString"');
  });

  it('wakes the write-back only for new outbox items, with a DLQ for failed batches', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 200,
      MaximumBatchingWindowInSeconds: 5,
      BisectBatchOnFunctionError: true,
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: {
                Keys: { PK: { S: [{ prefix: 'OUTBOX#' }] } },
                NewImage: { status: { S: ['pending'] } },
              },
            }),
          },
        ],
      },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('sweeps due outbox items on a schedule', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(5 minutes)' });
  });
});
