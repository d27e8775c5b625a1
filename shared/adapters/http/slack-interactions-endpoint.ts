import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type DecisionResult, decideApproval } from '../../application/reassign/approvals.js';
import type { ReassignDeps } from '../../application/reassign/deps.js';
import { logger } from '../../runtime/logger.js';
import { SLACK_ACTIONS } from '../slack/reassign-notifier.js';
import { verifySlackSignature } from '../slack/signature.js';
import { eventBody, httpResponse } from './body.js';

const MAX_BODY_BYTES = 64 * 1024;
/** A Slack decision's nonce only needs to outlive the replay window; kept a day. */
const NONCE_TTL_SECONDS = 24 * 3600;

interface BlockActionsPayload {
  type?: string;
  user?: { id?: string };
  trigger_id?: string;
  response_url?: string;
  actions?: Array<{ action_id?: string; value?: string; action_ts?: string }>;
}

const text = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 =>
  httpResponse(statusCode, 'text/plain', body);

/**
 * `POST /slack/interactions`: Slack's `block_actions` from the Approve / Reject buttons, a second
 * path to the same decision as the approval link. The request is verified with the signing
 * secret over the raw body (5-minute window, constant-time compare); the clicking Slack user must
 * be a listed approver. Slack wants an answer within 3 seconds; the outcome goes to `response_url`.
 */
export function slackInteractionsEndpoint(
  deps: Pick<ReassignDeps, 'approvals' | 'store' | 'tokens' | 'now'>,
  fetchFn: typeof fetch = fetch,
) {
  return async (
    event: APIGatewayProxyEventV2,
    signingSecret: string,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const read = eventBody(event, MAX_BODY_BYTES);
    if (!read.ok) return text(413, 'too large');
    const body = read.text;
    const check = verifySlackSignature({
      signingSecret,
      timestamp: event.headers?.['x-slack-request-timestamp'],
      signature: event.headers?.['x-slack-signature'],
      rawBody: body,
      now: deps.now(),
    });
    if (!check.ok) {
      logger.warn('slack interaction refused', { reason: check.reason });
      return text(401, 'invalid signature');
    }
    let payload: BlockActionsPayload;
    try {
      payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '');
    } catch {
      return text(400, 'no payload');
    }
    if (payload.type !== 'block_actions') return text(200, '');
    const action = payload.actions?.find(
      (a) => a.action_id === SLACK_ACTIONS.approve || a.action_id === SLACK_ACTIONS.reject,
    );
    if (!action?.value || !payload.user?.id) return text(200, '');

    const approvalId = action.value;
    const approval = await deps.approvals.get(approvalId);
    const approver = approval?.approvers.find((a) => a.slackUserId === payload.user?.id);
    const result: DecisionResult = !approval
      ? { kind: 'unknown-approval' }
      : !approver
        ? { kind: 'wrong-approver' }
        : await decideApproval(
            {
              approvalId,
              approverId: approver.id,
              nonce: `slack-${payload.trigger_id ?? action.action_ts ?? deps.now().getTime()}`,
              expiresAt: Math.floor(deps.now().getTime() / 1000) + NONCE_TTL_SECONDS,
            },
            {
              decision: action.action_id === SLACK_ACTIONS.approve ? 'approve' : 'reject',
              comment: '',
              via: 'slack',
            },
            deps,
          );
    logger.info('slack approval decision', { approvalId, outcome: result.kind });
    if (payload.response_url?.startsWith('https://hooks.slack.com/')) {
      await fetchFn(payload.response_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: sentence(result) }),
        signal: AbortSignal.timeout(2000),
      }).catch(() => undefined);
    }
    return text(200, '');
  };
}

function sentence(result: DecisionResult): string {
  switch (result.kind) {
    case 'decided':
      return `Recorded: ${result.approval.status} by ${result.approval.decided?.approverName ?? 'you'}.`;
    case 'wrong-approver':
      return 'You are not a listed approver for this request; nothing changed.';
    case 'not-pending':
      return `This approval is already ${result.approval.status}; nothing changed.`;
    case 'token-used':
      return 'This click was already recorded.';
    case 'unknown-approval':
      return 'There is no such approval.';
  }
}
