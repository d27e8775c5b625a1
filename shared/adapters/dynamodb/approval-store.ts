import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Approval, ApprovalDecision, ApprovalSpec } from '../../domain/reassign/model.js';
import type { ApprovalStore, DecideOutcome } from '../../ports/reassignment.js';
import { batchGet, batchWrite, puts } from './batch.js';
import { conditionalWrite } from './conditions.js';
import { approvalItem, approvalTokenUseItem } from './items.js';
import { gsi1 } from './keys.js';
import { getItem } from './query.js';

/**
 * Approvals under APPROVAL#{id}. The task token is an attribute here and nowhere else: links and
 * Slack buttons carry the opaque approval id. Pending approvals holding a token are listed in
 * GSI1 for the heartbeat sweeper.
 */
export class DynamoApprovalStore implements ApprovalStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(requestId: string, approvals: readonly ApprovalSpec[], at: string): Promise<void> {
    await batchWrite(
      this.doc,
      this.tableName,
      puts(
        approvals.map((spec) =>
          approvalItem.toItem([spec.approvalId], {
            approvalId: spec.approvalId,
            role: spec.role,
            approvers: spec.approvers,
            reasons: spec.reasons,
            recordCount: spec.recordCount,
            requestId,
            status: 'pending',
            createdAt: at,
          }),
        ),
      ),
    );
  }

  async get(approvalId: string): Promise<Approval | undefined> {
    const item = await getItem(this.doc, this.tableName, approvalItem.key(approvalId));
    return item ? approvalFrom(item) : undefined;
  }

  async getMany(approvalIds: readonly string[]): Promise<Approval[]> {
    const items = await batchGet(
      this.doc,
      this.tableName,
      approvalIds.map((id) => approvalItem.key(id)),
    );
    const byId = new Map(items.map((item) => [approvalItem.fromItem(item).approvalId, approvalFrom(item)]));
    return approvalIds.flatMap((id) => byId.get(id) ?? []);
  }

  async attachToken(
    approvalId: string,
    taskToken: string,
  ): Promise<{ approval: Approval; taskToken: string }> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: approvalItem.key(approvalId),
        UpdateExpression: 'SET taskToken = :token',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':token': taskToken },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const approval = approvalFrom(out.Attributes);
    if (approval.status === 'pending') {
      const listed = await conditionalWrite(() =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: approvalItem.key(approvalId),
            UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ...gsiValues(approval), ':pending': 'pending' },
          }),
        ),
      );
      // Decided in between: the caller delivers the decision with the token it holds.
      if (!listed.ok) return { approval: (await this.get(approvalId)) ?? approval, taskToken };
    }
    return { approval, taskToken };
  }

  async decide(
    approvalId: string,
    decision: ApprovalDecision,
    nonce: string,
    nonceExpiresAt: number,
  ): Promise<DecideOutcome> {
    const written = await conditionalWrite(() =>
      this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: approvalTokenUseItem.toItem([approvalId, nonce], {
                  usedAt: decision.at,
                  expiresAt: nonceExpiresAt,
                }),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: approvalItem.key(approvalId),
                UpdateExpression: 'SET #status = :status, decided = :decided REMOVE GSI1PK, GSI1SK',
                ConditionExpression: '#status = :pending',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':status': decision.decision === 'approve' ? 'approved' : 'rejected',
                  ':decided': decision,
                  ':pending': 'pending',
                },
              },
            },
          ],
        }),
      ),
    );
    if (!written.ok) {
      const [tokenItem, approvalRecord] = [0, 1].map((i) => written.refused.failed.includes(i));
      if (tokenItem) return { kind: 'token-used' };
      const approval = approvalRecord ? await this.get(approvalId) : undefined;
      if (approval) return { kind: 'not-pending', approval };
      throw new Error(`Approval ${approvalId} was refused a decision but no longer exists`);
    }
    const item = await getItem(this.doc, this.tableName, approvalItem.key(approvalId));
    const { taskToken } = approvalItem.fromItem(item);
    return { kind: 'decided', approval: approvalFrom(item), ...(taskToken ? { taskToken } : {}) };
  }

  async closePending(approvalIds: readonly string[], at: string): Promise<void> {
    for (const approvalId of approvalIds) {
      // Refused: decided or closed already.
      await conditionalWrite(() =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: approvalItem.key(approvalId),
            UpdateExpression: 'SET #status = :closed, closedAt = :at REMOVE GSI1PK, GSI1SK',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':closed': 'closed', ':pending': 'pending', ':at': at },
          }),
        ),
      );
    }
  }

  async waiting(limit: number): Promise<Array<{ approvalId: string; taskToken: string }>> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': gsi1.approvalPending('', '').GSI1PK },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).flatMap((item) => {
      const { approvalId, taskToken } = approvalItem.fromItem(item);
      return taskToken ? [{ approvalId, taskToken }] : [];
    });
  }
}

function gsiValues(approval: Approval) {
  const { GSI1PK, GSI1SK } = gsi1.approvalPending(approval.createdAt, approval.approvalId);
  return { ':pk': GSI1PK, ':sk': GSI1SK };
}

/** The approval without storage attributes; the task token stays inside this adapter's callers. */
function approvalFrom(item: Record<string, unknown> | undefined): Approval {
  const { approvalId, requestId, role, approvers, reasons, recordCount, status, createdAt, decided } =
    approvalItem.fromItem(item);
  return {
    approvalId,
    requestId,
    role,
    approvers,
    reasons,
    recordCount,
    status,
    createdAt,
    ...(decided ? { decided } : {}),
  };
}
