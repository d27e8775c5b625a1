import type { Approval, ApprovalDecision } from '../../domain/reassign/model.js';
import type { StoredReassignment, TaskTokens } from '../../ports/reassignment.js';
import type { ReassignDeps } from './deps.js';
import { ReassignmentNotFoundError, WORKFLOW_ERRORS } from './errors.js';

/** Post the request's summary with one link per approver (unfurling off; links open a page, never decide). */
export async function notifyApprovers(
  requestId: string,
  deps: Pick<ReassignDeps, 'store' | 'approvals' | 'notifier' | 'approvalLinks'>,
): Promise<{ approvals: number; links: number }> {
  const request = await deps.store.get(requestId);
  if (!request) throw new ReassignmentNotFoundError(requestId);
  const approvals = await deps.approvals.getMany(request.approvalIds ?? []);
  const withLinks = approvals.map((approval) => ({
    approval,
    links: approval.approvers.map((approver) => ({
      approver,
      url: deps.approvalLinks(approval.approvalId, approver),
    })),
  }));
  await deps.notifier.approvalsRequested(request, withLinks);
  return { approvals: approvals.length, links: withLinks.reduce((n, a) => n + a.links.length, 0) };
}

/**
 * The `.waitForTaskToken` task's Lambda: keep the token server-side under the approval's opaque
 * id. A decision that arrived first (the link was clicked within milliseconds) is delivered now.
 */
export async function registerApprovalTask(
  approvalId: string,
  taskToken: string,
  deps: Pick<ReassignDeps, 'approvals' | 'tokens'>,
): Promise<{ approvalId: string; status: Approval['status'] }> {
  const { approval } = await deps.approvals.attachToken(approvalId, taskToken);
  if (approval.status !== 'pending') await deliverDecision(approval, taskToken, deps.tokens);
  return { approvalId, status: approval.status };
}

/** A verified approval-link claim: the token's signature and expiry were checked by the caller. */
export interface ApprovalClaim {
  approvalId: string;
  approverId: string;
  nonce: string;
  expiresAt: number;
}

export type DecisionResult =
  | { kind: 'decided'; approval: Approval; request: StoredReassignment | undefined }
  | { kind: 'unknown-approval' }
  | { kind: 'wrong-approver' }
  | { kind: 'token-used' }
  | { kind: 'not-pending'; approval: Approval };

/**
 * Decide an approval (from the link's POST or a Slack button): only a listed approver, only
 * while pending, only once per token. Then, and only then, the waiting task hears about it.
 */
export async function decideApproval(
  claim: ApprovalClaim,
  input: { decision: 'approve' | 'reject'; comment: string; via: ApprovalDecision['via'] },
  deps: Pick<ReassignDeps, 'approvals' | 'store' | 'tokens' | 'now'>,
): Promise<DecisionResult> {
  const approval = await deps.approvals.get(claim.approvalId);
  if (!approval) return { kind: 'unknown-approval' };
  const approver = approval.approvers.find((a) => a.id === claim.approverId);
  if (!approver) return { kind: 'wrong-approver' };
  if (approval.status !== 'pending') return { kind: 'not-pending', approval };

  const now = deps.now();
  const outcome = await deps.approvals.decide(
    claim.approvalId,
    {
      decision: input.decision,
      approverId: approver.id,
      approverName: approver.name,
      comment: input.comment.slice(0, 1000),
      at: now.toISOString(),
      via: input.via,
    },
    claim.nonce,
    claim.expiresAt,
  );
  if (outcome.kind !== 'decided') return outcome;
  if (outcome.taskToken) await deliverDecision(outcome.approval, outcome.taskToken, deps.tokens);

  const request = await deps.store.get(outcome.approval.requestId);
  const scheduled =
    request && input.decision === 'approve' ? await markScheduledWhenAllApproved(request, deps) : false;
  return {
    kind: 'decided',
    approval: outcome.approval,
    request: request && scheduled ? { ...request, status: 'scheduled' } : request,
  };
}

/** Heartbeats for every waiting approval task; a lost token then fails its task within the heartbeat. */
export async function heartbeatApprovals(
  deps: Pick<ReassignDeps, 'approvals' | 'tokens'>,
): Promise<{ sent: number; gone: number }> {
  let sent = 0;
  let gone = 0;
  for (const { taskToken } of await deps.approvals.waiting(500)) {
    if (await deps.tokens.heartbeat(taskToken)) sent += 1;
    else gone += 1;
  }
  return { sent, gone };
}

/** The approvers named on a request's approvals, as the reason text names them. */
export function approverNames(approvals: readonly Approval[]): string[] {
  return approvals
    .filter((a) => a.status === 'approved' && a.decided)
    .map((a) =>
      a.role === 'deal-owner' ? `${a.decided!.approverName} (deal owner)` : a.decided!.approverName,
    );
}

async function deliverDecision(approval: Approval, taskToken: string, tokens: TaskTokens): Promise<void> {
  const decided = approval.decided;
  if (approval.status === 'approved' && decided) {
    await tokens.succeed(taskToken, {
      approvalId: approval.approvalId,
      role: approval.role,
      decision: 'approve',
      approver: decided.approverName,
      comment: decided.comment,
    });
  } else if (approval.status === 'rejected' && decided) {
    await tokens.fail(
      taskToken,
      WORKFLOW_ERRORS.rejected,
      `${approval.role} approval rejected by ${decided.approverName}${decided.comment ? `: ${decided.comment}` : ''}`,
    );
  } else if (approval.status === 'closed') {
    await tokens.fail(taskToken, WORKFLOW_ERRORS.approvalClosed, 'the request was closed');
  }
}

async function markScheduledWhenAllApproved(
  request: StoredReassignment,
  deps: Pick<ReassignDeps, 'approvals' | 'store' | 'now'>,
): Promise<boolean> {
  if (request.status !== 'awaiting-approval') return false;
  const approvals = await deps.approvals.getMany(request.approvalIds ?? []);
  if (approvals.length === 0 || approvals.some((a) => a.status !== 'approved')) return false;
  await deps.store.setStatus(request.id, 'scheduled', deps.now().toISOString(), {
    approvedBy: approverNames(approvals),
  });
  return true;
}
