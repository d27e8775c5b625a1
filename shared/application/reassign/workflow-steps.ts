import * as z from 'zod';
import { applyBatch, prepareApply, recordBatchFailure } from './apply.js';
import { notifyApprovers, registerApprovalTask } from './approvals.js';
import type { ReassignDeps } from './deps.js';
import { closeReassignment, finalizeReassignment } from './finalize.js';
import { validateReassignment } from './validate.js';

const id = z.string().min(1).max(100);
const stepError = z.object({ Error: z.string().optional(), Cause: z.string().optional() });

/**
 * The workflow's task payloads: each state invokes the workflow Lambda with one of these. The
 * CDK construct builds them from the same names, so the state machine and the code agree.
 */
export const workflowStepSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('validate'), requestId: id }),
  z.object({ step: z.literal('notify-approvers'), requestId: id }),
  z.object({ step: z.literal('register-approval'), approvalId: id, taskToken: z.string().min(1).max(4096) }),
  z.object({ step: z.literal('prepare-apply'), requestId: id }),
  z.object({ step: z.literal('apply-batch'), requestId: id, batchId: id }),
  z.object({ step: z.literal('record-batch-failure'), requestId: id, batchId: id, error: stepError }),
  z.object({ step: z.literal('finalize'), requestId: id }),
  z.object({ step: z.literal('close'), requestId: id, error: stepError }),
]);
export type WorkflowStep = z.output<typeof workflowStepSchema>;
export type WorkflowStepName = WorkflowStep['step'];

/** Run one step: one use case per step, the result becomes the state's output. */
export async function runWorkflowStep(input: unknown, deps: ReassignDeps): Promise<unknown> {
  const step = workflowStepSchema.parse(input);
  switch (step.step) {
    case 'validate':
      return validateReassignment(step.requestId, deps);
    case 'notify-approvers':
      return { requestId: step.requestId, ...(await notifyApprovers(step.requestId, deps)) };
    case 'register-approval':
      return registerApprovalTask(step.approvalId, step.taskToken, deps);
    case 'prepare-apply':
      return prepareApply(step.requestId, deps);
    case 'apply-batch':
      return applyBatch(step.requestId, step.batchId, deps);
    case 'record-batch-failure':
      return recordBatchFailure(step.requestId, step.batchId, step.error, deps);
    case 'finalize': {
      const { requestId, status, summary } = await finalizeReassignment(step.requestId, deps);
      // The state output stays small: counts only (the summary is stored with the request).
      return {
        requestId,
        status,
        applied: summary.applied,
        failed: summary.failed,
        skipped: summary.skipped,
      };
    }
    case 'close':
      return closeReassignment(step.requestId, step.error, deps);
  }
}
