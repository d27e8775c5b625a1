import type { Construct } from 'constructs';
import { JOB_TIMEOUT_MINUTES } from '../../shared/runtime/job-timeouts.js';
import { ScheduledJob, type ScheduledJobProps } from './scheduled-job.js';

/**
 * Keeps the lead-to-account index in step with Salesforce: an incremental sync on a schedule (a
 * first run, or `{"mode":"full"}`, loads every account; a large org's full load pages through a
 * Bulk API query job and starts again if cut short).
 */
export class AccountSync extends ScheduledJob {
  constructor(scope: Construct, id: string, props: Omit<ScheduledJobProps, 'timeZone' | 'environment'>) {
    super(
      scope,
      id,
      {
        entryFile: 'account-sync.ts',
        functionId: 'AccountSyncFunction',
        scheduleId: 'AccountSyncSchedule',
        description: 'Account index sync: accounts changed or deleted in Salesforce since the last run',
        scheduleDescription: 'Incremental account-index sync',
        alarmName: 'AccountSync',
        timeoutMinutes: JOB_TIMEOUT_MINUTES.accountSync,
      },
      props,
    );
  }
}
