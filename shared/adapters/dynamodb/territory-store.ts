import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type DynamoDBDocumentClient,
  GetCommand,
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
import { conditionalWrite } from './conditions.js';
import { territoryDraftItem, territoryPointerItem, territoryVersionItem } from './items.js';
import { keys } from './keys.js';
import { getItem, prefixQuery, queryItems } from './query.js';

/**
 * Territory models in the single table: `MODEL#<id>` holds the draft (`DRAFT`), the production
 * pointer (`PRODUCTION`) and immutable versions (`VERSION#00000001`…). Models are stored as
 * gzipped JSON; a version item is written once, with `attribute_not_exists`, and never updated.
 */
export interface DynamoTerritoryStoreOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly modelId?: string;
  /** How long `productionVersion` trusts the pointer it read before reading it again (default 5 s). */
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
  private pointerRead: { version: number | undefined; checkedAt: number } | undefined;

  constructor(options: DynamoTerritoryStoreOptions) {
    this.doc = options.doc;
    this.tableName = options.tableName;
    this.modelId = options.modelId ?? 'default';
    this.pointerTtlMs = options.pointerTtlMs ?? 5000;
    this.clock = options.clock ?? Date.now;
  }

  async getDraft(): Promise<DraftRecord | undefined> {
    const item = await getItem(this.doc, this.tableName, territoryDraftItem.key(this.modelId));
    if (!item) return undefined;
    const draft = territoryDraftItem.fromItem(item);
    return {
      model: decode(draft.model),
      revision: draft.revision,
      savedAt: draft.savedAt,
      checksum: draft.checksum,
      ...(draft.savedBy ? { savedBy: draft.savedBy } : {}),
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
    const saved = await conditionalWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: territoryDraftItem.key(this.modelId),
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
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    if (!saved.ok) {
      throw new DraftConflictError(
        `The draft was saved by someone else since revision ${options.expectedRevision}; reload it and try again`,
      );
    }
    return {
      model,
      revision: territoryDraftItem.fromItem(saved.output.Attributes).revision,
      savedAt,
      checksum: stored.checksum,
      ...(options.savedBy ? { savedBy: options.savedBy } : {}),
    };
  }

  async getPointer(): Promise<ProductionPointer | undefined> {
    const item = await getItem(this.doc, this.tableName, territoryPointerItem.key(this.modelId));
    if (!item) return undefined;
    const pointer = territoryPointerItem.fromItem(item);
    return {
      version: pointer.version,
      latestVersion: pointer.latestVersion,
      updatedAt: pointer.updatedAt,
      action: pointer.action,
      ...(pointer.updatedBy ? { updatedBy: pointer.updatedBy } : {}),
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
    const written = await conditionalWrite(() =>
      this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: territoryVersionItem.toItem([this.modelId, version], {
                  kind: 'TerritoryVersion',
                  version,
                  ...stored,
                  promotedAt,
                  draftRevision: draft.revision,
                  promotedBy: options.promotedBy || undefined,
                  note: options.note || undefined,
                }),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: territoryPointerItem.key(this.modelId),
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
                Key: territoryDraftItem.key(this.modelId),
                ConditionExpression: 'revision = :revision',
                ExpressionAttributeValues: { ':revision': draft.revision },
              },
            },
          ],
        }),
      ),
    );
    if (!written.ok) {
      const [versionPut, pointerUpdate, draftCheck] = [0, 1, 2].map((i) =>
        written.refused.failed.includes(i),
      );
      if (draftCheck && !versionPut) {
        throw new DraftConflictError('The draft changed while promoting; review it again before promoting');
      }
      const winner = pointerUpdate ? written.refused.items.get(1)?.latestVersion : undefined;
      throw new PromoteConflictError(
        `Another promote published version ${String(winner ?? version)} first; check it with \`territories versions\` and promote again if the draft is still wanted`,
      );
    }
    this.pointerRead = undefined;
    return record;
  }

  async rollback(toVersion: number, options: { by?: string } = {}): Promise<ProductionPointer> {
    const [target, pointer] = await Promise.all([this.getVersion(toVersion), this.getPointer()]);
    if (!target || !pointer) throw new VersionNotFoundError(toVersion);
    const updatedAt = this.now();
    const written = await conditionalWrite(() =>
      this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: territoryVersionItem.key(this.modelId, toVersion),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: territoryPointerItem.key(this.modelId),
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
      ),
    );
    if (!written.ok) {
      throw new RollbackConflictError(
        `Production moved from version ${pointer.version} while rolling back; check \`territories versions\` and try again`,
      );
    }
    this.pointerRead = undefined;
    return {
      version: toVersion,
      latestVersion: pointer.latestVersion,
      updatedAt,
      action: 'rollback',
      ...(options.by ? { updatedBy: options.by } : {}),
    };
  }

  async listVersions(): Promise<VersionSummary[]> {
    const summary = territoryVersionItem.picking(
      'version',
      'promotedAt',
      'promotedBy',
      'note',
      'checksum',
      'territories',
    );
    const summaries: VersionSummary[] = [];
    for await (const item of queryItems(this.doc, {
      ...prefixQuery(this.tableName, keys.territoryVersions(this.modelId)),
      ...summary.input,
    })) {
      summaries.push(toSummary(summary.fromItem(item)));
    }
    return summaries;
  }

  async getVersion(version: number): Promise<VersionRecord | undefined> {
    const item = await getItem(this.doc, this.tableName, territoryVersionItem.key(this.modelId, version), {
      immutable: true,
    });
    if (!item) return undefined;
    const stored = territoryVersionItem.fromItem(item);
    return { ...toSummary(stored), model: decode(stored.model) };
  }

  async productionVersion(): Promise<number | undefined> {
    const now = this.clock();
    if (this.pointerRead && now - this.pointerRead.checkedAt < this.pointerTtlMs)
      return this.pointerRead.version;
    // The pointer is a small item: reading it is the cheap check; callers read the version when it moved.
    const pointer = territoryPointerItem.picking('version');
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: territoryPointerItem.key(this.modelId),
        ...pointer.input,
      }),
    );
    const version = Item ? pointer.fromItem(Item).version : undefined;
    this.pointerRead = { version, checkedAt: now };
    return version;
  }

  async getProduction(): Promise<VersionRecord | undefined> {
    const version = await this.productionVersion();
    return version === undefined ? undefined : this.getVersion(version);
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

/** The model as it was pushed; the store validated it then, and the caller validates it again before routing. */
function decode(stored: Uint8Array): TerritoryModel {
  return JSON.parse(gunzipSync(stored).toString('utf8')) as TerritoryModel;
}

function toSummary(
  stored: Omit<VersionSummary, 'promotedBy' | 'note'> & { promotedBy?: string; note?: string },
): VersionSummary {
  return {
    version: stored.version,
    promotedAt: stored.promotedAt,
    checksum: stored.checksum,
    territories: stored.territories,
    ...(stored.promotedBy ? { promotedBy: stored.promotedBy } : {}),
    ...(stored.note ? { note: stored.note } : {}),
  };
}
