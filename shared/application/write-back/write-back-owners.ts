import { truncateReason } from '../../domain/audit/reason.js';
import { sameSalesforceId } from '../../domain/salesforce-id.js';
import type { CrmOwnerGateway, OwnerUpdate } from '../../ports/crm.js';
import type { Outbox, OutboxItem } from '../../ports/outbox.js';

export interface WriteBackDeps {
  outbox: Outbox;
  crm: CrmOwnerGateway;
  now: () => Date;
  /** Length of the Salesforce reason field; longer reasons are cut at a word. */
  reasonMaxLength: number;
  /** After this many failed attempts an item is settled as failed (the last error is kept). */
  maxAttempts: number;
}

export interface WriteBackSummary {
  written: number;
  skipped: number;
  failed: number;
  retrying: number;
  calls: number;
}

/** A call-level error the next attempt may get past (rate limit, lock, outage, network). */
export interface RetryableCallError {
  retryable: boolean;
  errorCode?: string;
  message: string;
}

/** Exponential backoff from 30 s, capped at 1 h; Salesforce row locks and limits clear within that. */
export function nextAttemptAt(now: Date, attempts: number): Date {
  const seconds = Math.min(3600, 30 * 2 ** attempts);
  return new Date(now.getTime() + seconds * 1000);
}

/**
 * Write owners for outbox items: one ownership query and one collections call per batch.
 * A record a person took meanwhile is skipped with a reason; per-record errors are retried when
 * retryable and settled as failed with Salesforce's message otherwise. Nothing is dropped.
 */
export async function writeBackOwners(items: OutboxItem[], deps: WriteBackDeps): Promise<WriteBackSummary> {
  const summary: WriteBackSummary = { written: 0, skipped: 0, failed: 0, retrying: 0, calls: 0 };
  const byType = new Map<OutboxItem['objectType'], OutboxItem[]>();
  for (const item of items) byType.set(item.objectType, [...(byType.get(item.objectType) ?? []), item]);
  const batches: OutboxItem[][] = [];
  for (const group of byType.values()) {
    for (let i = 0; i < group.length; i += deps.crm.maxBatch)
      batches.push(group.slice(i, i + deps.crm.maxBatch));
  }
  for (const [index, batch] of batches.entries()) {
    try {
      await writeBatch(batch[0]!.objectType, batch, deps, summary);
    } catch (error) {
      const e = asCallError(error);
      if (!e.retryable) throw error;
      for (const item of batch)
        await retryOrFail(item, `${e.errorCode ?? 'ERROR'}: ${e.message}`, deps, summary);
      // A rate limit applies to the whole org: stop here and let a later run pick the rest up.
      if (e.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
        for (const rest of batches.slice(index + 1).flat()) {
          await deps.outbox.reschedule(
            rest,
            nextAttemptAt(deps.now(), rest.attempts),
            'Deferred: org API limit reached',
          );
          summary.retrying++;
        }
        return summary;
      }
    }
  }
  return summary;
}

async function writeBatch(
  objectType: OutboxItem['objectType'],
  batch: OutboxItem[],
  deps: WriteBackDeps,
  summary: WriteBackSummary,
): Promise<void> {
  const at = () => deps.now().toISOString();
  summary.calls++;
  const owners = await deps.crm.currentOwners(
    objectType,
    batch.map((b) => b.recordId),
  );
  const toWrite: OutboxItem[] = [];
  for (const item of batch) {
    const current = owners.get(item.recordId);
    if (current === undefined) {
      await deps.outbox.settle(
        item,
        {
          status: 'failed',
          errorCode: 'NOT_FOUND',
          detail: 'Record not found in Salesforce (deleted or merged)',
        },
        at(),
      );
      summary.failed++;
    } else if (sameSalesforceId(current, item.ownerId)) {
      await deps.outbox.settle(item, { status: 'written', detail: 'Already the owner' }, at());
      summary.written++;
    } else if (!item.replaceableOwnerIds.some((id) => sameSalesforceId(id, current))) {
      await deps.outbox.settle(
        item,
        { status: 'skipped', detail: `Owner changed to ${current} meanwhile; a person's choice is kept` },
        at(),
      );
      summary.skipped++;
    } else {
      toWrite.push(item);
    }
  }
  if (toWrite.length === 0) return;

  const updates: OwnerUpdate[] = toWrite.map((item) => ({
    recordId: item.recordId,
    objectType: item.objectType,
    ownerId: item.ownerId,
    reason: truncateReason(item.reason, deps.reasonMaxLength),
  }));
  summary.calls++;
  const results = await deps.crm.updateOwners(updates);
  const byId = new Map(results.map((r) => [r.recordId, r]));
  for (const item of toWrite) {
    const result = byId.get(item.recordId);
    if (result?.ok) {
      await deps.outbox.settle(item, { status: 'written', detail: 'Owner and reason written' }, at());
      summary.written++;
    } else if (!result) {
      await retryOrFail(item, 'No result returned for this record', deps, summary);
    } else if (result.retryable) {
      await retryOrFail(item, `${result.errorCode}: ${result.message}`, deps, summary);
    } else {
      await deps.outbox.settle(
        item,
        { status: 'failed', errorCode: result.errorCode, detail: result.message },
        at(),
      );
      summary.failed++;
    }
  }
}

async function retryOrFail(item: OutboxItem, error: string, deps: WriteBackDeps, summary: WriteBackSummary) {
  if (item.attempts + 1 >= deps.maxAttempts) {
    await deps.outbox.settle(
      item,
      {
        status: 'failed',
        errorCode: 'RETRIES_EXHAUSTED',
        detail: `Gave up after ${item.attempts + 1} attempts: ${error}`,
      },
      deps.now().toISOString(),
    );
    summary.failed++;
    return;
  }
  await deps.outbox.reschedule(item, nextAttemptAt(deps.now(), item.attempts), error);
  summary.retrying++;
}

function asCallError(error: unknown): RetryableCallError {
  const e = error as { retryable?: unknown; errorCode?: unknown; message?: unknown; name?: unknown };
  // Network failures (no response at all) are worth retrying as well.
  const network =
    typeof e.message === 'string' &&
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|fetch failed/i.test(e.message);
  return {
    retryable: e.retryable === true || network,
    ...(typeof e.errorCode === 'string' ? { errorCode: e.errorCode } : {}),
    message: typeof e.message === 'string' ? e.message : String(error),
  };
}
