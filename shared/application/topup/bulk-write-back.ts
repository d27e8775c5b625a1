import { salesforceReason } from '../../domain/audit/reason.js';
import { CONVERTED_LEAD_ERROR, type CrmBulkOwnerWriter, type OwnerUpdateResult } from '../../ports/crm.js';
import type { Outbox, OutboxItem } from '../../ports/outbox.js';
import { nextAttemptAt, SKIPPED_CONVERTED } from '../write-back/write-back-owners.js';
import type { AppliedAllocation } from './apply-allocations.js';

export interface BulkWriteBackDeps {
  bulk: CrmBulkOwnerWriter;
  outbox: Pick<Outbox, 'settle' | 'reschedule'>;
  now: () => Date;
  reasonMaxLength: number;
  replaceableOwnerIds: string[];
  onProgress?: (done: number, total: number) => void;
}

export interface BulkWriteBackSummary {
  written: number;
  failed: number;
  retrying: number;
  /** Leads converted since the pool was read: skipped, never retried. */
  skipped: number;
}

/** Outbox settles in flight at once. */
const SETTLE_CONCURRENCY = 16;

/**
 * A large run's owners in one Bulk API 2.0 job instead of a collections call per 200, then each
 * held outbox item settled from its record's result: written, skipped (a lead converted meanwhile), failed (Salesforce's error kept, the
 * rep's counters corrected), or handed to the write-back sweeper to retry (locks, limits, a job
 * that outran its poll). If the job cannot even start, every item goes to the sweeper.
 */
export async function writeOwnersInBulk(
  applied: readonly AppliedAllocation[],
  deps: BulkWriteBackDeps,
): Promise<BulkWriteBackSummary> {
  const summary: BulkWriteBackSummary = { written: 0, failed: 0, retrying: 0, skipped: 0 };
  if (applied.length === 0) return summary;
  const items = applied.map(
    (a): OutboxItem => ({
      recordId: a.leadId,
      changeId: a.changeId,
      objectType: 'Lead',
      ownerId: a.repId,
      ownerKind: 'rep',
      reason: a.reason,
      source: 'top-up',
      replaceableOwnerIds: deps.replaceableOwnerIds,
      attempts: 0,
      enqueuedAt: a.at,
    }),
  );
  let results: Map<string, OwnerUpdateResult>;
  try {
    const list = await deps.bulk.updateOwnersInBulk(
      items.map((item) => ({
        recordId: item.recordId,
        objectType: item.objectType,
        ownerId: item.ownerId,
        reason: salesforceReason(item.reason, deps.reasonMaxLength),
      })),
    );
    results = new Map(list.map((r) => [r.recordId, r]));
  } catch (error) {
    const e = error as { errorCode?: string; message?: string };
    const message = `Bulk job not run (${e.errorCode ?? 'ERROR'}: ${e.message ?? String(error)}); collections retry`;
    results = new Map(
      items.map((item) => [
        item.recordId,
        { recordId: item.recordId, ok: false, errorCode: e.errorCode ?? 'ERROR', message, retryable: true },
      ]),
    );
  }

  let done = 0;
  const settleOne = async (item: OutboxItem) => {
    const result = results.get(item.recordId);
    const at = deps.now().toISOString();
    if (result?.ok) {
      await deps.outbox.settle(
        item,
        { status: 'written', detail: 'Owner and reason written (Bulk API 2.0)' },
        at,
      );
      summary.written++;
    } else if (result?.errorCode === CONVERTED_LEAD_ERROR) {
      await deps.outbox.settle(item, { status: 'skipped', detail: SKIPPED_CONVERTED }, at);
      summary.skipped++;
    } else if (!result || result.retryable) {
      const why = result ? `${result.errorCode}: ${result.message}` : 'No result for this record';
      await deps.outbox.reschedule(item, nextAttemptAt(deps.now(), 0), why);
      summary.retrying++;
    } else {
      await deps.outbox.settle(
        item,
        { status: 'failed', errorCode: result.errorCode, detail: result.message },
        at,
      );
      summary.failed++;
    }
    deps.onProgress?.(++done, items.length);
  };
  for (let i = 0; i < items.length; i += SETTLE_CONCURRENCY) {
    await Promise.all(items.slice(i, i + SETTLE_CONCURRENCY).map(settleOne));
  }
  return summary;
}
