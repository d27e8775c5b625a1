import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TerritoryRouterStack } from '../../infra/stack.js';

let template: Template;

beforeAll(() => {
  const app = new App();
  template = Template.fromStack(new TerritoryRouterStack(app, 'Test'));
});

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
