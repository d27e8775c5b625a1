import { summarize } from '../../domain/reassign/apply-plan.js';
import type { ReassignmentStatus, ReassignmentSummary, UserSnapshot } from '../../domain/reassign/model.js';
import type { ReassignDeps } from './deps.js';
import { ReassignmentNotFoundError, WORKFLOW_ERRORS } from './errors.js';

/** The last step: account for every move, store the summary and post it to Slack. */
export async function finalizeReassignment(
  requestId: string,
  deps: Pick<ReassignDeps, 'store' | 'notifier' | 'now'>,
): Promise<{ requestId: string; status: ReassignmentStatus; summary: ReassignmentSummary }> {
  const request = await deps.store.get(requestId);
  if (!request) throw new ReassignmentNotFoundError(requestId);
  if (request.summary && isFinal(request.status))
    return { requestId, status: request.status, summary: request.summary };

  const evaluated = await deps.store.evaluatedMoves(requestId);
  const settled = request.plan ? await deps.store.applyMoves(requestId) : [];
  const users = new Map<string, UserSnapshot>(
    (request.report?.reps ?? []).map((r) => [r.repId, { id: r.repId, name: r.repName, active: true }]),
  );
  const summary = summarize(evaluated, settled, request.approvedBy ?? [], users);
  const status: ReassignmentStatus =
    settled.length === 0 && summary.applied === 0
      ? 'nothing-to-apply'
      : summary.failed > 0
        ? 'completed-with-failures'
        : 'completed';
  await deps.store.complete(requestId, status, summary, deps.now().toISOString());
  await deps.notifier.completed({ ...request, status, summary }, summary);
  return { requestId, status, summary };
}

/**
 * Rejected or expired: close the request and every approval still pending (their links then
 * say so), and tell the channel why.
 */
export async function closeReassignment(
  requestId: string,
  error: { Error?: string; Cause?: string },
  deps: Pick<ReassignDeps, 'store' | 'approvals' | 'notifier' | 'now'>,
): Promise<{ requestId: string; status: ReassignmentStatus; because: string }> {
  const request = await deps.store.get(requestId);
  if (!request) throw new ReassignmentNotFoundError(requestId);
  if (request.status === 'rejected' || request.status === 'expired') {
    return { requestId, status: request.status, because: request.closedBecause ?? '' };
  }
  const rejected = error.Error === WORKFLOW_ERRORS.rejected;
  const status: ReassignmentStatus = rejected ? 'rejected' : 'expired';
  const because = rejected
    ? String(error.Cause ?? 'an approver rejected the request')
    : error.Error === 'States.HeartbeatTimeout'
      ? 'an approval task lost its heartbeat'
      : error.Error === 'States.Timeout'
        ? 'no decision before the approval timeout'
        : `the approval step failed (${error.Error ?? 'unknown error'})`;
  const at = deps.now().toISOString();
  await deps.approvals.closePending(request.approvalIds ?? [], at);
  await deps.store.setStatus(requestId, status, at, { closedBecause: because });
  await deps.notifier.closed({ ...request, status, closedBecause: because }, because);
  return { requestId, status, because };
}

function isFinal(status: ReassignmentStatus): boolean {
  return status === 'completed' || status === 'completed-with-failures' || status === 'nothing-to-apply';
}
