/**
 * Territory model, rule engine and distribution — the public surface.
 *
 *   const result = validateTerritoryConfigText(yaml, { postalCentroid, plugins });
 *   const model = compileModel(result.model, { postalCentroid, plugins });
 *   const match = model.match(lead);
 *   const decision = distribute(model, match, lead, snapshot, { now, headroom });
 *   // store decision.stateChange with `version = expectedVersion`; on a capacity failure try decision.candidates[1]…
 */
export { ATTRIBUTES, type AttributeDefinition, type AttributeType, resolveAttribute } from './attributes.js';
export {
  type CompileDependencies,
  type CompiledGroup,
  type CompiledModel,
  type CompiledRep,
  type CompiledTerritory,
  compileModel,
  type MatchResult,
  type OwnerInfo,
} from './compile-model.js';
export { validateTerritoryConfigText } from './config-file.js';
export { type TerritoryConfig, type TerritoryConfigInput, territoryConfigSchema } from './config-schema.js';
export { diffModels, formatModelDiff, type ModelDiff } from './diff.js';
export {
  type Candidate,
  type Decision,
  type DecisionTrace,
  type DistributionContext,
  distribute,
  type HeadroomLookup,
  type SkippedRep,
  type SkipReason,
} from './distribution.js';
export {
  applyStateChange,
  countKey,
  type DistributionSnapshot,
  type DistributionStateChange,
  EMPTY_SNAPSHOT,
  StaleSnapshotError,
  turnKey,
} from './distribution-state.js';
export { type Criterion, type Expression, expressionSchema, OPERATORS, type Operator } from './expression.js';
export { compileExpression } from './expression-compile.js';
export {
  type ExpressionError,
  ExpressionSyntaxError,
  formatExpression,
  parseExpression,
  parseExpressionOrThrow,
} from './expression-text.js';
export { distanceMiles, type GeoPoint, type PostalCentroidLookup } from './geo.js';
export type { FieldValue, Lead } from './lead.js';
export type * from './model.js';
export { normaliseCompanyName, normaliseDomain } from './named-account.js';
export {
  BUILT_IN_PLUGINS,
  type CustomDistribution,
  type CustomRadiusRule,
  type DistributionPlugins,
} from './plugins.js';
export { forwardSortationArea, normalisePostalCode } from './postal.js';
export {
  coefficientOfVariation,
  formatSimulationReport,
  type ModelRun,
  type SimulationReport,
  simulate,
} from './simulation.js';
export {
  formatProblem,
  type ModelProblem,
  TerritoryModelError,
  type ValidationOptions,
  type ValidationResult,
  validateTerritoryConfig,
} from './validate.js';
