import { Duration } from 'aws-cdk-lib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { forgetSalesforceSessions } from '../../shared/adapters/salesforce/connection.js';
import { decideApproval } from '../../shared/application/reassign/approvals.js';
import { submitReassignment } from '../../shared/application/reassign/submit.js';
import type { Approval } from '../../shared/domain/reassign/model.js';
import { synthesizedReassignDefinition } from '../../shared/local-stack/reassign-workflow.js';
import {
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import {
  auditItemsOf,
  eventually,
  movesNeedingTwoApprovals,
  ORG,
  type ReassignHarness,
  reassignHarness,
  reassignSeed,
} from '../support/reassign.js';

const t = useDynamoDbLocal();
let definition: ReturnType<typeof synthesizedReassignDefinition>;
let sf: SalesforceEmulator | undefined;

beforeAll(() => {
  // The state machine exactly as CDK synthesizes it.
  definition = synthesizedReassignDefinition();
});
afterEach(async () => {
  await sf?.close();
  sf = undefined;
  forgetSalesforceSessions();
});

async function setup(options: { definition?: typeof definition } = {}) {
  sf = await startSalesforceEmulator({ seed: reassignSeed() });
  const tableName = await t.newTable();
  const h = reassignHarness({ doc: t.doc, tableName, sf, definition: options.definition ?? definition });
  return { h, sf, tableName };
}

const submit = (h: ReassignHarness, moves: unknown[] = movesNeedingTwoApprovals()) =>
  submitReassignment(
    { requestedBy: 'Dana Whitfield (RevOps)', label: 'FY2027 Territory Planning', moves },
    { submittedBy: 'test' },
    h.deps,
  );

/** The request's approvals once both approval tasks are waiting for a decision. */
async function waitingApprovals(h: ReassignHarness, requestId: string, count = 2): Promise<Approval[]> {
  await eventually(async () => h.runner.waitingTokens().length === count);
  const request = await h.deps.store.get(requestId);
  return h.deps.approvals.getMany(request?.approvalIds ?? []);
}

const decide = (h: ReassignHarness, approval: Approval, decision: 'approve' | 'reject', comment = '') =>
  decideApproval(
    {
      approvalId: approval.approvalId,
      approverId: approval.approvers[0]!.id,
      nonce: `n-${approval.approvalId}-${decision}`,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    },
    { decision, comment, via: 'link' },
    h.deps,
  );

const ownerOf = (id: string) => sf!.store.get('Account', id)?.OwnerId;

describe('the synthesized bulk-reassign workflow', () => {
  it('asks the VP and the deal owner, then applies the approved moves with who approved in the reason', async () => {
    const { h, tableName } = await setup();
    const request = await submit(h);
    const approvals = await waitingApprovals(h, request.id);
    expect(approvals.map((a) => a.role)).toEqual(['deal-owner', 'vp']);
    expect(approvals[0]?.approvers).toEqual([{ id: ORG.rep1, name: 'Joe Tremblay' }]);

    // Nothing moves before every approval is in.
    await decide(h, approvals[1]!, 'approve', 'Planned for FY2027');
    expect(ownerOf(ORG.account(41))).toBe(ORG.rep2);
    await decide(h, approvals[0]!, 'approve');

    await expect(h.runner.result(request.id)).resolves.toMatchObject({
      status: 'completed',
      applied: 22,
      failed: 0,
    });
    for (const move of movesNeedingTwoApprovals()) expect(ownerOf(move.recordId)).toBe(ORG.rep3);
    expect(sf!.store.get('Account', ORG.account(41))?.Routing_Reason__c).toMatch(
      /^→ [^,;]+, reassigned: FY2027 Territory Planning; approved by Joe Tremblay \(deal owner\), VP Sales$/,
    );
    // Accounts not in the request keep their owner; the big deal stays with its owner.
    expect(ownerOf(ORG.account(2))).toBe(ORG.rep1);
    expect(sf!.store.get('Opportunity', '006RA0000000001')?.OwnerId).toBe(ORG.rep1);

    const [audit] = await auditItemsOf(t.doc, tableName, ORG.account(41));
    expect(audit).toMatchObject({
      before: ORG.rep2,
      after: ORG.rep3,
      source: 'reassign',
      requestId: request.id,
      requestedBy: 'Dana Whitfield (RevOps)',
      approvedBy: ['Joe Tremblay (deal owner)', 'VP Sales'],
    });
    const stored = await h.deps.store.get(request.id);
    expect(stored?.status).toBe('completed');
    const messages = h.notifier.text();
    expect(messages).toMatch(/needs 2 approvals/);
    expect(messages).toMatch(/VP Sales: http:\/\/127\.0\.0\.1:3999\/approvals\/[^?]+\?t=/);
    expect(messages).toMatch(/finished: 22 applied, 0 failed/);
  });

  it('closes a rejected request without changing Salesforce and closes the other approval', async () => {
    const { h } = await setup();
    const request = await submit(h);
    const [dealOwner, vp] = await waitingApprovals(h, request.id);
    const calls = sf!.calls().collections ?? 0;

    await decide(h, vp!, 'reject', 'Wait for the Q2 planning cycle');

    await expect(h.runner.result(request.id)).resolves.toMatchObject({ status: 'rejected' });
    expect(sf!.calls().collections ?? 0).toBe(calls);
    for (const move of movesNeedingTwoApprovals().slice(1)) expect(ownerOf(move.recordId)).not.toBe(ORG.rep3);
    expect((await h.deps.approvals.get(dealOwner!.approvalId))?.status).toBe('closed');
    expect((await h.deps.store.get(request.id))?.closedBecause).toMatch(
      /rejected by VP Sales: Wait for the Q2/,
    );
    expect(h.notifier.text()).toMatch(/was rejected: .*Nothing was changed in Salesforce/);
  });

  it('expires a request nobody decides before the approval timeout', async () => {
    const shortTimeout = synthesizedReassignDefinition({
      reassign: { approvalTimeout: Duration.seconds(1) },
    });
    const { h } = await setup({ definition: shortTimeout });
    const request = await submit(h);

    await expect(h.runner.result(request.id)).resolves.toMatchObject({ status: 'expired' });
    const stored = await h.deps.store.get(request.id);
    expect(stored?.closedBecause).toBe('no decision before the approval timeout');
    const approvals = await h.deps.approvals.getMany(stored?.approvalIds ?? []);
    expect(approvals.map((a) => a.status)).toEqual(['closed', 'closed']);
    expect(ownerOf(ORG.account(41))).toBe(ORG.rep2);
    expect(h.notifier.text()).toMatch(/was expired: no decision/);
  }, 20_000);

  it('reports records that fail or changed owner meanwhile and applies the rest', async () => {
    const { h } = await setup();
    const request = await submit(h);
    const approvals = await waitingApprovals(h, request.id);
    // Two rows stay locked through every retry; a person takes another account meanwhile.
    sf!.faults.set({ lockedRows: { ids: [ORG.account(12), ORG.account(45)] } });
    sf!.store.update('Account', ORG.account(13), { OwnerId: ORG.rep2 });
    for (const a of approvals) await decide(h, a, 'approve');

    await expect(h.runner.result(request.id)).resolves.toMatchObject({
      status: 'completed-with-failures',
      applied: 19,
      failed: 2,
      skipped: 1,
    });
    expect(ownerOf(ORG.account(12))).toBe(ORG.rep1);
    expect(ownerOf(ORG.account(13))).toBe(ORG.rep2);
    expect(ownerOf(ORG.account(14))).toBe(ORG.rep3);
    const summary = (await h.deps.store.get(request.id))?.summary;
    expect(summary?.failures.map((f) => [f.recordId, f.errorCode])).toEqual([
      [ORG.account(12), 'UNABLE_TO_LOCK_ROW'],
      [ORG.account(45), 'UNABLE_TO_LOCK_ROW'],
    ]);
    expect(summary?.skippedMoves[0]?.reason).toMatch(/owner changed since the request/);
    expect(h.notifier.text()).toMatch(/Failures \(2; every one is in the full report\)/);
    // Slack names the records and their new owners, as the report does, not their ids.
    expect(h.notifier.text()).toMatch(/row \d+ Account Account 12 → Mei Chen: UNABLE_TO_LOCK_ROW/);
    expect(h.notifier.text()).toMatch(
      /Skipped \(1; the owner changed meanwhile\):\n {2}row \d+ Account 13 → Mei Chen: /,
    );
    expect(h.notifier.text()).not.toContain(`Account ${ORG.account(12)}`);
  });

  it('re-running a finished request writes nothing twice', async () => {
    const { h, tableName } = await setup();
    const request = await submit(h);
    for (const a of await waitingApprovals(h, request.id)) await decide(h, a, 'approve');
    await h.runner.result(request.id);
    const calls = { ...sf!.calls() };

    const rerun = h.newRunner();
    await rerun.start(request.id);
    await expect(rerun.result(request.id)).resolves.toMatchObject({ status: 'completed', applied: 22 });

    expect(sf!.calls().collections ?? 0).toBe(calls.collections ?? 0);
    expect(sf!.calls().query ?? 0).toBe(calls.query ?? 0);
    expect(await auditItemsOf(t.doc, tableName, ORG.account(41))).toHaveLength(1);
  });

  it('applies at once when the moves need no approval', async () => {
    const { h } = await setup();
    const request = await submit(h, [
      { recordId: ORG.account(20), objectType: 'Account', toOwnerId: ORG.rep2 },
      { recordId: ORG.lead(1), objectType: 'Lead', toOwnerId: ORG.rep3 },
      // Already there: dropped as a no-op.
      { recordId: ORG.account(50), objectType: 'Account', toOwnerId: ORG.rep2 },
    ]);
    await expect(h.runner.result(request.id)).resolves.toMatchObject({ status: 'completed', applied: 2 });
    expect(ownerOf(ORG.account(20))).toBe(ORG.rep2);
    expect(sf!.store.get('Lead', ORG.lead(1))?.OwnerId).toBe(ORG.rep3);
    expect(sf!.store.get('Lead', ORG.lead(1))?.Routing_Reason__c).toBe(
      '→ Mei Chen, reassigned: FY2027 Territory Planning; within guardrails, no approval needed',
    );
    expect((await h.deps.store.get(request.id))?.summary).toMatchObject({ noOps: 1, applied: 2 });
  });

  it('ends without writing when every move is blocked', async () => {
    const { h, tableName } = await setup();
    const before = sf!.store.get('Account', ORG.namedAccount);
    const request = await submit(h, [
      { recordId: ORG.namedAccount, objectType: 'Account', toOwnerId: ORG.rep2 },
    ]);
    await expect(h.runner.result(request.id)).resolves.toMatchObject({
      status: 'nothing-to-apply',
      applied: 0,
    });
    expect(sf!.store.get('Account', ORG.namedAccount)).toEqual(before);
    expect(await auditItemsOf(t.doc, tableName, ORG.namedAccount)).toHaveLength(0);
    expect((await h.deps.store.get(request.id))?.report?.violations[0]).toMatchObject({
      rule: 'named-account',
      outcome: 'blocked',
    });
  });
});
