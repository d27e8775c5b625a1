import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeadCounts } from '../../domain/capacity/capacity.js';
import type { RepCounterStore } from '../../ports/rep-counters.js';
import { keys } from './keys.js';

export class DynamoRepCounters implements RepCounterStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reconcile(repId: string, counts: LeadCounts, newLimitByRatio: number, at: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.rep(repId),
        // `pending` counts leads intake gave the rep that Salesforce doesn't show yet (the write-back
        // decrements it once written). Reading it inside the same SET makes the reconcile atomic with
        // any concurrent intake increment: open = Salesforce's count + whatever is still in flight.
        UpdateExpression:
          'SET openLeads = if_not_exists(pending, :zero) + :open, newLeads = if_not_exists(pending, :zero) + :new, ' +
          'inProgressLeads = :inProgress, newLimitByRatio = :limit, pending = if_not_exists(pending, :zero), reconciledAt = :at',
        ExpressionAttributeValues: {
          ':zero': 0,
          ':open': counts.open,
          ':new': counts.new,
          ':inProgress': counts.inProgress,
          ':limit': newLimitByRatio,
          ':at': at,
        },
      }),
    );
  }
}
