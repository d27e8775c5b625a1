import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Observability } from './observability.js';
import { RoutingFunction } from './routing-function.js';

export interface TopUpProps {
  table: ITableV2;
  /** The connected-app secret the intake construct owns (one secret per org). */
  salesforceCredentials: ISecret;
  /** EventBridge Scheduler expression, e.g. `cron(*\/15 8-17 ? * MON-FRI *)`. */
  schedule: string;
  /** IANA zone the cron is read in, e.g. `America/Toronto`. */
  timeZone: string;
  /** Incoming-webhook URL secret; without it run summaries go to the function's log. */
  slackWebhookUrl?: ISecret;
  /** Further configuration (TOP_UP_*, capacity rules) for the function. */
  environment?: Record<string, string>;
  /** Error and throttle alarms for the function. */
  observability?: Observability;
}

/**
 * The scheduled capacity top-up: one Lambda with the run lease in the table and the Salesforce
 * secret, invoked by EventBridge Scheduler in business hours of the given zone. Reserved
 * concurrency 1 and the lease both keep runs from overlapping; a missed run is not retried (the
 * next one is minutes away).
 */
export class TopUp extends Construct {
  readonly topUpFunction: RoutingFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: TopUpProps) {
    super(scope, id);
    this.topUpFunction = new RoutingFunction(this, 'TopUpFunction', {
      entryFile: 'top-up.ts',
      description: 'Scheduled capacity top-up: refill reps from the unassigned lead pool',
      // A large run polls a Bulk API job for up to 10 minutes; the lease (16 min) outlives this.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      reservedConcurrentExecutions: 1,
      ...(props.environment ? { environment: props.environment } : {}),
    })
      .bindTable(props.table, 'readWrite')
      .bindSecret(props.salesforceCredentials, 'SALESFORCE_CREDENTIALS');
    if (props.slackWebhookUrl) this.topUpFunction.bindSecret(props.slackWebhookUrl, 'SLACK_WEBHOOK_URL');
    props.observability?.functionAlarms(this.topUpFunction, 'TopUp');

    this.schedule = this.topUpFunction.invokeOnSchedule(this, 'TopUpSchedule', {
      description: 'Capacity top-up in business hours',
      expression: props.schedule,
      timeZone: props.timeZone,
    });
  }
}
