import { criteriaOf, type Expression } from '../territory/expression.js';
import type { TerritoryModel } from '../territory/model.js';

/**
 * What an audit record keeps of the lead it routed: an allow-list, not a deny-list, so a field
 * nobody thought of (a custom `Mobile__c`, a new standard field) is never stored by accident.
 * Kept: ids, the fixed routing set, and the attributes the production model's rules read — enough
 * to replay intake history against a draft model. The e-mail keeps only its domain.
 */
export const FIXED_ROUTED_ATTRIBUTES = [
  'Id',
  'OwnerId',
  'PostalCode',
  'Country',
  'CountryCode',
  'State',
  'StateCode',
  'Company',
  'Email',
  'ProductInterest',
] as const;

/** Who the person is: never stored, even when a rule reads it. */
const PERSONAL_FIELDS = new Set(
  [
    'FirstName',
    'LastName',
    'Name',
    'MiddleName',
    'Suffix',
    'Salutation',
    'Street',
    'Address',
    'Description',
    'Latitude',
    'Longitude',
  ].map((f) => f.toLowerCase()),
);
const PERSONAL_PATTERN = /phone|fax/i;

/** What named-account matching reads of a lead (see namedAccountKeysOfLead). */
const NAMED_ACCOUNT_ATTRIBUTES = [
  'Company',
  'Email',
  'Website',
  'Account.Id',
  'Account.Name',
  'Account.Website',
];
/** What proximity and product radii read; coordinates stay out (personal), the postal code is kept. */
const LOCATION_ATTRIBUTES = ['PostalCode'];
const PRODUCT_ATTRIBUTES = ['ProductInterest', 'ProductCategory'];

/** What the account-owner-first preference reads from the matched account. */
const ACCOUNT_OWNER_ATTRIBUTES = ['Account.OwnerId', 'Account.Name', 'MatchedAccount.Confidence'];

/** What the duplicate rule reads: the record the duplicate index found (see EXISTING_RECORD_FIELDS). */
const DUPLICATE_ATTRIBUTES = ['Duplicate.OwnerId', 'Duplicate.RecordId', 'Duplicate.Kind'];

/** The lead attributes a model's rules and distribution read. */
export function attributesModelReads(model: TerritoryModel): string[] {
  const read = new Set<string>();
  const addExpression = (e: Expression | undefined) => {
    if (e) for (const c of criteriaOf(e)) read.add(c.attribute);
  };
  for (const category of model.categories) addExpression(category.expression);
  for (const territory of model.territories) {
    addExpression(territory.expression);
    const named = territory.namedAccounts;
    if (named && named.accountIds.length + named.companies.length + named.domains.length > 0) {
      for (const a of NAMED_ACCOUNT_ATTRIBUTES) read.add(a);
    }
    if (territory.accountOwnerFirst) for (const a of ACCOUNT_OWNER_ATTRIBUTES) read.add(a);
    const method = territory.distribution.method;
    if (method === 'proximity') for (const a of LOCATION_ATTRIBUTES) read.add(a);
    if (method === 'by-product') {
      for (const a of PRODUCT_ATTRIBUTES) read.add(a);
      for (const a of LOCATION_ATTRIBUTES) read.add(a);
    }
  }
  if (model.duplicates) for (const a of DUPLICATE_ATTRIBUTES) read.add(a);
  return [...read];
}

/** Lower-cased field names an audit record may keep (Salesforce field names ignore case). */
export type RoutedLeadAllowList = ReadonlySet<string>;

/**
 * The allow-list: the fixed routing set plus `attributesRead` — what the production model reads
 * (see attributesModelReads) and the org fields routing attributes come from (e.g.
 * `Product_Interest__c` for ProductInterest) — minus personal fields, which no rule makes worth keeping.
 */
export function routedLeadAllowList(attributesRead: Iterable<string>): RoutedLeadAllowList {
  const names = [...FIXED_ROUTED_ATTRIBUTES, ...attributesRead];
  return new Set(names.map((n) => n.toLowerCase()).filter((n) => !isPersonal(n)));
}

function isPersonal(name: string): boolean {
  return PERSONAL_FIELDS.has(name.toLowerCase()) || PERSONAL_PATTERN.test(name);
}

export function routedLeadFields(
  fields: Readonly<Record<string, string | null>>,
  allow: RoutedLeadAllowList,
): Record<string, string | null> {
  const kept: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!allow.has(name.toLowerCase()) || isPersonal(name)) continue;
    if (name.toLowerCase() === 'email') {
      const at = value?.lastIndexOf('@') ?? -1;
      kept[name] = value && at >= 0 ? value.slice(at) : null;
      continue;
    }
    kept[name] = value;
  }
  return kept;
}
