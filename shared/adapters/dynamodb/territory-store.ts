import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TerritoryModel } from '../../domain/territory/model.js';
import {
  DraftConflictError,
  type DraftRecord,
  ModelTooLargeError,
  NoDraftError,
  type ProductionPointer,
  PromoteConflictError,
  RollbackConflictError,
  type TerritoryStore,
  VersionNotFoundError,
  type VersionRecord,
  type VersionSummary,
} from '../../ports/territory-store.js';
import { keys } from './keys.js';

/**
 * Territory models in the single table: `MODEL#<id>` holds the draft (`DRAFT`), the production
 * pointer (`PRODUCTION`) and immutable versions (`VERSION#00000001`…). Models are stored as
 * gzipped JSON; a version item is written once, with `attribute_not_exists`, and never updated.
 */
export interface DynamoTerritoryStoreOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly modelId?: string;
  /** How long `getProduction` trusts its cached pointer before reading it again (default 5 s). */
  readonly pointerTtlMs?: number;
  readonly clock?: () => number;
}

/** DynamoDB items are at most 400 KB; leave room for the other attributes. */
const MAX_MODEL_BYTES = 380_000;

interface StoredModel {
  readonly model: Uint8Array;
  readonly checksum: string;
  readonly territories: number;
}

export class DynamoTerritoryStore implements TerritoryStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly modelId: string;
  private readonly pointerTtlMs: number;
  private readonly clock: () => number;
  /** Versions are immutable, so once read they are kept for the life of the container. */
  private readonly versions = new Map<number, VersionRecord>();
  private production: { record: VersionRecord | undefined; checkedAt: number } | undefined;

  constructor(options: DynamoTerritoryStoreOptions) {
    this.doc = options.doc;
    this.tableName = options.tableName;
    this.modelId = options.modelId ?? 'default';
    this.pointerTtlMs = options.pointerTtlMs ?? 5000;
    this.clock = options.clock ?? Date.now;
  }

  async getDraft(): Promise<DraftRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.territoryDraft(this.modelId),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      model: decode(Item.model),
      revision: Item.revision,
      savedAt: Item.savedAt,
      checksum: Item.checksum,
      ...(Item.savedBy ? { savedBy: Item.savedBy } : {}),
    };
  }

  async saveDraft(
    model: TerritoryModel,
    options: { savedBy?: string; expectedRevision?: number } = {},
  ): Promise<DraftRecord> {
    const stored = encode(model);
    const savedAt = this.now();
    const condition =
      options.expectedRevision === undefined
        ? {}
        : options.expectedRevision === 0
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: 'revision = :expected',
              ExpressionAttributeValues: { ':expected': options.expectedRevision },
            };
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.territoryDraft(this.modelId),
          UpdateExpression:
            'SET kind = :kind, model = :model, checksum = :checksum, territories = :territories, savedAt = :savedAt, savedBy = :savedBy ADD revision :one',
          ...condition,
          ExpressionAttributeValues: {
            ...condition.ExpressionAttributeValues,
            ':kind': 'TerritoryDraft',
            ':model': stored.model,
            ':checksum': stored.checksum,
            ':territories': stored.territories,
            ':savedAt': savedAt,
            ':savedBy': options.savedBy ?? null,
            ':one': 1,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return {
        model,
        revision: Attributes?.revision,
        savedAt,
        checksum: stored.checksum,
        ...(options.savedBy ? { savedBy: options.savedBy } : {}),
      };
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new DraftConflictError(
          `The draft was saved by someone else since revision ${options.expectedRevision}; reload it and try again`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async getPointer(): Promise<ProductionPointer | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.territoryPointer(this.modelId),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      version: Item.version,
      latestVersion: Item.latestVersion,
      updatedAt: Item.updatedAt,
      action: Item.action,
      ...(Item.updatedBy ? { updatedBy: Item.updatedBy } : {}),
    };
  }

  async promote(
    options: { promotedBy?: string; note?: string; expectedDraftRevision?: number } = {},
  ): Promise<VersionRecord> {
    const draft = await this.getDraft();
    if (!draft) throw new NoDraftError();
    if (options.expectedDraftRevision !== undefined && draft.revision !== options.expectedDraftRevision) {
      throw new DraftConflictError(
        `The draft changed (revision ${draft.revision}, expected ${options.expectedDraftRevision}); review it again before promoting`,
      );
    }
    const pointer = await this.getPointer();
    const version = (pointer?.latestVersion ?? 0) + 1;
    const promotedAt = this.now();
    const stored = encode(draft.model);
    const record: VersionRecord = {
      version,
      model: draft.model,
      promotedAt,
      checksum: stored.checksum,
      territories: stored.territories,
      ...(options.promotedBy ? { promotedBy: options.promotedBy } : {}),
      ...(options.note ? { note: options.note } : {}),
    };
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.territoryVersion(this.modelId, version),
                  kind: 'TerritoryVersion',
                  version,
                  model: stored.model,
                  checksum: stored.checksum,
                  territories: stored.territories,
                  promotedAt,
                  draftRevision: draft.revision,
                  ...(options.promotedBy ? { promotedBy: options.promotedBy } : {}),
                  ...(options.note ? { note: options.note } : {}),
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.territoryPointer(this.modelId),
                UpdateExpression:
                  'SET kind = :kind, version = :version, latestVersion = :version, updatedAt = :at, updatedBy = :by, #action = :action',
                ConditionExpression: pointer ? 'latestVersion = :previous' : 'attribute_not_exists(PK)',
                ExpressionAttributeNames: { '#action': 'action' },
                ExpressionAttributeValues: {
                  ':kind': 'TerritoryPointer',
                  ':version': version,
                  ':at': promotedAt,
                  ':by': options.promotedBy ?? null,
                  ':action': 'promote',
                  ...(pointer ? { ':previous': pointer.latestVersion } : {}),
                },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.territoryDraft(this.modelId),
                ConditionExpression: 'revision = :revision',
                ExpressionAttributeValues: { ':revision': draft.revision },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [versionPut, pointerUpdate, draftCheck] = error.CancellationReasons ?? [];
      if (draftCheck?.Code === 'ConditionalCheckFailed' && versionPut?.Code !== 'ConditionalCheckFailed') {
        throw new DraftConflictError('The draft changed while promoting; review it again before promoting', {
          cause: error,
        });
      }
      const winner = pointerUpdate?.Item?.latestVersion as { N?: string } | undefined;
      throw new PromoteConflictError(
        `Another promote published version ${winner?.N ?? version} first; check it with \`territories versions\` and promote again if the draft is still wanted`,
        { cause: error },
      );
    }
    this.versions.set(version, record);
    this.production = undefined;
    return record;
  }

  async rollback(toVersion: number, options: { by?: string } = {}): Promise<ProductionPointer> {
    const [target, pointer] = await Promise.all([this.getVersion(toVersion), this.getPointer()]);
    if (!target || !pointer) throw new VersionNotFoundError(toVersion);
    const updatedAt = this.now();
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.territoryVersion(this.modelId, toVersion),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.territoryPointer(this.modelId),
                UpdateExpression:
                  'SET version = :target, updatedAt = :at, updatedBy = :by, #action = :action',
                ConditionExpression: 'version = :current AND latestVersion = :latest',
                ExpressionAttributeNames: { '#action': 'action' },
                ExpressionAttributeValues: {
                  ':target': toVersion,
                  ':current': pointer.version,
                  ':latest': pointer.latestVersion,
                  ':at': updatedAt,
                  ':by': options.by ?? null,
                  ':action': 'rollback',
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      throw new RollbackConflictError(
        `Production moved from version ${pointer.version} while rolling back; check \`territories versions\` and try again`,
        { cause: error },
      );
    }
    this.production = undefined;
    return {
      version: toVersion,
      latestVersion: pointer.latestVersion,
      updatedAt,
      action: 'rollback',
      ...(options.by ? { updatedBy: options.by } : {}),
    };
  }

  async listVersions(): Promise<VersionSummary[]> {
    const { PK, skPrefix } = keys.territoryVersions(this.modelId);
    const summaries: VersionSummary[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
          ProjectionExpression: 'version, promotedAt, promotedBy, note, checksum, territories',
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) summaries.push(toSummary(item));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return summaries;
  }

  async getVersion(version: number): Promise<VersionRecord | undefined> {
    const cached = this.versions.get(version);
    if (cached) return cached;
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.territoryVersion(this.modelId, version) }),
    );
    if (!Item) return undefined;
    const record: VersionRecord = { ...toSummary(Item), model: decode(Item.model) };
    this.versions.set(version, record);
    return record;
  }

  async getProduction(): Promise<VersionRecord | undefined> {
    const now = this.clock();
    if (this.production && now - this.production.checkedAt < this.pointerTtlMs) return this.production.record;
    // The pointer is a small item: reading it is the cheap check; the version is read only when it moved.
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.territoryPointer(this.modelId),
        ProjectionExpression: 'version',
      }),
    );
    const record = Item ? await this.getVersion(Item.version) : undefined;
    this.production = { record, checkedAt: now };
    return record;
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }
}

function encode(model: TerritoryModel): StoredModel {
  const json = JSON.stringify(model);
  const zipped = gzipSync(json);
  if (zipped.byteLength > MAX_MODEL_BYTES) {
    throw new ModelTooLargeError(
      `The model is ${Math.round(zipped.byteLength / 1000)} kB compressed; at most ${MAX_MODEL_BYTES / 1000} kB fits in one item`,
    );
  }
  return {
    model: new Uint8Array(zipped),
    checksum: createHash('sha256').update(json).digest('hex').slice(0, 16),
    territories: model.territories.length,
  };
}

function decode(stored: unknown): TerritoryModel {
  return JSON.parse(gunzipSync(stored as Uint8Array).toString('utf8')) as TerritoryModel;
}

function toSummary(item: Record<string, unknown>): VersionSummary {
  return {
    version: item.version as number,
    promotedAt: item.promotedAt as string,
    checksum: item.checksum as string,
    territories: item.territories as number,
    ...(item.promotedBy ? { promotedBy: item.promotedBy as string } : {}),
    ...(item.note ? { note: item.note as string } : {}),
  };
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
