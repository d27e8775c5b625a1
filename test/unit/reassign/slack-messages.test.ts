import { describe, expect, it } from 'vitest';
import { SlackChatNotifier } from '../../../shared/adapters/slack/chat-notifier.js';
import { SlackWebhookNotifier } from '../../../shared/adapters/slack/notifier.js';
import {
  SLACK_ACTIONS,
  SlackReassignmentNotifier,
} from '../../../shared/adapters/slack/reassign-notifier.js';
import type { Approval } from '../../../shared/domain/reassign/model.js';
import type { StoredReassignment } from '../../../shared/ports/reassignment.js';
import { CapturingNotifier } from '../../support/reassign.js';

const request: StoredReassignment = {
  id: 'req-1',
  requestedBy: 'Dana Whitfield',
  submittedBy: 'api-key',
  label: 'FY2027 Territory Planning',
  submittedAt: '2026-11-20T12:00:00Z',
  updatedAt: '2026-11-20T12:00:00Z',
  moveCount: 3,
  status: 'awaiting-approval',
  report: {
    counts: { requested: 3, allowed: 2, blocked: 1, noOps: 0, invalid: 0 },
    reps: [{ repId: 'r1', repName: 'Mei Chen', gains: 2, losses: 0, arrGained: 250_000, arrLost: 0 }],
    arrMoving: 250_000,
    openDeals: { count: 2, amount: 180_000 },
    violations: [
      {
        rule: 'named-account',
        outcome: 'blocked',
        recordIds: ['a'],
        recordCount: 1,
        numbers: {},
        message: 'Account a is a named account of r2',
      },
    ],
    applyOn: '2027-01-19',
  },
};
const approval: Approval = {
  approvalId: 'ap-1',
  requestId: 'req-1',
  role: 'vp',
  approvers: [{ id: 'vp-sales', name: 'VP Sales' }],
  reasons: ['Rep r1 gains 22 accounts'],
  recordCount: 22,
  status: 'pending',
  createdAt: '2026-11-20T12:00:00Z',
};

describe('the approval request message', () => {
  it('summarizes moves per rep, guardrails, ARR and open deals, with a link per approver', async () => {
    const sink = new CapturingNotifier();
    await new SlackReassignmentNotifier(sink, (id) => `https://api/reassignments/${id}`).approvalsRequested(
      request,
      [{ approval, links: [{ approver: approval.approvers[0]!, url: 'https://api/approvals/ap-1?t=tok' }] }],
    );
    const text = sink.text();
    expect(text).toContain('3 moves requested: 2 allowed, 1 blocked');
    expect(text).toContain('applies on 2027-01-19');
    expect(text).toContain('ARR moving: $250,000; open deals on moving accounts: 2 ($180,000)');
    expect(text).toContain('Mei Chen +2/−0');
    expect(text).toContain('named-account (blocked)');
    expect(text).toContain('VP Sales: https://api/approvals/ap-1?t=tok');
  });

  it('gives Slack buttons only the opaque approval id', async () => {
    const sink = new CapturingNotifier();
    await new SlackReassignmentNotifier(sink, () => '').approvalsRequested(request, [
      { approval, links: [] },
    ]);
    const actions = sink.messages[0]?.blocks?.find((b) => b.type === 'actions') as {
      elements: Array<{ action_id: string; value: string }>;
    };
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      [SLACK_ACTIONS.approve, 'ap-1'],
      [SLACK_ACTIONS.reject, 'ap-1'],
    ]);
  });
});

describe('posting to Slack', () => {
  const capture = () => {
    const sent: Array<{ url: string; body: Record<string, unknown>; headers: Record<string, string> }> = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      sent.push({
        url,
        body: JSON.parse(String(init.body)),
        headers: init.headers as Record<string, string>,
      });
      return new Response(JSON.stringify({ ok: true }), { status: 200 });
    }) as typeof fetch;
    return { sent, fetchFn };
  };

  it('turns unfurling off on the incoming webhook', async () => {
    const { sent, fetchFn } = capture();
    await new SlackWebhookNotifier('https://hooks.slack.com/services/x', fetchFn).notify({
      text: 't',
      blocks: [{ type: 'section' }],
    });
    expect(sent[0]?.body).toMatchObject({
      unfurl_links: false,
      unfurl_media: false,
      blocks: [{ type: 'section' }],
    });
  });

  it('turns unfurling off on chat.postMessage and sends the bot token as a bearer', async () => {
    const { sent, fetchFn } = capture();
    await new SlackChatNotifier(() => 'xoxb-1', '#territory', fetchFn).notify({ text: 't' });
    expect(sent[0]).toMatchObject({
      url: 'https://slack.com/api/chat.postMessage',
      body: { channel: '#territory', unfurl_links: false, unfurl_media: false },
      headers: { authorization: 'Bearer xoxb-1' },
    });
  });
});

describe('the completion message', () => {
  const summary = {
    applied: 1,
    failed: 2,
    skipped: 1,
    blocked: 0,
    noOps: 0,
    invalid: 0,
    reps: [{ repId: 'r1', repName: 'Mei Chen', gains: 1, losses: 0, arrGained: 0, arrLost: 0 }],
    arrMoved: 0,
    failures: [
      {
        row: 4,
        recordId: '001RA0000000004AAA',
        objectType: 'Account' as const,
        name: 'Acme Corp',
        to: 'Mei Chen',
        errorCode: 'UNABLE_TO_LOCK_ROW',
        message: 'unable to obtain exclusive access to this record',
      },
      // Stored before names were kept: the id is all there is.
      {
        row: 9,
        recordId: '001RA0000000009AAA',
        objectType: 'Account' as const,
        errorCode: 'INACTIVE_OWNER_OR_USER',
        message: 'owner is inactive',
      },
    ],
    skippedMoves: [
      { row: 7, recordId: '001RA0000000007AAA', name: 'Globex', to: 'Mei Chen', reason: 'owner changed' },
    ],
    approvedBy: ['VP Sales'],
  };

  it('names each failed and skipped record and its new owner by row', async () => {
    const sink = new CapturingNotifier();
    await new SlackReassignmentNotifier(sink, (id) => `https://api/reassignments/${id}`).completed(
      { ...request, status: 'completed-with-failures', summary },
      summary,
    );
    const text = sink.text();
    expect(text).toContain('row 4 Account Acme Corp → Mei Chen: UNABLE_TO_LOCK_ROW unable to obtain');
    expect(text).toContain('row 9 Account 001RA0000000009AAA: INACTIVE_OWNER_OR_USER');
    expect(text).toContain(
      'Skipped (1; the owner changed meanwhile):\n  row 7 Globex → Mei Chen: owner changed',
    );
    expect(text).not.toContain('001RA0000000004AAA');
  });
});
