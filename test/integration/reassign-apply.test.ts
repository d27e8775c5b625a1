import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { statusEndpoint } from '../../shared/adapters/http/reassignments-endpoint.js';
import { forgetSalesforceSessions } from '../../shared/adapters/salesforce/connection.js';
import { applyBatch, prepareApply } from '../../shared/application/reassign/apply.js';
import { heartbeatApprovals, registerApprovalTask } from '../../shared/application/reassign/approvals.js';
import type { ReassignDeps } from '../../shared/application/reassign/deps.js';
import { finalizeReassignment } from '../../shared/application/reassign/finalize.js';
import { submitReassignment } from '../../shared/application/reassign/submit.js';
import { validateReassignment } from '../../shared/application/reassign/validate.js';
import {
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';
import { useDynamoDbLocal } from '../support/dynamodb.js';
import { httpEvent } from '../support/http-events.js';
import {
  auditItemsOf,
  movesNeedingTwoApprovals,
  ORG,
  reassignHarness,
  reassignSeed,
} from '../support/reassign.js';

const t = useDynamoDbLocal();
let sf: SalesforceEmulator | undefined;

afterEach(async () => {
  await sf?.close();
  sf = undefined;
  forgetSalesforceSessions();
});

/** The use cases driven one by one, without a workflow, as the state machine would call them. */
async function prepared(env: Record<string, string> = {}, moves: unknown[] = movesNeedingTwoApprovals()) {
  sf = await startSalesforceEmulator({ seed: reassignSeed() });
  const tableName = await t.newTable();
  const h = reassignHarness({ doc: t.doc, tableName, sf, env });
  const deps: ReassignDeps = { ...h.deps, workflow: { start: async () => undefined } };
  const request = await submitReassignment(
    { requestedBy: 'Dana', label: 'FY2027', moves },
    { submittedBy: 't' },
    deps,
  );
  await validateReassignment(request.id, deps);
  return { deps, tableName, requestId: request.id };
}

describe('applying batches', () => {
  it('lets one invocation write a batch: a concurrent one is told it is busy, a later one that it is done', async () => {
    const { deps, requestId, tableName } = await prepared();
    const plan = await prepareApply(requestId, deps);
    expect(plan).toMatchObject({ mode: 'collections', batchIds: ['b00001'] });

    const [first, second] = await Promise.allSettled([
      applyBatch(requestId, 'b00001', deps),
      applyBatch(requestId, 'b00001', deps),
    ]);
    const outcomes = [first, second].map((o) =>
      o.status === 'fulfilled' ? o.value.status : (o.reason as Error).name,
    );
    expect(outcomes.sort()).toEqual(['BatchBusy', 'applied']);

    const writes = sf!.calls().collections ?? 0;
    await expect(applyBatch(requestId, 'b00001', deps)).resolves.toMatchObject({
      status: 'applied',
      applied: 22,
    });
    expect(sf!.calls().collections ?? 0).toBe(writes);
    expect(await auditItemsOf(t.doc, tableName, ORG.account(41))).toHaveLength(1);
    // Preparing again returns the stored plan without reading Salesforce.
    const calls = { ...sf!.calls() };
    await expect(prepareApply(requestId, deps)).resolves.toEqual(plan);
    expect(sf!.calls()).toEqual(calls);
  });

  it('writes through one Bulk API 2.0 job above the threshold and reports per-record failures', async () => {
    const { deps, requestId } = await prepared({ REASSIGN_BULK_THRESHOLD: '5' });
    // The new owner of one record is deactivated after validation: Salesforce refuses that row.
    const plan = await prepareApply(requestId, deps);
    expect(plan).toMatchObject({ mode: 'bulk', batchIds: ['b00001'] });
    sf!.store.update('User', ORG.rep3, { IsActive: false });
    const outcome = await applyBatch(requestId, 'b00001', deps);
    expect(outcome).toMatchObject({ status: 'applied', applied: 0, failed: 22 });
    expect(sf!.calls().bulk).toBeGreaterThanOrEqual(4);

    const { summary, status } = await finalizeReassignment(requestId, deps);
    expect(status).toBe('completed-with-failures');
    expect(summary.failures[0]).toMatchObject({ errorCode: 'INACTIVE_OWNER_OR_USER' });

    const status404 = statusEndpoint(deps);
    const res = (await status404(
      httpEvent({
        method: 'GET',
        path: `/reassignments/${requestId}`,
        pathParameters: { id: requestId },
        query: { failures: 'all' },
        iamUserArn: 'arn:aws:iam::1:user/ops',
      }),
      undefined,
    )) as APIGatewayProxyStructuredResultV2;
    const body = JSON.parse(res.body ?? '{}');
    expect(body.failures).toHaveLength(22);
    expect(body.summary).toMatchObject({ failed: 22, applied: 0 });
    // The summary names each failed record and its new owner, as Slack shows them.
    expect(body.summary.failures[0]).toMatchObject({ name: expect.stringMatching(/^Account \d+$/) });
    expect(body.summary.failures[0].to).not.toMatch(/^005/);
  });
});

describe('approval tasks', () => {
  it('keep their token server-side, get heartbeats while waiting, and get a decision that came first at once', async () => {
    const { deps, requestId } = await prepared();
    const sent: string[] = [];
    const tokens = {
      succeed: async (token: string) => void sent.push(`succeed ${token}`),
      fail: async (token: string, error: string) => void sent.push(`fail ${token} ${error}`),
      heartbeat: async (token: string) => {
        sent.push(`heartbeat ${token}`);
        return true;
      },
    };
    const request = await deps.store.get(requestId);
    const [dealOwner, vp] = request?.approvalIds ?? [];
    await registerApprovalTask(dealOwner!, 'token-deal-owner', { ...deps, tokens });
    await expect(heartbeatApprovals({ ...deps, tokens })).resolves.toEqual({ sent: 1, gone: 0 });
    expect(sent).toEqual(['heartbeat token-deal-owner']);

    // The VP decides before the task registers (a click within milliseconds): delivered on registering.
    await deps.approvals.decide(
      vp!,
      {
        decision: 'reject',
        approverId: 'vp-sales',
        approverName: 'VP Sales',
        comment: '',
        at: new Date().toISOString(),
        via: 'link',
      },
      'nonce-1',
      Math.floor(Date.now() / 1000) + 60,
    );
    await registerApprovalTask(vp!, 'token-vp', { ...deps, tokens });
    expect(sent).toContain('fail token-vp ApprovalRejected');
  });
});
