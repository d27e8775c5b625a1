import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';
import * as z from 'zod';
import { accountKeys, type PreparedAccount, prepareAccount } from '../../domain/accounts/lookup-keys.js';
import type { AccountIndexStore, AccountSyncState, SyncedAccount } from '../../ports/account-index.js';
import { batchGet, batchGetByKey, batchWrite, deletes, puts } from './batch.js';
import { keys } from './keys.js';
import { getItem, queryItems } from './query.js';

/**
 * The lead-to-account index in the single table, sized for a million accounts: each account is
 * one item plus one small item per lookup key (`ACCTKEY#d:acme.com` → account), so matching a lead
 * queries a handful of key partitions instead of loading the index. Entries are written before the
 * account item that lists them, so a sync interrupted half-way is repaired by the next one.
 *
 * Most keys a lead asks for (typo keys above all) have no account. Each filed key also has a marker
 * item, so the keys of every lead matched at once are first checked in batched reads of 100 and only
 * filed keys are queried: a 100-lead message costs a few hundred reads instead of ~1,500 queries.
 */

// A key shared by more accounts than this is read only this far (e.g. a holding's domain).
const MAX_ACCOUNTS_PER_KEY = 1000;
// An index without markers (filed before they existed) is checked again this often; a full load adds them.
const MARKERS_RECHECK_MS = 60_000;
// Account items spread over this many GSI1 partitions so a full load's sweep can list them without a hot key.
const SWEEP_SHARDS = 16;

const accountCodec = z.object({
  id: z.string(),
  name: z.string(),
  website: z.string().optional(),
  country: z.string().optional(),
  postalCode: z.string().optional(),
  ownerId: z.string().optional(),
  ownerActive: z.boolean().optional(),
  type: z.string().optional(),
  industry: z.string().optional(),
  parentId: z.string().optional(),
});

const accountItemCodec = z.object({
  account: accountCodec,
  systemModstamp: z.string(),
  lookupKeys: z.array(z.string()),
  loadId: z.string().optional(),
});

const lookupItemCodec = z.object({ account: accountCodec });

const syncStateCodec = z.object({
  lastModstamp: z.string().optional(),
  deletionsCheckedUntil: z.string(),
  fullLoadAt: z.string().optional(),
  loadId: z.string().optional(),
});

export class DynamoAccountIndex implements AccountIndexStore {
  /** Which keys have accounts: lookups started together (the leads of one message) share batched reads. */
  private readonly filed = new DataLoader<string, boolean>((lookupKeys) => this.keysFiled(lookupKeys), {
    cache: false,
    maxBatchSize: 100,
  });
  private markersComplete = false;
  private markersCheck?: { at: number; complete: Promise<boolean> };

  constructor(private readonly deps: { doc: DynamoDBDocumentClient; tableName: string }) {}

  async lookup(lookupKeys: string[]): Promise<PreparedAccount[][]> {
    const filed = (await this.hasMarkers())
      ? await this.filed.loadMany(lookupKeys)
      : lookupKeys.map(() => true);
    const lists = await Promise.all(
      lookupKeys.map((key, i) => {
        const isFiled = filed[i];
        if (isFiled instanceof Error) throw isFiled;
        return isFiled ? this.accountsFiledUnder(key) : [];
      }),
    );
    return lists.filter((l) => l.length > 0);
  }

