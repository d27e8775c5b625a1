import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type DecisionResult, decideApproval } from '../../application/reassign/approvals.js';
import type { ReassignDeps } from '../../application/reassign/deps.js';
import { logger } from '../../runtime/logger.js';
import { type TokenCheck, verifyApprovalToken } from './approval-link-token.js';
import { approvalPageHtml, messagePageHtml } from './approval-page.js';
import { eventBody, httpResponse } from './body.js';

const MAX_FORM_BYTES = 8 * 1024;

const html = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 =>
  httpResponse(statusCode, 'text/html', body, {
    'cache-control': 'no-store',
    // The token is in the URL: don't hand it to any other site.
    'referrer-policy': 'no-referrer',
    'x-robots-tag': 'noindex',
    'x-frame-options': 'DENY',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });

const TOKEN_PROBLEMS: Record<Exclude<TokenCheck, { ok: true }>['reason'], [number, string]> = {
  malformed: [403, 'This approval link is not valid.'],
  'bad-signature': [403, 'This approval link is not valid.'],
  'wrong-approval': [403, 'This approval link belongs to another approval.'],
  expired: [410, 'This approval link has expired. Ask for a new one.'],
};

type ApprovalDeps = Pick<ReassignDeps, 'approvals' | 'store' | 'tokens' | 'now'>;

/**
 * `GET /approvals/{id}?t=…`: the request and an Approve / Reject form, nothing else. Slack's link
 * expander (`Slackbot-LinkExpanding`) and mail scanners fetch links; a GET never decides.
 */
export function approvalPageEndpoint(deps: ApprovalDeps) {
  return async (
    event: APIGatewayProxyEventV2,
    signingSecret: string,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const approvalId = event.pathParameters?.id ?? '';
    const token = event.queryStringParameters?.t ?? '';
    const check = verifyApprovalToken(token, signingSecret, { approvalId, now: deps.now() });
    if (!check.ok) return problem(check.reason);
    const approval = await deps.approvals.get(approvalId);
    if (!approval) return html(404, messagePageHtml('Not found', 'There is no such approval.'));
    const approver = approval.approvers.find((a) => a.id === check.claims.approverId);
    if (!approver)
      return html(
        403,
        messagePageHtml('Not your approval', 'This link was not issued for an approver of this request.'),
      );
    const request = await deps.store.get(approval.requestId);
    return html(
      200,
      approvalPageHtml({
        approval,
        request,
        approverName: approver.name,
        token,
        formAction: `/approvals/${encodeURIComponent(approvalId)}`,
      }),
    );
  };
}

/**
 * `POST /approvals/{id}` (form: `t`, `decision`, `comment`): the signed, unexpired, single-use
 * token decides, and only then does the waiting workflow task hear about it.
 */
export function approvalDecisionEndpoint(deps: ApprovalDeps) {
  return async (
    event: APIGatewayProxyEventV2,
    signingSecret: string,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const approvalId = event.pathParameters?.id ?? '';
    const read = eventBody(event, MAX_FORM_BYTES);
    if (!read.ok) return html(413, messagePageHtml('Too large', 'The form is too large.'));
    const form = new URLSearchParams(read.text);
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'reject') {
      return html(400, messagePageHtml('Choose a decision', 'Use the Approve or Reject button.'));
    }
    const check = verifyApprovalToken(form.get('t') ?? '', signingSecret, { approvalId, now: deps.now() });
    if (!check.ok) {
      logger.warn('approval decision refused', { approvalId, reason: check.reason });
      return problem(check.reason);
    }
    const result = await decideApproval(
      check.claims,
      { decision, comment: form.get('comment') ?? '', via: 'link' },
      deps,
    );
    logger.info('approval decision', { approvalId, outcome: result.kind, decision });
    return decisionPage(result);
  };
}

export function decisionPage(result: DecisionResult): APIGatewayProxyStructuredResultV2 {
  switch (result.kind) {
    case 'decided': {
      const d = result.approval.decided;
      const label = `"${result.request?.label ?? 'the reassignment'}"`;
      const who = d?.approverName ?? 'You';
      if (result.approval.status !== 'approved')
        return html(
          200,
          messagePageHtml(
            'Thank you — rejected',
            `${who} rejected ${label}. Nothing will change in Salesforce: the request is closed and the channel is told why.`,
          ),
        );
      const next =
        result.request?.status === 'scheduled'
          ? `Every approval is in: the moves apply on ${result.request.report?.applyOn ?? 'the effective date'}, and the channel gets the summary.`
          : 'The moves apply once every other approval is in; the channel gets the summary.';
      return html(200, messagePageHtml('Thank you — approved', `${who} approved ${label}. ${next}`));
    }
    case 'unknown-approval':
      return html(404, messagePageHtml('Not found', 'There is no such approval.'));
    case 'wrong-approver':
      return html(
        403,
        messagePageHtml('Not your approval', 'This link was not issued for an approver of this request.'),
      );
    case 'token-used':
      return html(
        409,
        messagePageHtml('Already used', 'This link was already used to decide. Nothing changed.'),
      );
    case 'not-pending':
      return html(
        409,
        messagePageHtml('Already decided', `This approval is ${result.approval.status}. Nothing changed.`),
      );
  }
}

function problem(reason: Exclude<TokenCheck, { ok: true }>['reason']): APIGatewayProxyStructuredResultV2 {
  const [status, message] = TOKEN_PROBLEMS[reason];
  return html(status, messagePageHtml(status === 410 ? 'Link expired' : 'Invalid link', message));
}
