import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Observability } from './observability.js';
import { RoutingFunction } from './routing-function.js';

export interface AccountSyncProps {
  table: ITableV2;
  /** The connected-app secret the intake construct owns (one secret per org). */
  salesforceCredentials: ISecret;
  /** EventBridge Scheduler expression for the incremental sync, e.g. `rate(15 minutes)`. */
  schedule: string;
  observability?: Observability;
}

/**
 * Keeps the lead-to-account index in step with Salesforce: an incremental sync on a schedule (a
 * first run, or `{"mode":"full"}`, loads every account). Reserved concurrency 1: two syncs at once
 * would only repeat each other's writes.
 */
export class AccountSync extends Construct {
  readonly syncFunction: RoutingFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: AccountSyncProps) {
    super(scope, id);
    this.syncFunction = new RoutingFunction(this, 'AccountSyncFunction', {
      entryFile: 'account-sync.ts',
      description: 'Account index sync: accounts changed or deleted in Salesforce since the last run',
      // A full load of a large org pages through every account; it resumes per page if cut short.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      reservedConcurrentExecutions: 1,
    })
      .bindTable(props.table, 'readWrite')
      .bindSecret(props.salesforceCredentials, 'SALESFORCE_CREDENTIALS');
    props.observability?.functionAlarms(this.syncFunction, 'AccountSync');
    this.schedule = this.syncFunction.invokeOnSchedule(this, 'AccountSyncSchedule', {
      description: 'Incremental account-index sync',
      expression: props.schedule,
    });
  }
}
