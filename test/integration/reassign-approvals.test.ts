import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  approvalDecisionEndpoint,
  approvalPageEndpoint,
} from '../../shared/adapters/http/approval-endpoint.js';
import { approvalLink, signApprovalToken } from '../../shared/adapters/http/approval-link-token.js';
import { slackInteractionsEndpoint } from '../../shared/adapters/http/slack-interactions-endpoint.js';
import { forgetSalesforceSessions } from '../../shared/adapters/salesforce/connection.js';
import { slackSignature } from '../../shared/adapters/slack/signature.js';
import { submitReassignment } from '../../shared/application/reassign/submit.js';
import type { Approval } from '../../shared/domain/reassign/model.js';
import { synthesizedReassignDefinition } from '../../shared/local-stack/reassign-workflow.js';
import {
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { httpEvent } from '../support/http-events.js';
import {
  eventually,
  movesNeedingTwoApprovals,
  ORG,
  type ReassignHarness,
  reassignHarness,
  reassignSeed,
  SIGNING_SECRET,
} from '../support/reassign.js';

const SLACK_SECRET = 'slack-signing-secret-for-tests';
const SLACKBOT = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';

const t = useDynamoDbLocal();
let definition: ReturnType<typeof synthesizedReassignDefinition>;
let sf: SalesforceEmulator | undefined;

beforeAll(() => {
  definition = synthesizedReassignDefinition();
});
afterEach(async () => {
  await sf?.close();
  sf = undefined;
  forgetSalesforceSessions();
});

interface Scene {
  h: ReassignHarness;
  requestId: string;
  dealOwner: Approval;
  vp: Approval;
  /** The links as posted to Slack, per approver id. */
  links: Map<string, URL>;
  page: ReturnType<typeof approvalPageEndpoint>;
  decide: ReturnType<typeof approvalDecisionEndpoint>;
  slack: ReturnType<typeof slackInteractionsEndpoint>;
}

async function scene(): Promise<Scene> {
  sf = await startSalesforceEmulator({ seed: reassignSeed() });
  const h = reassignHarness({ doc: t.doc, tableName: await t.newTable(), sf, definition });
  const request = await submitReassignment(
    { requestedBy: 'Dana Whitfield', label: 'FY2027 Territory Planning', moves: movesNeedingTwoApprovals() },
    { submittedBy: 'test' },
    h.deps,
  );
  await eventually(async () => h.runner.waitingTokens().length === 2);
  const stored = await h.deps.store.get(request.id);
  const [dealOwner, vp] = await h.deps.approvals.getMany(stored?.approvalIds ?? []);
  const links = new Map<string, URL>();
  for (const match of h.notifier.text().matchAll(/^ {2}(.+): (http:\/\/\S+)$/gm)) {
    links.set(match[1] === 'VP Sales' ? 'vp-sales' : ORG.rep1, new URL(match[2]!));
  }
  return {
    h,
    requestId: request.id,
    dealOwner: dealOwner!,
    vp: vp!,
    links,
    page: approvalPageEndpoint(h.deps),
    decide: approvalDecisionEndpoint(h.deps),
    slack: slackInteractionsEndpoint(h.deps, async () => new Response('ok')),
  };
}

const get = (s: Scene, link: URL, userAgent = 'Mozilla/5.0') => {
  const approvalId = decodeURIComponent(link.pathname.split('/').pop()!);
  return s.page(
    httpEvent({
      method: 'GET',
      path: link.pathname,
      routeKey: 'GET /approvals/{id}',
      pathParameters: { id: approvalId },
      query: { t: link.searchParams.get('t')! },
      headers: { 'user-agent': userAgent },
    }),
    SIGNING_SECRET,
  );
};

const post = (s: Scene, approvalId: string, form: Record<string, string>) =>
  s.decide(
    httpEvent({
      method: 'POST',
      path: `/approvals/${approvalId}`,
      routeKey: 'POST /approvals/{id}',
      pathParameters: { id: approvalId },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    }),
    SIGNING_SECRET,
  ) as Promise<APIGatewayProxyStructuredResultV2>;

/** Nothing decided: both approvals pending, both tasks still waiting, no owner changed. */
async function expectUndecided(s: Scene) {
  const approvals = await s.h.deps.approvals.getMany([s.dealOwner.approvalId, s.vp.approvalId]);
  expect(approvals.map((a) => a.status)).toEqual(['pending', 'pending']);
  expect(s.h.runner.waitingTokens()).toHaveLength(2);
  expect(sf!.store.get('Account', ORG.account(41))?.OwnerId).toBe(ORG.rep2);
}

const tokenOf = (link: URL) => link.searchParams.get('t')!;

describe('approval links', () => {
  it('posts one link per approver, each opening a page with the request and an Approve / Reject form', async () => {
    const s = await scene();
    expect([...s.links.keys()].sort()).toEqual([ORG.rep1, 'vp-sales'].sort());
    const response = (await get(s, s.links.get('vp-sales')!)) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    expect(response.body).toContain('FY2027 Territory Planning');
    expect(response.body).toContain('22 moves requested');
    expect(response.body).toMatch(/<button type="submit" name="decision" value="approve"/);
    expect(response.body).toContain('You are deciding as <strong>VP Sales</strong>');
    await expectUndecided(s);
  });

  it('changes nothing on GET, also when Slack’s link expander fetches the link again and again', async () => {
    const s = await scene();
    for (let i = 0; i < 3; i++) {
      const response = (await get(
        s,
        s.links.get('vp-sales')!,
        SLACKBOT,
      )) as APIGatewayProxyStructuredResultV2;
      expect(response.statusCode).toBe(200);
    }
    await expectUndecided(s);
    // The link still works afterwards: the GETs did not use the token up.
    const decided = await post(s, s.vp.approvalId, {
      t: tokenOf(s.links.get('vp-sales')!),
      decision: 'approve',
    });
    expect(decided.statusCode).toBe(200);
  });

  it('refuses a forged signature and changes nothing', async () => {
    const s = await scene();
    const forged = signApprovalToken(
      {
        approvalId: s.vp.approvalId,
        approverId: 'vp-sales',
        nonce: 'n',
        expiresAt: Date.now() / 1000 + 3600,
      },
      'not-the-signing-secret',
    );
    const response = await post(s, s.vp.approvalId, { t: forged, decision: 'approve' });
    expect(response.statusCode).toBe(403);
    // A tampered payload under the real signature is refused too.
    const [payload, signature] = tokenOf(s.links.get('vp-sales')!).split('.');
    const tampered = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), e: 9e9 })).toString('base64url')}.${signature}`;
    expect((await post(s, s.vp.approvalId, { t: tampered, decision: 'approve' })).statusCode).toBe(403);
    await expectUndecided(s);
  });

  it('refuses an expired token and changes nothing', async () => {
    const s = await scene();
    const expired = new URL(
      approvalLink('http://x', s.vp.approvalId, 'vp-sales', {
        secret: SIGNING_SECRET,
        ttlMs: -1000,
        now: new Date(),
      }),
    );
    const response = await post(s, s.vp.approvalId, { t: tokenOf(expired), decision: 'approve' });
    expect(response.statusCode).toBe(410);
    expect(response.body).toContain('expired');
    expect(((await get(s, expired)) as APIGatewayProxyStructuredResultV2).statusCode).toBe(410);
    await expectUndecided(s);
  });

  it('says after Reject that nothing will change, not that the workflow continues', async () => {
    const s = await scene();
    const rejected = await post(s, s.vp.approvalId, {
      t: tokenOf(s.links.get('vp-sales')!),
      decision: 'reject',
      comment: 'not this quarter',
    });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.body).toContain('Thank you — rejected');
    expect(rejected.body).toContain('Nothing will change in Salesforce');
    expect(rejected.body).not.toContain('continues');
  });

  it('decides once: a replayed POST changes nothing', async () => {
    const s = await scene();
    const form = { t: tokenOf(s.links.get('vp-sales')!), decision: 'approve', comment: 'ok' };
    expect((await post(s, s.vp.approvalId, form)).statusCode).toBe(200);
    const replay = await post(s, s.vp.approvalId, form);
    expect(replay.statusCode).toBe(409);
    // Replaying with the other decision does not flip it either.
    expect((await post(s, s.vp.approvalId, { ...form, decision: 'reject' })).statusCode).toBe(409);
    const vp = await s.h.deps.approvals.get(s.vp.approvalId);
    expect(vp).toMatchObject({
      status: 'approved',
      decided: { approverName: 'VP Sales', comment: 'ok', via: 'link' },
    });
    expect(s.h.runner.waitingTokens()).toHaveLength(1);
  });

  it('refuses a link of another approver or another approval and changes nothing', async () => {
    const s = await scene();
    // The deal owner's link used on the VP's approval: signed for another approval.
    const dealOwnerToken = tokenOf(s.links.get(ORG.rep1)!);
    expect((await post(s, s.vp.approvalId, { t: dealOwnerToken, decision: 'approve' })).statusCode).toBe(403);
    // A validly signed link for the VP approval, but for someone who is not its approver.
    const notAnApprover = new URL(
      approvalLink('http://x', s.vp.approvalId, ORG.rep2, {
        secret: SIGNING_SECRET,
        ttlMs: 60_000,
        now: new Date(),
      }),
    );
    const response = await post(s, s.vp.approvalId, { t: tokenOf(notAnApprover), decision: 'approve' });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Not your approval');
    expect(((await get(s, notAnApprover)) as APIGatewayProxyStructuredResultV2).statusCode).toBe(403);
    await expectUndecided(s);
  });

  it('completes the workflow when both approvers approve through their links', async () => {
    const s = await scene();
    const first = await post(s, s.dealOwner.approvalId, {
      t: tokenOf(s.links.get(ORG.rep1)!),
      decision: 'approve',
    });
    expect(first.body).toContain('The moves apply once every other approval is in');
    const last = await post(s, s.vp.approvalId, {
      t: tokenOf(s.links.get('vp-sales')!),
      decision: 'approve',
    });
    expect(last.body).toMatch(/Every approval is in: the moves apply on \d{4}-\d{2}-\d{2}/);
    await expect(s.h.runner.result(s.requestId)).resolves.toMatchObject({ status: 'completed', applied: 22 });
    // The page now says so and offers no form.
    const page = (await get(s, s.links.get('vp-sales')!)) as APIGatewayProxyStructuredResultV2;
    expect(page.body).toContain('This approval is <strong>approved</strong> by VP Sales');
    expect(page.body).not.toContain('<form');
  });
});

describe('Slack interactive buttons', () => {
  const click = (
    s: Scene,
    input: { approvalId: string; user: string; action?: string; secret?: string; ageSeconds?: number },
  ) => {
    const payload = {
      type: 'block_actions',
      user: { id: input.user },
      trigger_id: `trigger-${Math.random()}`,
      response_url: 'https://hooks.slack.com/actions/T/1/abc',
      actions: [{ action_id: input.action ?? 'reassign_approve', value: input.approvalId, action_ts: '1' }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const timestamp = String(Math.floor(Date.now() / 1000) - (input.ageSeconds ?? 0));
    return s.slack(
      httpEvent({
        method: 'POST',
        path: '/slack/interactions',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': slackSignature(input.secret ?? SLACK_SECRET, timestamp, body),
        },
        body,
      }),
      SLACK_SECRET,
    ) as Promise<APIGatewayProxyStructuredResultV2>;
  };

  it('decides from a verified click by a listed approver', async () => {
    const s = await scene();
    const response = await click(s, {
      approvalId: s.vp.approvalId,
      user: 'U0VPSALES',
      action: 'reassign_reject',
    });
    expect(response.statusCode).toBe(200);
    await expect(s.h.runner.result(s.requestId)).resolves.toMatchObject({ status: 'rejected' });
    expect(await s.h.deps.approvals.get(s.vp.approvalId)).toMatchObject({
      status: 'rejected',
      decided: { via: 'slack' },
    });
  });

  it('refuses a forged signature, a stale timestamp and a Slack user who is not an approver', async () => {
    const s = await scene();
    expect(
      (await click(s, { approvalId: s.vp.approvalId, user: 'U0VPSALES', secret: 'forged' })).statusCode,
    ).toBe(401);
    expect(
      (await click(s, { approvalId: s.vp.approvalId, user: 'U0VPSALES', ageSeconds: 301 })).statusCode,
    ).toBe(401);
    expect((await click(s, { approvalId: s.vp.approvalId, user: 'U0SOMEONE' })).statusCode).toBe(200);
    await expectUndecided(s);
  });
});
