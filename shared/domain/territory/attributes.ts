/**
 * The attributes a territory expression may test. Names follow Salesforce field names: lead
 * fields as they are, account fields under `Account.`, product interest, routing history, and
 * any custom field (`Foo__c`, `Account.Foo__c`).
 */
export type AttributeType = 'text' | 'number' | 'postal' | 'id' | 'any';

export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly source: 'lead' | 'account' | 'product' | 'history' | 'custom';
}

const define = (source: AttributeDefinition['source'], type: AttributeType, names: string[]) =>
  names.map((name): AttributeDefinition => ({ name, type, source }));

export const ATTRIBUTES: readonly AttributeDefinition[] = [
  ...define('lead', 'id', ['Id', 'OwnerId']),
  ...define('lead', 'text', [
    'FirstName',
    'LastName',
    'Name',
    'Email',
    'Phone',
    'Company',
    'Title',
    'Industry',
    'LeadSource',
    'Status',
    'Rating',
    'Street',
    'City',
    'State',
    'StateCode',
    'Country',
    'CountryCode',
    'Website',
  ]),
  ...define('lead', 'postal', ['PostalCode']),
  ...define('lead', 'number', ['Latitude', 'Longitude', 'AnnualRevenue', 'NumberOfEmployees']),
  ...define('account', 'id', ['Account.Id', 'Account.OwnerId']),
  ...define('account', 'text', [
    'Account.Name',
    'Account.Industry',
    'Account.Type',
    'Account.BillingCity',
    'Account.BillingState',
    'Account.BillingCountry',
    'Account.Website',
  ]),
  ...define('account', 'postal', ['Account.BillingPostalCode']),
  ...define('account', 'number', [
    'Account.AnnualRevenue',
    'Account.NumberOfEmployees',
    // The lead-to-account match behind the Account.* values: 0 and empty when none was found.
    'MatchedAccount.Confidence',
  ]),
  ...define('account', 'text', ['MatchedAccount.Rule']),
  ...define('product', 'text', ['ProductInterest', 'ProductCategory']),
  ...define('history', 'id', ['History.PreviousOwnerId']),
  ...define('history', 'text', ['History.PreviousTerritory']),
  ...define('history', 'number', ['History.TimesRouted']),
];

const CUSTOM_FIELD = /^(?:Account\.)?[A-Za-z][A-Za-z0-9_]*__c$/;
const byLowerName = new Map(ATTRIBUTES.map((a) => [a.name.toLowerCase(), a]));

/** The canonical definition of an attribute name (case-insensitive), or undefined when unknown. */
export function resolveAttribute(name: string): AttributeDefinition | undefined {
  const known = byLowerName.get(name.toLowerCase());
  if (known) return known;
  if (CUSTOM_FIELD.test(name)) return { name, type: 'any', source: 'custom' };
  return undefined;
}

/** For error messages: every known attribute name, and how custom fields are written. */
export function describeKnownAttributes(): string {
  return `${ATTRIBUTES.map((a) => a.name).join(', ')}, or a custom field such as Foo__c / Account.Foo__c`;
}
