import type { TerritoryModel } from '../domain/territory/model.js';

/**
 * Where territory models live: one editable draft, immutable numbered versions, and a production
 * pointer that promote moves forward and rollback moves to any earlier version.
 */
export interface DraftRecord {
  readonly model: TerritoryModel;
  /** Increases with every save; promote checks it so a draft edited meanwhile is not published half-reviewed. */
  readonly revision: number;
  readonly savedAt: string;
  readonly savedBy?: string;
  readonly checksum: string;
}

export interface VersionSummary {
  readonly version: number;
  readonly promotedAt: string;
  readonly promotedBy?: string;
  readonly note?: string;
  readonly checksum: string;
  readonly territories: number;
}

export interface VersionRecord extends VersionSummary {
  readonly model: TerritoryModel;
}

export interface ProductionPointer {
  readonly version: number;
  /** The highest version ever promoted; the next promote creates latestVersion + 1. */
  readonly latestVersion: number;
  readonly updatedAt: string;
  readonly updatedBy?: string;
  readonly action: 'promote' | 'rollback';
}

export interface TerritoryStore {
  getDraft(): Promise<DraftRecord | undefined>;
  /** Replace the draft; with `expectedRevision`, only if nobody saved since (else DraftConflictError). */
  saveDraft(
    model: TerritoryModel,
    options?: { savedBy?: string; expectedRevision?: number },
  ): Promise<DraftRecord>;
  /**
   * Publish the draft as the next immutable version and point production at it, atomically.
   * Two concurrent promotes: one wins, the other gets PromoteConflictError.
   */
  promote(options?: {
    promotedBy?: string;
    note?: string;
    expectedDraftRevision?: number;
  }): Promise<VersionRecord>;
  /** Point production at an earlier (or any existing) version. */
  rollback(toVersion: number, options?: { by?: string }): Promise<ProductionPointer>;
  getPointer(): Promise<ProductionPointer | undefined>;
  listVersions(): Promise<VersionSummary[]>;
  getVersion(version: number): Promise<VersionRecord | undefined>;
  /**
   * The version number production points at: a small read, trusted for a few seconds, so routing can
   * check it per message and read (and compile) a version only when production moved.
   */
  productionVersion(): Promise<number | undefined>;
  /** The version production points at, read now. */
  getProduction(): Promise<VersionRecord | undefined>;
}

export class PromoteConflictError extends Error {
  override name = 'PromoteConflictError';
  constructor(
    message = 'Another promote published a version at the same time; review the new production version and promote again',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class NothingToPromoteError extends Error {
  override name = 'NothingToPromoteError';
  constructor(readonly version: number) {
    super(`The draft is identical to production (version ${version}); nothing to promote`);
  }
}

export class RollbackConflictError extends Error {
  override name = 'RollbackConflictError';
}

export class DraftConflictError extends Error {
  override name = 'DraftConflictError';
}

export class NoDraftError extends Error {
  override name = 'NoDraftError';
  constructor() {
    super('There is no draft to promote; push a config file first');
  }
}

export class VersionNotFoundError extends Error {
  override name = 'VersionNotFoundError';
  constructor(readonly version: number) {
    super(`Version ${version} does not exist`);
  }
}

export class ModelTooLargeError extends Error {
  override name = 'ModelTooLargeError';
}
