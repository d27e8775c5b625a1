import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import { parseConfigVariables } from '../shared/runtime/config.js';
import { routingEnvironment, type StageConfig, stageConfig } from './config.js';
import { AccountSync } from './constructs/account-sync.js';
import { RoutingApi } from './constructs/api.js';
import { Intake } from './constructs/intake.js';
import { Observability } from './constructs/observability.js';
import { Reassign, type ReassignProps } from './constructs/reassign.js';
import { ReleaseHeldLeads } from './constructs/release-held-leads.js';
import { externallyRotatedSecret } from './constructs/secret.js';
import { SlaSweep } from './constructs/sla-sweep.js';
import { RoutingTable } from './constructs/table.js';
import { TopUp } from './constructs/top-up.js';

export interface TerritoryRouterStackProps extends StackProps {
  /** Validated stage settings; read from CDK context when omitted. */
  config?: StageConfig;
  /** Bulk-reassign workflow settings (approval timeout, heartbeat, apply concurrency); defaults otherwise. */
  reassign?: Pick<ReassignProps, 'approvalTimeout' | 'approvalHeartbeat' | 'applyConcurrency'>;
}

/** One stack, one construct per capability. */
export class TerritoryRouterStack extends Stack {
  readonly config: StageConfig;
  readonly routingTable: RoutingTable;
  readonly observability: Observability;
  readonly api: HttpApi;
  readonly intake: Intake;
  readonly topUp: TopUp;
  readonly reassign: Reassign;
  readonly accountSync: AccountSync;
  readonly releaseHeldLeads: ReleaseHeldLeads;
  readonly slaSweep: SlaSweep;

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
      routingEnvironment: routingEnvironment(this.config),
    });
    // Schedule and zone from context (-c topUpSchedule=… -c topUpTimeZone=…), validated and
    // defaulted by the runtime config schema (TOP_UP_SCHEDULE, TOP_UP_TIME_ZONE).
    const topUpConfig = parseConfigVariables(['TOP_UP_SCHEDULE', 'TOP_UP_TIME_ZONE'], {
      TOP_UP_SCHEDULE: this.node.tryGetContext('topUpSchedule'),
      TOP_UP_TIME_ZONE: this.node.tryGetContext('topUpTimeZone'),
    });
    // Summaries go to Slack once an incoming-webhook URL is stored here; until then (a generated
    // placeholder, not an https URL) they go to the logs.
    const slackWebhookUrl = externallyRotatedSecret(this, 'SlackWebhookUrl', {
      description: 'Slack incoming webhook URL for run summaries (https://hooks.slack.com/…)',
      rotation: 'A Slack webhook URL is rotated in Slack, then stored here; it cannot rotate itself.',
    });
    this.topUp = new TopUp(this, 'TopUp', {
      slackWebhookUrl,
      table: this.routingTable.table,
      salesforceCredentials: this.intake.salesforceCredentials,
      schedule: topUpConfig.TOP_UP_SCHEDULE,
      timeZone: topUpConfig.TOP_UP_TIME_ZONE,
      observability: this.observability,
      environment: routingEnvironment(this.config),
    });
    this.reassign = new Reassign(this, 'Reassign', {
      table: this.routingTable.table,
      api: this.api,
      salesforceCredentials: this.intake.salesforceCredentials,
      observability: this.observability,
      slackChannel: this.node.tryGetContext('slackChannel'),
      ...props.reassign,
    });
    this.accountSync = new AccountSync(this, 'AccountSync', {
      table: this.routingTable.table,
      salesforceCredentials: this.intake.salesforceCredentials,
      // -c accountSyncSchedule='rate(1 hour)', validated by the runtime config schema (ACCOUNT_SYNC_SCHEDULE).
      schedule: parseConfigVariables(['ACCOUNT_SYNC_SCHEDULE'], {
        ACCOUNT_SYNC_SCHEDULE: this.node.tryGetContext('accountSyncSchedule'),
      }).ACCOUNT_SYNC_SCHEDULE,
      observability: this.observability,
    });
    this.releaseHeldLeads = new ReleaseHeldLeads(this, 'ReleaseHeldLeads', {
      table: this.routingTable.table,
      observability: this.observability,
      environment: routingEnvironment(this.config),
    });
    this.slaSweep = new SlaSweep(this, 'SlaSweep', {
      slackWebhookUrl,
      table: this.routingTable.table,
      salesforceCredentials: this.intake.salesforceCredentials,
      observability: this.observability,
      environment: routingEnvironment(this.config),
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
  }
}
