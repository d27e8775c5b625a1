import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import { type StageConfig, stageConfig } from './config.js';
import { RoutingApi } from './constructs/api.js';
import { Intake } from './constructs/intake.js';
import { Observability } from './constructs/observability.js';
import { RoutingTable } from './constructs/table.js';

export interface TerritoryRouterStackProps extends StackProps {
  /** Validated stage settings; read from CDK context when omitted. */
  config?: StageConfig;
}

/** One stack, one construct per capability. */
export class TerritoryRouterStack extends Stack {
  readonly config: StageConfig;
  readonly routingTable: RoutingTable;
  readonly observability: Observability;
  readonly api: HttpApi;
  readonly intake: Intake;

  constructor(scope: Construct, id: string, props: TerritoryRouterStackProps = {}) {
    super(scope, id, props);
    this.config = props.config ?? stageConfig((key) => this.node.tryGetContext(key));
    this.routingTable = new RoutingTable(this, 'RoutingTable');
    this.observability = new Observability(this, 'Observability', { alarmEmail: this.config.alarmEmail });
    this.api = new RoutingApi(this, 'Api', {
      rateLimit: this.config.apiRateLimit,
      burstLimit: this.config.apiBurstLimit,
    }).httpApi;
    this.intake = new Intake(this, 'Intake', {
      table: this.routingTable.table,
      api: this.api,
      salesforceOrgIds: this.config.salesforceOrgIds,
      observability: this.observability,
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
  }
}
