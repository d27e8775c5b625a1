import { salesforceReason } from '../../domain/audit/reason.js';
import { sameSalesforceId } from '../../domain/salesforce-id.js';
import { CONVERTED_LEAD_ERROR, type CrmOwnerGateway, type OwnerUpdate } from '../../ports/crm.js';
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

/** The detail a converted lead's outbox item settles with: nothing to write, nothing to retry. */
export const SKIPPED_CONVERTED = 'skipped: converted';

/** A call failed in a way that stops the whole run: the org's API limit is spent. */
class OrgLimitReached extends Error {}

/**
 * Write owners for outbox items: one ownership check per `maxCheck` records (a converted lead or a
 * record a person took meanwhile is skipped with a reason) and one collections call per `maxBatch`.
 * Per-record errors are retried when retryable and settled as failed with Salesforce's message
 * otherwise. Nothing is dropped: on a rate limit the rest is rescheduled for a later run.
 */
export async function writeBackOwners(items: OutboxItem[], deps: WriteBackDeps): Promise<WriteBackSummary> {
  const summary: WriteBackSummary = { written: 0, skipped: 0, failed: 0, retrying: 0, calls: 0 };
  const byType = new Map<OutboxItem['objectType'], OutboxItem[]>();
  for (const item of items) byType.set(item.objectType, [...(byType.get(item.objectType) ?? []), item]);
  const checks: OutboxItem[][] = [];
  for (const group of byType.values()) {
    for (let i = 0; i < group.length; i += deps.crm.maxCheck)
      checks.push(group.slice(i, i + deps.crm.maxCheck));
  }
  const pending = new Set(items);
  try {
    for (const check of checks) await writeChecked(check, deps, summary, pending);
  } catch (error) {
    if (!(error instanceof OrgLimitReached)) throw error;
    for (const rest of pending) {
      await deps.outbox.reschedule(
        rest,
        nextAttemptAt(deps.now(), rest.attempts),
        'Deferred: org API limit reached',
      );
      summary.retrying++;
    }
  }
  return summary;
}

/** One ownership check, then the updates it allows in collections-sized calls. */
async function writeChecked(
  check: OutboxItem[],
  deps: WriteBackDeps,
  summary: WriteBackSummary,
  pending: Set<OutboxItem>,
): Promise<void> {
  const at = () => deps.now().toISOString();
  const settle = async (
    item: OutboxItem,
    outcome: Parameters<Outbox['settle']>[1],
    counter: keyof WriteBackSummary,
  ) => {
    await deps.outbox.settle(item, outcome, at());
    summary[counter]++;
    pending.delete(item);
  };
  const owners = await callOrRetry(check, deps, summary, pending, () =>
    deps.crm.currentOwners(
      check[0]!.objectType,
      check.map((b) => b.recordId),
    ),
  );
  if (!owners) return;
  const toWrite: OutboxItem[] = [];
  for (const item of check) {
    const current = owners.get(item.recordId);
    if (current === undefined) {
      await settle(
        item,
        {
          status: 'failed',
          errorCode: 'NOT_FOUND',
          detail: 'Record not found in Salesforce (deleted or merged)',
        },
        'failed',
      );
    } else if (current.converted) {
      await settle(item, { status: 'skipped', detail: SKIPPED_CONVERTED }, 'skipped');
    } else if (sameSalesforceId(current.ownerId, item.ownerId)) {
      await settle(item, { status: 'written', detail: 'Already the owner' }, 'written');
    } else if (!item.replaceableOwnerIds.some((id) => sameSalesforceId(id, current.ownerId))) {
      await settle(
        item,
        {
          status: 'skipped',
          detail: `Owner changed to ${current.ownerId} meanwhile; a person's choice is kept`,
        },
        'skipped',
      );
    } else {
      toWrite.push(item);
    }
  }

  for (let i = 0; i < toWrite.length; i += deps.crm.maxBatch) {
    const batch = toWrite.slice(i, i + deps.crm.maxBatch);
    const updates: OwnerUpdate[] = batch.map((item) => ({
      recordId: item.recordId,
      objectType: item.objectType,
      ownerId: item.ownerId,
      reason: salesforceReason(item.reason, deps.reasonMaxLength),
      ...(item.matchedAccountId ? { matchedAccountId: item.matchedAccountId } : {}),
    }));
    const results = await callOrRetry(batch, deps, summary, pending, () => deps.crm.updateOwners(updates));
    if (!results) continue;
    const byId = new Map(results.map((r) => [r.recordId, r]));
    for (const item of batch) {
      const result = byId.get(item.recordId);
      if (result?.ok) {
        const detail = `Owner and reason written${result.note ? `; ${result.note}` : ''}`;
        await settle(item, { status: 'written', detail }, 'written');
      } else if (!result) {
        await retryOrFail(item, 'No result returned for this record', deps, summary);
        pending.delete(item);
      } else if (result.errorCode === CONVERTED_LEAD_ERROR) {
        // Converted between the check and the write: the lead is an account and contact now.
        await settle(item, { status: 'skipped', detail: SKIPPED_CONVERTED }, 'skipped');
      } else if (result.retryable) {
        await retryOrFail(item, `${result.errorCode}: ${result.message}`, deps, summary);
        pending.delete(item);
      } else {
        await settle(
          item,
          { status: 'failed', errorCode: result.errorCode, detail: result.message },
          'failed',
        );
      }
    }
  }
}

/**
 * One Salesforce call for these items. A retryable call failure reschedules them (and on a rate
 * limit stops the run); anything else is thrown.
 */
async function callOrRetry<T>(
  items: OutboxItem[],
  deps: WriteBackDeps,
  summary: WriteBackSummary,
  pending: Set<OutboxItem>,
  call: () => Promise<T>,
): Promise<T | undefined> {
  summary.calls++;
  try {
    return await call();
  } catch (error) {
    const e = asCallError(error);
    if (!e.retryable) throw error;
    for (const item of items) {
      await retryOrFail(item, `${e.errorCode ?? 'ERROR'}: ${e.message}`, deps, summary);
      pending.delete(item);
    }
    // A rate limit applies to the whole org: stop here and let a later run pick the rest up.
    if (e.errorCode === 'REQUEST_LIMIT_EXCEEDED') throw new OrgLimitReached();
    return undefined;
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