  private async accountsFiledUnder(lookupKey: string): Promise<PreparedAccount[]> {
    const found: PreparedAccount[] = [];
    const { PK, afterSK } = keys.accountLookups(lookupKey);
    for await (const item of queryItems(this.deps.doc, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'PK = :pk AND SK > :marker',
      ExpressionAttributeValues: { ':pk': PK, ':marker': afterSK },
    })) {
      found.push(prepareAccount(stripUndefined(lookupItemCodec.parse(item).account)));
      if (found.length >= MAX_ACCOUNTS_PER_KEY) break;
    }
    return found;
  }

  private async keysFiled(lookupKeys: readonly string[]): Promise<boolean[]> {
    const marked = await batchGetByKey(
      this.deps.doc,
      this.deps.tableName,
      lookupKeys.map((key) => keys.accountLookupMarker(key)),
    );
    return lookupKeys.map((key) => marked(keys.accountLookupMarker(key)) !== undefined);
  }

  /** Whether every filed key has its marker; until a full load says so, every key is queried. */
  private async hasMarkers(): Promise<boolean> {
    if (this.markersComplete) return true;
    if (!this.markersCheck || Date.now() - this.markersCheck.at > MARKERS_RECHECK_MS) {
      const complete = getItem(this.deps.doc, this.deps.tableName, keys.accountLookupMarkersComplete()).then(
        (item) => item !== undefined,
        (error: unknown) => {
          this.markersCheck = undefined;
          throw error;
        },
      );
      this.markersCheck = { at: Date.now(), complete };
    }
    this.markersComplete = await this.markersCheck.complete;
    return this.markersComplete;
  }

  async upsert(accounts: readonly SyncedAccount[], loadId?: string): Promise<void> {
    if (accounts.length === 0) return;
    const previous = await this.filedKeys(accounts.map((a) => a.id));
    const entries: Record<string, unknown>[] = [];
    const markers = new Map<string, Record<string, unknown>>();
    const stale: { PK: string; SK: string }[] = [];
    const items: Record<string, unknown>[] = [];
    for (const synced of accounts) {
      const { systemModstamp, ...account } = synced;
      const current = accountKeys(prepareAccount(account));
      for (const key of current) {
        entries.push({ ...keys.accountLookup(key, account.id), account: stripUndefined(account) });
        markers.set(key, { ...keys.accountLookupMarker(key) });
      }
      for (const key of previous.get(account.id) ?? []) {
        if (!current.includes(key)) stale.push(keys.accountLookup(key, account.id));
      }
      items.push({
        ...keys.account(account.id),
        GSI1PK: sweepPartition(account.id),
        GSI1SK: account.id,
        account: stripUndefined(account),
        systemModstamp,
        lookupKeys: current,
        ...(loadId ? { loadId } : {}),
      });
    }
    // Markers first: a marker without accounts costs a lookup one query; accounts without one would be missed.
    // A key's last account leaving keeps its marker for the same reason.
    await batchWrite(this.deps.doc, this.deps.tableName, puts([...markers.values()]));
    await batchWrite(this.deps.doc, this.deps.tableName, puts(entries));
    await batchWrite(this.deps.doc, this.deps.tableName, deletes(stale));
    await batchWrite(this.deps.doc, this.deps.tableName, puts(items));
  }

  async remove(accountIds: readonly string[]): Promise<number> {
    const filed = await this.filedKeys(accountIds);
    const doomed: { PK: string; SK: string }[] = [];
    for (const [id, lookupKeys] of filed) {
      for (const key of lookupKeys) doomed.push(keys.accountLookup(key, id));
    }
    await batchWrite(this.deps.doc, this.deps.tableName, deletes(doomed));
    await batchWrite(
      this.deps.doc,
      this.deps.tableName,
      deletes([...filed.keys()].map((id) => keys.account(id))),
    );
    return filed.size;
  }

  async removeNotLoaded(loadId: string): Promise<number> {
    const unseen: string[] = [];
    for (let shard = 0; shard < SWEEP_SHARDS; shard++) {
      for await (const item of queryItems(this.deps.doc, {
        TableName: this.deps.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': `ACCOUNTS#${shard}` },
        ProjectionExpression: 'GSI1SK, loadId',
      })) {
        if (item.loadId !== loadId) unseen.push(String(item.GSI1SK));
      }
    }
    const removed = unseen.length === 0 ? 0 : await this.remove(unseen);
    // The end of a full load: every account left was filed by it, markers included.
    await this.deps.doc.send(
      new PutCommand({
        TableName: this.deps.tableName,
        Item: { ...keys.accountLookupMarkersComplete(), loadId },
      }),
    );
    return removed;
  }

  async readSyncState(): Promise<AccountSyncState | undefined> {
    const out = await this.deps.doc.send(
      new GetCommand({ TableName: this.deps.tableName, Key: keys.accountSyncState(), ConsistentRead: true }),
    );
    return out.Item ? stripUndefined(syncStateCodec.parse(out.Item)) : undefined;
  }

  async writeSyncState(state: AccountSyncState): Promise<void> {
    await this.deps.doc.send(
      new PutCommand({ TableName: this.deps.tableName, Item: { ...keys.accountSyncState(), ...state } }),
    );
  }

  /** Test and CLI helper: one account as stored, or undefined. */
  async get(accountId: string): Promise<SyncedAccount | undefined> {
    const out = await this.deps.doc.send(
      new GetCommand({ TableName: this.deps.tableName, Key: keys.account(accountId), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const item = accountItemCodec.parse(out.Item);
    return { ...stripUndefined(item.account), systemModstamp: item.systemModstamp };
  }

  /** Forget the sync position (the next sync is a full load). */
  async resetSyncState(): Promise<void> {
    await this.deps.doc.send(
      new DeleteCommand({ TableName: this.deps.tableName, Key: keys.accountSyncState() }),
    );
  }

  private async filedKeys(accountIds: readonly string[]): Promise<Map<string, string[]>> {
    const items = await batchGet(
      this.deps.doc,
      this.deps.tableName,
      accountIds.map((id) => keys.account(id)),
    );
    return new Map(
      items.map((raw) => {
        const item = accountItemCodec.parse(raw);
        return [item.account.id, item.lookupKeys];
      }),
    );
  }
}

function sweepPartition(accountId: string): string {
  let hash = 0;
  for (let i = 0; i < accountId.length; i++) hash = (hash * 31 + accountId.charCodeAt(i)) >>> 0;
  return `ACCOUNTS#${hash % SWEEP_SHARDS}`;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
