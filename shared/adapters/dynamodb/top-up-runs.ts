import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TopUpRunSummary } from '../../domain/topup/run.js';
import type { TopUpRunStore } from '../../ports/top-up-runs.js';
import { topUpRunItem } from './items.js';
import { keys } from './keys.js';

/** Run summaries are kept for 90 days (TTL). */
const RETENTION_SECONDS = 90 * 24 * 3600;

export class DynamoTopUpRuns implements TopUpRunStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(summary: TopUpRunSummary): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: topUpRunItem.toItem([summary.startedAt, summary.runId], {
          summary,
          expiresAt: Math.floor(Date.parse(summary.startedAt) / 1000) + RETENTION_SECONDS,
        }),
      }),
    );
  }

  async latest(limit: number): Promise<TopUpRunSummary[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.topUpRuns().PK },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => topUpRunItem.fromItem(item).summary);
  }
}
