import type { OutboxItem } from '../../ports/outbox.js';
import { type WriteBackDeps, type WriteBackSummary, writeBackOwners } from './write-back-owners.js';

/**
 * The sweeper: every due item, in bounded pages, until none is due or the page limit is reached.
 * A page is one ownership check (2,000 records) and its collections updates.
 */
export async function drainOutbox(
  deps: WriteBackDeps,
  options: { pageSize?: number; maxPages?: number } = {},
): Promise<WriteBackSummary> {
  const total: WriteBackSummary = { written: 0, skipped: 0, failed: 0, retrying: 0, calls: 0 };
  const pageSize = options.pageSize ?? 2000;
  for (let page = 0; page < (options.maxPages ?? 10); page++) {
    const due: OutboxItem[] = await deps.outbox.due(deps.now(), pageSize);
    if (due.length === 0) break;
    const s = await writeBackOwners(due, deps);
    total.written += s.written;
    total.skipped += s.skipped;
    total.failed += s.failed;
    total.retrying += s.retrying;
    total.calls += s.calls;
    // Everything left is waiting for its backoff: stop rather than spin on it.
    if (s.written + s.skipped + s.failed === 0 || due.length < pageSize) break;
  }
  return total;
}
