import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type ExistingRecord, normaliseEmail } from '../../domain/accounts/existing-owner.js';
import type { ExistingRecordKind } from '../../domain/territory/model.js';
import type { AccountSyncState } from '../../ports/account-index.js';
import type { DuplicateIndexStore, SyncedPerson } from '../../ports/duplicate-index.js';
import { batchWrite, deletes, puts } from './batch.js';
import { gsi1, keys } from './keys.js';
import { queryItems } from './query.js';

/**
 * The duplicate index in the single table: one item per open lead or contact owned by a user, found
 * through GSI1 by a SHA-256 of the normalised e-mail. The item keeps only what routing needs — the
 * record id, its kind, its owner — never the e-mail. Items sit in sweep shards so a full load can list
 * what it did not see, and a record is removed by id alone (deleted, converted, e-mail gone).
 */

const SWEEP_SHARDS = 16;
// An e-mail shared by more records than this (a role address) is read only this far.
const MAX_RECORDS_PER_EMAIL = 100;

const recordCodec = z.object({
  recordId: z.string(),
  kind: z.enum(['lead', 'contact']),
  ownerId: z.string(),
  systemModstamp: z.string(),
  loadId: z.string().optional(),
});

const syncStateCodec = z.object({
  lastModstamp: z.string().optional(),
  deletionsCheckedUntil: z.string(),
  fullLoadAt: z.string().optional(),
  loadId: z.string().optional(),
});

/** The index key of an e-mail: a hash of its normalised form (trimmed, lower case). */
export function emailHash(email: string): string | undefined {
  const normalised = normaliseEmail(email);
  return normalised ? createHash('sha256').update(`email:${normalised}`, 'utf8').digest('hex') : undefined;
}

/** One index over one kind of record (the sync state is per kind; lookups read every kind). */
export class DynamoDuplicateIndex implements DuplicateIndexStore {
  constructor(
    private readonly deps: { doc: DynamoDBDocumentClient; tableName: string; kind?: ExistingRecordKind },
  ) {}

  /** The same table, syncing leads or contacts. */
  of(kind: ExistingRecordKind): DynamoDuplicateIndex {
    return new DynamoDuplicateIndex({ ...this.deps, kind });
  }

  async lookup(email: string, kinds: readonly ExistingRecordKind[]): Promise<ExistingRecord[]> {
    const hash = emailHash(email);
    if (!hash || kinds.length === 0) return [];
    const found: ExistingRecord[] = [];
    for await (const item of queryItems(this.deps.doc, {
      TableName: this.deps.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': gsi1.duplicateEmail(hash, '', '').GSI1PK },
    })) {
      const { loadId: _, ...record } = recordCodec.parse(item);
      if (kinds.includes(record.kind)) found.push(record);
      if (found.length >= MAX_RECORDS_PER_EMAIL) break;
    }
    return found;
  }

  async upsert(records: readonly SyncedPerson[], loadId?: string): Promise<void> {
    const items: Record<string, unknown>[] = [];
    const gone: string[] = [];
    for (const r of records) {
      const hash = r.email ? emailHash(r.email) : undefined;
      // Only an open record owned by a user can route a duplicate; anything else leaves the index.
      if (!hash || !r.open || !r.ownerId?.startsWith('005')) {
        gone.push(r.recordId);
        continue;
      }
      items.push({
        ...keys.duplicateRecord(shardOf(r.recordId), r.recordId),
        ...gsi1.duplicateEmail(hash, r.kind, r.recordId),
        recordId: r.recordId,
        kind: r.kind,
        ownerId: r.ownerId,
        systemModstamp: r.systemModstamp,
        ...(loadId ? { loadId } : {}),
      });
    }
    await batchWrite(this.deps.doc, this.deps.tableName, puts(items));
    await this.remove(gone);
  }

  async remove(recordIds: readonly string[]): Promise<number> {
    const unique = [...new Set(recordIds)];
    await batchWrite(
      this.deps.doc,
      this.deps.tableName,
      deletes(unique.map((id) => keys.duplicateRecord(shardOf(id), id))),
    );
    return unique.length;
  }

  async removeNotLoaded(loadId: string): Promise<number> {
    const kind = this.kind();
    const unseen: string[] = [];
    for (let shard = 0; shard < SWEEP_SHARDS; shard++) {
      for await (const item of queryItems(this.deps.doc, {
        TableName: this.deps.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.duplicateRecord(shard, '').PK },
        ProjectionExpression: 'SK, kind, loadId',
      })) {
        if (item.kind === kind && item.loadId !== loadId) unseen.push(String(item.SK));
      }
    }
    return this.remove(unseen);
  }

  async readSyncState(): Promise<AccountSyncState | undefined> {
    const out = await this.deps.doc.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: keys.duplicateSyncState(this.kind()),
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return undefined;
    const { lastModstamp, deletionsCheckedUntil, fullLoadAt, loadId } = syncStateCodec.parse(out.Item);
    return {
      deletionsCheckedUntil,
      ...(lastModstamp ? { lastModstamp } : {}),
      ...(fullLoadAt ? { fullLoadAt } : {}),
      ...(loadId ? { loadId } : {}),
    };
  }

  async writeSyncState(state: AccountSyncState): Promise<void> {
    await this.deps.doc.send(
      new PutCommand({
        TableName: this.deps.tableName,
        Item: { ...keys.duplicateSyncState(this.kind()), ...state },
      }),
    );
  }

  private kind(): ExistingRecordKind {
    if (!this.deps.kind)
      throw new Error('A duplicate index syncs one kind of record: use .of("lead" | "contact")');
    return this.deps.kind;
  }
}

function shardOf(recordId: string): number {
  let hash = 0;
  for (let i = 0; i < recordId.length; i++) hash = (hash * 31 + recordId.charCodeAt(i)) >>> 0;
  return hash % SWEEP_SHARDS;
}
