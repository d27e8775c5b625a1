import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { JOB_TIMEOUT_MINUTES } from '../../shared/runtime/job-timeouts.js';
import { ScheduledJob, type ScheduledJobProps } from './scheduled-job.js';

export interface SlaSweepProps extends Omit<ScheduledJobProps, 'schedule' | 'timeZone'> {
  /** Incoming-webhook URL secret for warnings to owners; without it they go to the function's log. */
  slackWebhookUrl?: ISecret;
}

/**
 * The SLA sweep, every minute: checks due SLA clocks against Salesforce, warns, re-routes or
 * escalates breached leads. Two minutes of runtime (a run checks up to 50,000 clocks); one at a
 * time (reserved concurrency and the sweep's lease); a missed minute is not retried, the next one
 * takes the same clocks.
 */
export class SlaSweep extends ScheduledJob {
  constructor(scope: Construct, id: string, props: SlaSweepProps) {
    super(
      scope,
      id,
      {
        entryFile: 'sla-sweep.ts',
        functionId: 'SlaSweepFunction',
        scheduleId: 'SlaSweepSchedule',
        description: 'SLA sweep: warn, re-route or escalate leads nobody touched within their SLA',
        scheduleDescription: 'SLA sweep every minute',
        alarmName: 'SlaSweep',
        timeoutMinutes: JOB_TIMEOUT_MINUTES.slaSweep,
      },
      { ...props, schedule: 'rate(1 minute)' },
    );
    if (props.slackWebhookUrl) this.jobFunction.bindSecret(props.slackWebhookUrl, 'SLACK_WEBHOOK_URL');
  }
}
