import type { Construct } from 'constructs';
import { JOB_TIMEOUT_MINUTES } from '../../shared/runtime/job-timeouts.js';
import { ScheduledJob, type ScheduledJobProps } from './scheduled-job.js';

/**
 * Every minute, leads held because nobody of their territory was on shift are assigned once a rep
 * is (oldest first, by the territory's method); owners reach Salesforce through the outbox, so the
 * job needs the table only, never the Salesforce secret.
 */
export class ReleaseHeldLeads extends ScheduledJob {
  constructor(
    scope: Construct,
    id: string,
    props: Omit<ScheduledJobProps, 'timeZone' | 'salesforceCredentials' | 'schedule'> & { schedule?: string },
  ) {
    super(
      scope,
      id,
      {
        entryFile: 'release-held-leads.ts',
        functionId: 'ReleaseHeldLeadsFunction',
        scheduleId: 'ReleaseHeldLeadsSchedule',
        description: 'Held leads: assigned once a rep of their territory is on shift, oldest first',
        scheduleDescription: 'Release held leads every minute',
        alarmName: 'ReleaseHeldLeads',
        timeoutMinutes: JOB_TIMEOUT_MINUTES.releaseHeldLeads,
      },
      { ...props, schedule: props.schedule ?? 'rate(1 minute)' },
    );
  }
}
