import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Observability } from './observability.js';
import { RoutingFunction } from './routing-function.js';

export interface ScheduledJobProps {
  table: ITableV2;
  /** The connected-app secret the intake construct owns (one secret per org); absent for jobs that never call Salesforce. */
  salesforceCredentials?: ISecret;
  /** EventBridge Scheduler expression, e.g. `cron(*\/15 8-17 ? * MON-FRI *)` or `rate(15 minutes)`. */
  schedule: string;
  /** IANA zone the cron is read in; UTC when absent. */
  timeZone?: string;
  /** Further configuration for the function. */
  environment?: Record<string, string>;
  /** Error and throttle alarms for the function. */
  observability?: Observability;
}

/** What each job says about itself. */
export interface ScheduledJobSpec {
  /** File in functions/, e.g. `top-up.ts`. */
  entryFile: string;
  /** Construct ids of the function and its schedule (kept stable: they name the deployed resources). */
  functionId: string;
  scheduleId: string;
  description: string;
  scheduleDescription: string;
  /** Prefix of the function's alarm names. */
  alarmName: string;
  /** The Lambda timeout (see JOB_TIMEOUT_MINUTES: the local stack gives the job the same deadline). */
  timeoutMinutes: number;
}

/**
 * A batch job against Salesforce on a schedule: one Lambda with its job's timeout, read-write on the table, the Salesforce secret by ARN, reserved concurrency 1 so runs never
 * overlap, alarms, and an EventBridge Scheduler schedule that does not retry a missed run.
 */
export class ScheduledJob extends Construct {
  readonly jobFunction: RoutingFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, spec: ScheduledJobSpec, props: ScheduledJobProps) {
    super(scope, id);
    this.jobFunction = new RoutingFunction(this, spec.functionId, {
      entryFile: spec.entryFile,
      description: spec.description,
      timeout: Duration.minutes(spec.timeoutMinutes),
      memorySize: 1024,
      reservedConcurrentExecutions: 1,
      ...(props.environment ? { environment: props.environment } : {}),
    }).bindTable(props.table, 'readWrite');
    if (props.salesforceCredentials)
      this.jobFunction.bindSecret(props.salesforceCredentials, 'SALESFORCE_CREDENTIALS');
    props.observability?.functionAlarms(this.jobFunction, spec.alarmName);
    this.schedule = this.jobFunction.invokeOnSchedule(this, spec.scheduleId, {
      description: spec.scheduleDescription,
      expression: props.schedule,
      ...(props.timeZone ? { timeZone: props.timeZone } : {}),
    });
  }
}
