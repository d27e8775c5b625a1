import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeadCounts } from '../../domain/capacity/capacity.js';
import type { RepCounterStore } from '../../ports/rep-counters.js';
import { keys } from './keys.js';

/** Counter writes in flight at once while opening a reconcile window for many reps. */
const CONCURRENCY = 16;

/**
 * Why the counters stay right while intake, the write-back and reconciliation all write them:
 *
 * - `pending`: leads given here whose owner Salesforce does not show yet (intake and top-up add
 *   one; the write-back's settle takes one away, whatever the outcome).
 * - `recentlyGiven`: leads given here since the current reconcile window opened, plus those in
 *   flight when it opened (`beginReconcile` copies `pending`). Intake adds one; a settle that did
 *   NOT reach Salesforce takes one away; a settle that did reach it leaves it alone.
 * - `reconcile` then sets `open = Salesforce's count + recentlyGiven` in one atomic SET.
 *
 * A lead the write-back lands between reading the count and the SET is in `recentlyGiven` (counted
 * once, where `pending` would have lost it); a lead landing before the count is read may be counted
 * twice. So reconciliation can over-count until the next run but never under-counts, and an
 * under-count is the only error that would let a rep pass a cap. One reconcile at a time (the
 * top-up lease): a second window opening mid-way would reset `recentlyGiven`.
 */
export class DynamoRepCounters implements RepCounterStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async beginReconcile(repIds: string[]): Promise<void> {
    for (let i = 0; i < repIds.length; i += CONCURRENCY) {
      await Promise.all(
        repIds.slice(i, i + CONCURRENCY).map((repId) =>
          this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: keys.rep(repId),
              UpdateExpression: 'SET recentlyGiven = if_not_exists(pending, :zero)',
              ExpressionAttributeValues: { ':zero': 0 },
            }),
          ),
        ),
      );
    }
  }

  async reconcile(repId: string, counts: LeadCounts, newLimitByRatio: number, at: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.rep(repId),
        UpdateExpression:
          'SET openLeads = if_not_exists(recentlyGiven, :zero) + :open, newLeads = if_not_exists(recentlyGiven, :zero) + :new, ' +
          'inProgressLeads = :inProgress, newLimitByRatio = :limit, pending = if_not_exists(pending, :zero), ' +
          'recentlyGiven = if_not_exists(recentlyGiven, :zero), reconciledAt = :at',
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
