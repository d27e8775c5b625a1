/**
 * How long each background job may run: its Lambda timeout in the CDK stack, and its deadline when
 * the local stack runs it on a timer, so a job that fits in one fits in the other.
 */
export const JOB_TIMEOUT_MINUTES = {
  writeBack: 5,
  // Room to poll a Bulk API job.
  topUp: 15,
  accountSync: 15,
  // Every-minute jobs end before the next run is due.
  releaseHeldLeads: 1,
  slaSweep: 2,
} as const;
