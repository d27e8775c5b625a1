import {
  EXISTING_RECORD_FIELDS,
  normaliseEmail,
  pickExistingRecord,
} from '../../domain/accounts/existing-owner.js';
import type { DuplicateRule, ExistingRecordKind } from '../../domain/territory/model.js';
import type { DuplicateIndexStore, PersonSource } from '../../ports/duplicate-index.js';
import type { LeadFields } from '../../ports/lead-router.js';
import { type AccountSyncSummary, syncIndex } from './sync.js';

/** The duplicate index's sync: leads, then contacts, each with its own resume point. */
export interface DuplicateSyncDeps {
  sources: Record<ExistingRecordKind, PersonSource>;
  indexes: Record<ExistingRecordKind, DuplicateIndexStore>;
  now: () => Date;
  newId: () => string;
}

export type DuplicateSyncSummary = Record<ExistingRecordKind, AccountSyncSummary>;

export async function syncDuplicateIndex(
  deps: DuplicateSyncDeps,
  requested: 'full' | 'incremental',
): Promise<DuplicateSyncSummary> {
  const run = (kind: ExistingRecordKind) =>
    syncIndex(
      { source: deps.sources[kind], index: deps.indexes[kind], now: deps.now, newId: deps.newId },
      requested,
    );
  const lead = await run('lead');
  const contact = await run('contact');
  return { lead, contact };
}

/**
 * Intake's duplicate lookup: one indexed read by the lead's e-mail hash; the record found (never the
 * lead itself) becomes the lead attributes the duplicate rule reads.
 */
export function existingRecordFinder(index: Pick<DuplicateIndexStore, 'lookup'>) {
  return async (fields: LeadFields, rule: DuplicateRule): Promise<LeadFields> => {
    const email = normaliseEmail(fields.Email);
    if (!email) return fields;
    const found = pickExistingRecord(
      await index.lookup(email, rule.match),
      fields.Id ?? undefined,
      rule.match,
    );
    if (!found) return fields;
    return {
      ...fields,
      [EXISTING_RECORD_FIELDS.ownerId]: found.ownerId,
      [EXISTING_RECORD_FIELDS.recordId]: found.recordId,
      [EXISTING_RECORD_FIELDS.kind]: found.kind,
    };
  };
}
