import { validateTerritoryConfigText } from '../../domain/territory/config-file.js';
import { type Checked, TerritoryModelError, type ValidationResult } from '../../domain/territory/validate.js';
import {
  type DraftRecord,
  NothingToPromoteError,
  type ProductionPointer,
  type VersionRecord,
  type VersionSummary,
} from '../../ports/territory-store.js';
import { compileStoredModel, type ModelDeps, modelOptions, type TerritoryDeps } from './deps.js';

/** Check a config file's text; needs no database. */
export function validateTerritoryFile(deps: ModelDeps, text: string): ValidationResult {
  return validateTerritoryConfigText(text, modelOptions(deps));
}

export type PushResult = Checked<{ readonly draft: DraftRecord }>;

/** Validate a config file and make it the draft; nothing is written when it has problems. */
export async function pushDraft(
  deps: TerritoryDeps,
  input: { text: string; savedBy?: string; expectedRevision?: number },
): Promise<PushResult> {
  const result = validateTerritoryFile(deps, input.text);
  if (!result.ok) return result;
  const draft = await deps.store.saveDraft(result.model, {
    ...(input.savedBy ? { savedBy: input.savedBy } : {}),
    ...(input.expectedRevision === undefined ? {} : { expectedRevision: input.expectedRevision }),
  });
  return { ok: true, draft, warnings: result.warnings };
}

/**
 * Publish the draft as the next production version. The draft is re-validated first (plug-ins
 * or postal data may have changed since it was pushed); the store settles concurrent promotes.
 */
export async function promoteDraft(
  deps: TerritoryDeps,
  input: { promotedBy?: string; note?: string } = {},
): Promise<VersionRecord> {
  const [draft, pointer] = await Promise.all([deps.store.getDraft(), deps.store.getPointer()]);
  if (draft) compileStoredModel(draft.model, deps);
  // Promoting what production already runs would only add a confusing duplicate version.
  const production = pointer ? await deps.store.getVersion(pointer.version) : undefined;
  if (draft && production?.checksum === draft.checksum) throw new NothingToPromoteError(production.version);
  return deps.store.promote({ ...input, ...(draft ? { expectedDraftRevision: draft.revision } : {}) });
}

export function rollbackProduction(
  deps: TerritoryDeps,
  input: { toVersion: number; by?: string },
): Promise<ProductionPointer> {
  return deps.store.rollback(input.toVersion, input.by ? { by: input.by } : {});
}

export interface VersionListing {
  readonly versions: readonly (VersionSummary & { readonly production: boolean })[];
  readonly pointer?: ProductionPointer;
  readonly draft?: {
    readonly revision: number;
    readonly savedAt: string;
    readonly savedBy?: string;
    readonly checksum: string;
  };
}

export async function listTerritoryVersions(deps: TerritoryDeps): Promise<VersionListing> {
  const [versions, pointer, draft] = await Promise.all([
    deps.store.listVersions(),
    deps.store.getPointer(),
    deps.store.getDraft(),
  ]);
  return {
    versions: versions.map((v) => ({ ...v, production: v.version === pointer?.version })),
    ...(pointer ? { pointer } : {}),
    ...(draft
      ? {
          draft: {
            revision: draft.revision,
            savedAt: draft.savedAt,
            checksum: draft.checksum,
            ...(draft.savedBy ? { savedBy: draft.savedBy } : {}),
          },
        }
      : {}),
  };
}

/**
 * First start of a stack: when production has no version yet, push the example file and promote
 * it. Later starts leave the model alone (it may have been edited since).
 */
export async function ensureProductionModel(
  deps: TerritoryDeps,
  input: { text: string; by?: string },
): Promise<{ created: boolean; version: number }> {
  const pointer = await deps.store.getPointer();
  if (pointer) return { created: false, version: pointer.version };
  const pushed = await pushDraft(deps, { text: input.text, ...(input.by ? { savedBy: input.by } : {}) });
  if (!pushed.ok) throw new TerritoryModelError(pushed.problems);
  const version = await promoteDraft(deps, {
    note: 'initial model',
    ...(input.by ? { promotedBy: input.by } : {}),
  });
  return { created: true, version: version.version };
}
