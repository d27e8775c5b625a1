import type { SalesforceEmulator as Emulator } from './server.js';

export { DEFAULT_EMULATOR_CREDENTIALS, type EmulatorCredentials } from './auth.js';
export type { SaveError, SaveResult } from './dml.js';
export type { FaultSettings, FaultState, FaultSwitches } from './faults.js';
export { PACKAGE_SOURCE, type PackageFieldSet, packageCustomFields } from './package-fields.js';
export type { QueryRecord } from './query.js';
export {
  type CustomFields,
  type FieldType,
  type FieldValue,
  type OrgCurrencies,
  type SalesforceRecord,
  type SeedData,
  type SeedRecord,
  SOBJECT_TYPES,
  type SObjectType,
} from './schema.js';
export {
  type ApiUsage,
  type CallCounts,
  type CallKind,
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
  startSalesforceEmulator,
} from './server.js';
export type { RecordStore } from './store.js';
export { toSalesforceDateTime } from './values.js';

/** Connection options for the one jsforce factory, logging in to this emulator (client credentials). */
export function emulatorConnectionOptions(
  sf: Pick<Emulator, 'loginUrl' | 'credentials'>,
  apiVersion = '62.0',
) {
  return {
    loginUrl: sf.loginUrl,
    clientId: sf.credentials.clientId,
    clientSecret: sf.credentials.clientSecret,
    apiVersion,
  };
}
