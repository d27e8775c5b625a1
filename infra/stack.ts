import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import { Intake } from './constructs/intake.js';
import { RoutingTable } from './constructs/table.js';

export interface TerritoryRouterStackProps extends StackProps {
  /** Accepted Salesforce org id(s), comma-separated. */
  salesforceOrgIds?: string;
}

/** One stack, one construct per capability. */
export class TerritoryRouterStack extends Stack {
  readonly routingTable: RoutingTable;
  readonly api: HttpApi;
  readonly intake: Intake;

  constructor(scope: Construct, id: string, props: TerritoryRouterStackProps = {}) {
    super(scope, id, props);
    this.routingTable = new RoutingTable(this, 'RoutingTable');
    this.api = new HttpApi(this, 'Api', {
      description: 'Territory Router: outbound messages, approvals, reassignment requests',
      corsPreflight: { allowMethods: [CorsHttpMethod.POST], allowOrigins: [] },
    });
    this.intake = new Intake(this, 'Intake', {
      table: this.routingTable.table,
      api: this.api,
      salesforceOrgIds:
        props.salesforceOrgIds ?? this.node.tryGetContext('salesforceOrgIds') ?? '00DTR0000000001',
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
  }
}
