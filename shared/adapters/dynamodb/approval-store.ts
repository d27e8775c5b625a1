import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Approval, ApprovalDecision, ApprovalSpec } from '../../domain/reassign/model.js';
import type { ApprovalStore, DecideOutcome } from '../../ports/reassignment.js';
import { batchGet } from './batch.js';
import { batchPut } from './batch-write.js';
import { gsi1, keys } from './keys.js';

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

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
    await batchPut(
      this.doc,
      this.tableName,
      approvals.map((spec) => ({
        ...keys.approval(spec.approvalId),
        ...spec,
        requestId,
        status: 'pending',
        createdAt: at,
      })),
    );
  }

  async get(approvalId: string): Promise<Approval | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.approval(approvalId), ConsistentRead: true }),
    );
    return out.Item ? approvalFrom(out.Item) : undefined;
  }

  async getMany(approvalIds: readonly string[]): Promise<Approval[]> {
    const items = await batchGet(this.doc, this.tableName, approvalIds.map(keys.approval));
    const byId = new Map(items.map((item) => [String(item.approvalId), approvalFrom(item)]));
    return approvalIds.flatMap((id) => byId.get(id) ?? []);
  }

  async attachToken(
    approvalId: string,
    taskToken: string,
  ): Promise<{ approval: Approval; taskToken: string }> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.approval(approvalId),
        UpdateExpression: 'SET taskToken = :token',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':token': taskToken },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const approval = approvalFrom(out.Attributes ?? {});
    if (approval.status === 'pending') {
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.approval(approvalId),
            UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ...gsiValues(approval), ':pending': 'pending' },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Decided in between: the caller delivers the decision with the token it holds.
        return { approval: (await this.get(approvalId)) ?? approval, taskToken };
      }
    }
    return { approval, taskToken };
  }

  async decide(
    approvalId: string,
    decision: ApprovalDecision,
    nonce: string,
    nonceExpiresAt: number,
  ): Promise<DecideOutcome> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.approvalTokenUse(approvalId, nonce),
                  usedAt: decision.at,
                  expiresAt: nonceExpiresAt,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.approval(approvalId),
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
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [tokenReason, approvalReason] = error.CancellationReasons ?? [];
      if (tokenReason?.Code === 'ConditionalCheckFailed') return { kind: 'token-used' };
      if (approvalReason?.Code === 'ConditionalCheckFailed') {
        const approval = await this.get(approvalId);
        if (approval) return { kind: 'not-pending', approval };
      }
      throw error;
    }
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.approval(approvalId), ConsistentRead: true }),
    );
    const item = out.Item ?? {};
    return {
      kind: 'decided',
      approval: approvalFrom(item),
      ...(typeof item.taskToken === 'string' ? { taskToken: item.taskToken } : {}),
    };
  }

  async closePending(approvalIds: readonly string[], at: string): Promise<void> {
    for (const approvalId of approvalIds) {
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.approval(approvalId),
            UpdateExpression: 'SET #status = :closed, closedAt = :at REMOVE GSI1PK, GSI1SK',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':closed': 'closed', ':pending': 'pending', ':at': at },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
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
    return (out.Items ?? [])
      .filter((item) => typeof item.taskToken === 'string')
      .map((item) => ({ approvalId: String(item.approvalId), taskToken: String(item.taskToken) }));
  }
}

function gsiValues(approval: Approval) {
  const { GSI1PK, GSI1SK } = gsi1.approvalPending(approval.createdAt, approval.approvalId);
  return { ':pk': GSI1PK, ':sk': GSI1SK };
}

/** The approval without storage attributes; the task token stays inside this adapter's callers. */
function approvalFrom(item: Record<string, unknown>): Approval {
  return {
    approvalId: String(item.approvalId),
    requestId: String(item.requestId),
    role: item.role as Approval['role'],
    approvers: (item.approvers as Approval['approvers']) ?? [],
    reasons: (item.reasons as string[]) ?? [],
    recordCount: Number(item.recordCount ?? 0),
    status: item.status as Approval['status'],
    createdAt: String(item.createdAt),
    ...(item.decided ? { decided: item.decided as ApprovalDecision } : {}),
  };
}
