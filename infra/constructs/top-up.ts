import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { JOB_TIMEOUT_MINUTES } from '../../shared/runtime/job-timeouts.js';
import { ScheduledJob, type ScheduledJobProps } from './scheduled-job.js';

export interface TopUpProps extends ScheduledJobProps {
  /** IANA zone the business-hours cron is read in, e.g. `America/Toronto`. */
  timeZone: string;
  /** Incoming-webhook URL secret; without it run summaries go to the function's log. */
  slackWebhookUrl?: ISecret;
}

/**
 * The scheduled capacity top-up, invoked in business hours of the given zone. Reserved concurrency
 * 1 and the run lease in the table both keep runs from overlapping; a large run polls a Bulk API
 * job for up to 10 minutes and the lease (16 min) outlives the function's 15.
 */
export class TopUp extends ScheduledJob {
  constructor(scope: Construct, id: string, props: TopUpProps) {
    super(
      scope,
      id,
      {
        entryFile: 'top-up.ts',
        functionId: 'TopUpFunction',
        scheduleId: 'TopUpSchedule',
        description: 'Scheduled capacity top-up: refill reps from the unassigned lead pool',
        scheduleDescription: 'Capacity top-up in business hours',
        alarmName: 'TopUp',
        timeoutMinutes: JOB_TIMEOUT_MINUTES.topUp,
      },
      props,
    );
    if (props.slackWebhookUrl) this.jobFunction.bindSecret(props.slackWebhookUrl, 'SLACK_WEBHOOK_URL');
  }
}
