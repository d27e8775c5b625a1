import type { Connection } from '@jsforce/jsforce-node';
import { toSalesforceError } from './errors.js';

/** The sObjects whose optional fields the project reads. */
export type DescribedObject = 'Lead' | 'Account' | 'Opportunity' | 'User';

/**
 * Field names per org and object (lower case), described once per container: describe answers
 * only the fields that exist and that the integration user can see, which is what a query may name.
 */
const described = new Map<string, Promise<ReadonlySet<string>>>();

/** Drop described schemas (tests, or after deploying fields to the org). */
export function forgetOrgFields(): void {
  described.clear();
}

/** A required field the org lacks: a configuration problem to fix before anything is written. */
export class MissingRequiredFieldError extends Error {
  override name = 'MissingRequiredFieldError';
  constructor(
    readonly objectName: DescribedObject,
    readonly field: string,
    setting: string,
  ) {
    super(
      `${objectName}.${field} (${setting}) is not a field of this org, or the integration user cannot see it: ` +
        'deploy the salesforce/ package and assign its permission set (README "Salesforce admin guide"), ' +
        `or set ${setting} to the org's field`,
    );
  }
}

/**
 * What this org has of the fields the configuration names. Optional fields that are missing
 * degrade a feature (each caller says how, in a note); only the reason field is required.
 */
export class SalesforceOrgFields {
  constructor(private readonly connection: () => Promise<Connection>) {}

  /** Whether the object has this field (any case). */
  async has(objectName: DescribedObject, field: string): Promise<boolean> {
    return (await this.fieldsOf(objectName)).has(field.toLowerCase());
  }

  /** The subset of `fields` the object has, in the order given. */
  async present(objectName: DescribedObject, fields: readonly string[]): Promise<string[]> {
    const known = await this.fieldsOf(objectName);
    return fields.filter((f) => known.has(f.toLowerCase()));
  }

  /** Multi-currency orgs add CurrencyIsoCode to every currency-bearing object. */
  multiCurrency(): Promise<boolean> {
    return this.has('Opportunity', 'CurrencyIsoCode');
  }

  /** Orgs with person accounts have Account.IsPersonAccount; others have no such field. */
  personAccounts(): Promise<boolean> {
    return this.has('Account', 'IsPersonAccount');
  }

  /** Fail with a clear error unless the object has the field. */
  async require(objectName: DescribedObject, field: string, setting: string): Promise<void> {
    if (!(await this.has(objectName, field))) throw new MissingRequiredFieldError(objectName, field, setting);
  }

  private async fieldsOf(objectName: DescribedObject): Promise<ReadonlySet<string>> {
    const conn = await this.connection();
    const key = `${conn.userInfo?.organizationId ?? ''}|${conn.instanceUrl}|${objectName}`;
    let pending = described.get(key);
    if (!pending) {
      pending = describe(conn, objectName);
      described.set(key, pending);
      // A failed describe must not stick: the next caller asks again.
      pending.catch(() => {
        if (described.get(key) === pending) described.delete(key);
      });
    }
    return pending;
  }
}

async function describe(conn: Connection, objectName: DescribedObject): Promise<ReadonlySet<string>> {
  try {
    const result = await conn.sobject(objectName).describe();
    return new Set(result.fields.map((f) => f.name.toLowerCase()));
  } catch (error) {
    throw toSalesforceError(error);
  }
}

/** The note a feature leaves when an optional field is missing. */
export function missingFieldNote(objectName: DescribedObject, field: string, consequence: string): string {
  return `${objectName}.${field} is not in this org (or not visible to the integration user): ${consequence}`;
}
