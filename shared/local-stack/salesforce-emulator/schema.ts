/**
 * The emulated org's data model: the sObjects this project reads and writes, with the standard
 * fields it uses, plus the org's custom fields (the Salesforce package's, read by package-fields.ts).
 * Field names resolve case-insensitively, as in Salesforce; anything else is an unknown field (INVALID_FIELD).
 */
export const SOBJECT_TYPES = [
  'Lead',
  'User',
  'Account',
  'Opportunity',
  'Group',
  'Contact',
  'Task',
  'Event',
] as const;
export type SObjectType = (typeof SOBJECT_TYPES)[number];

export type FieldType = 'id' | 'reference' | 'string' | 'boolean' | 'number' | 'date' | 'datetime';
export type FieldValue = string | number | boolean | null;

/** A record as Salesforce shapes it: field name → JSON value. */
export type SalesforceRecord = { [field: string]: FieldValue };

/** A record to load into the store; `Id` is assigned when absent, `attributes` is ignored. */
export type SeedRecord = { readonly [field: string]: FieldValue | undefined | { type?: string } };

/** Records to load into an emulated org, by the collection names the demo data set uses. */
export interface SeedData {
  users?: readonly SeedRecord[];
  queues?: readonly SeedRecord[];
  accounts?: readonly SeedRecord[];
  opportunities?: readonly SeedRecord[];
  leads?: readonly SeedRecord[];
  contacts?: readonly SeedRecord[];
  tasks?: readonly SeedRecord[];
  events?: readonly SeedRecord[];
}

export const SEED_COLLECTIONS: Record<keyof SeedData, SObjectType> = {
  users: 'User',
  queues: 'Group',
  accounts: 'Account',
  opportunities: 'Opportunity',
  leads: 'Lead',
  contacts: 'Contact',
  tasks: 'Task',
  events: 'Event',
};

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** False for system and formula-like fields: writes get INVALID_FIELD_FOR_INSERT_UPDATE. */
  updateable: boolean;
  /** For references: the sObjects an id may point at (Lead.OwnerId: a User or a queue). */
  referenceTo?: readonly SObjectType[];
  /** For references: the name used in relationship paths (`Owner.Name`). */
  relationshipName?: string;
  /** For text: the most characters a value may have (longer ones get STRING_TOO_LONG). */
  length?: number;
  /** A currency field (a number in the record's CurrencyIsoCode): convertCurrency() applies to it. */
  currency?: boolean;
}

export interface SObjectSchema {
  name: SObjectType;
  keyPrefix: string;
  /** Keyed by lower-case field name. */
  fields: Map<string, FieldSpec>;
  /** Keyed by lower-case relationship name. */
  relationships: Map<string, FieldSpec>;
  /** Parent-to-child relationships (`Tasks` of a Lead), keyed by lower-case name. */
  childRelationships: Map<string, ChildRelationship>;
}

/** A child relationship: the child sObject and its field that points at the parent (Task.WhoId). */
export interface ChildRelationship {
  name: string;
  child: SObjectType;
  field: string;
}

/** The standard child relationships of the emulated objects (a subset of each object's describe). */
const CHILD_RELATIONSHIPS: Partial<Record<SObjectType, ReadonlyArray<ChildRelationship>>> = {
  Lead: [
    { name: 'Tasks', child: 'Task', field: 'WhoId' },
    { name: 'Events', child: 'Event', field: 'WhoId' },
  ],
  Contact: [
    { name: 'Tasks', child: 'Task', field: 'WhoId' },
    { name: 'Events', child: 'Event', field: 'WhoId' },
  ],
  Account: [
    { name: 'Contacts', child: 'Contact', field: 'AccountId' },
    { name: 'Opportunities', child: 'Opportunity', field: 'AccountId' },
    { name: 'Tasks', child: 'Task', field: 'WhatId' },
    { name: 'Events', child: 'Event', field: 'WhatId' },
  ],
  Opportunity: [
    { name: 'Tasks', child: 'Task', field: 'WhatId' },
    { name: 'Events', child: 'Event', field: 'WhatId' },
  ],
};

/** A custom field as an org declares it: its type, and for text its length, for lookups their target. */
export type CustomFieldSpec = Pick<
  FieldSpec,
  'type' | 'length' | 'referenceTo' | 'relationshipName' | 'currency'
>;

/**
 * A multi-currency org: its corporate currency and each active currency's conversion rate (units
 * per one unit of the corporate currency, as in CurrencyType.ConversionRate). Such an org adds
 * CurrencyIsoCode to every object with currency fields and DefaultCurrencyIsoCode to User.
 */
export interface OrgCurrencies {
  corporate: string;
  rates: Readonly<Record<string, number>>;
}

/** Custom fields an org declares, by object, e.g. `{ Lead: { Assignment_Reason__c: 'string' } }`. */
export type CustomFields = Partial<Record<SObjectType, Record<string, FieldType | CustomFieldSpec>>>;

type FieldOptions = Partial<Omit<FieldSpec, 'name' | 'type'>>;
type FieldList = Array<[string, FieldType, FieldOptions?]>;

const readOnly: FieldOptions = { updateable: false };
const currency: FieldOptions = { currency: true };

const SYSTEM_FIELDS: FieldList = [
  ['Id', 'id', readOnly],
  ['IsDeleted', 'boolean', readOnly],
  ['CreatedDate', 'datetime', readOnly],
  ['CreatedById', 'reference', { updateable: false, referenceTo: ['User'], relationshipName: 'CreatedBy' }],
  ['LastModifiedDate', 'datetime', readOnly],
  [
    'LastModifiedById',
    'reference',
    { updateable: false, referenceTo: ['User'], relationshipName: 'LastModifiedBy' },
  ],
  ['SystemModstamp', 'datetime', readOnly],
];

/** The components of a compound address field (Lead and User `Address`, Account `BillingAddress`). */
function addressFields(prefix: '' | 'Billing' = ''): FieldList {
  return [
    [`${prefix}Street`, 'string'],
    [`${prefix}City`, 'string'],
    [`${prefix}State`, 'string'],
    [`${prefix}PostalCode`, 'string'],
    [`${prefix}Country`, 'string'],
    [`${prefix}Latitude`, 'number'],
    [`${prefix}Longitude`, 'number'],
  ];
}

const userOwner: FieldList = [['OwnerId', 'reference', { referenceTo: ['User'], relationshipName: 'Owner' }]];

const STANDARD_FIELDS: Record<SObjectType, { keyPrefix: string; fields: FieldList }> = {
  Lead: {
    keyPrefix: '00Q',
    fields: [
      ['FirstName', 'string'],
      ['LastName', 'string'],
      ['Name', 'string', readOnly],
      ['Company', 'string'],
      ['Title', 'string'],
      ['Email', 'string'],
      ['Phone', 'string'],
      ['Status', 'string'],
      ['LeadSource', 'string'],
      ['Industry', 'string'],
      ['Rating', 'string'],
      ...addressFields(),
      ['AnnualRevenue', 'number', currency],
      ['NumberOfEmployees', 'number'],
      ['IsConverted', 'boolean', readOnly],
      ['ConvertedDate', 'date', readOnly],
      ['LastActivityDate', 'date', readOnly],
      // A lead may be owned by a user or a queue (a Group of type Queue).
      ['OwnerId', 'reference', { referenceTo: ['User', 'Group'], relationshipName: 'Owner' }],
    ],
  },
  User: {
    keyPrefix: '005',
    fields: [
      ['Username', 'string'],
      ['FirstName', 'string'],
      ['LastName', 'string'],
      ['Name', 'string', readOnly],
      ['Alias', 'string'],
      ['Email', 'string'],
      ['IsActive', 'boolean'],
      ['Title', 'string'],
      ['Department', 'string'],
      ['Division', 'string'],
      ...addressFields(),
      ['TimeZoneSidKey', 'string'],
      ['ManagerId', 'reference', { referenceTo: ['User'], relationshipName: 'Manager' }],
    ],
  },
  Group: {
    keyPrefix: '00G',
    fields: [
      ['Name', 'string'],
      ['DeveloperName', 'string'],
      ['Type', 'string'],
      ['Email', 'string'],
    ],
  },
  Account: {
    keyPrefix: '001',
    fields: [
      ['Name', 'string'],
      ['Type', 'string'],
      ['Industry', 'string'],
      ['Website', 'string'],
      ['Phone', 'string'],
      ...addressFields('Billing'),
      ['AnnualRevenue', 'number', currency],
      ['NumberOfEmployees', 'number'],
      ['ParentId', 'reference', { referenceTo: ['Account'], relationshipName: 'Parent' }],
      ...userOwner,
    ],
  },
  Opportunity: {
    keyPrefix: '006',
    fields: [
      ['Name', 'string'],
      ['AccountId', 'reference', { referenceTo: ['Account'], relationshipName: 'Account' }],
      ['StageName', 'string'],
      ['Amount', 'number', currency],
      ['Probability', 'number'],
      ['CloseDate', 'date'],
      ['Type', 'string'],
      ['LeadSource', 'string'],
      // Derived from StageName by Salesforce, so read-only here too.
      ['IsClosed', 'boolean', readOnly],
      ['IsWon', 'boolean', readOnly],
      ...userOwner,
    ],
  },
  Contact: {
    keyPrefix: '003',
    fields: [
      ['FirstName', 'string'],
      ['LastName', 'string'],
      ['Name', 'string', readOnly],
      ['Title', 'string'],
      ['Email', 'string'],
      ['Phone', 'string'],
      ['AccountId', 'reference', { referenceTo: ['Account'], relationshipName: 'Account' }],
      ['MailingCity', 'string'],
      ['MailingPostalCode', 'string'],
      ...userOwner,
    ],
  },
  // Activities: WhoId is a lead or contact, WhatId an account or opportunity (both polymorphic).
  Task: {
    keyPrefix: '00T',
    fields: [
      ['Subject', 'string'],
      ['Status', 'string'],
      ['Priority', 'string'],
      ['ActivityDate', 'date'],
      ['TaskSubtype', 'string'],
      ['IsClosed', 'boolean', readOnly],
      ['WhoId', 'reference', { referenceTo: ['Lead', 'Contact'], relationshipName: 'Who' }],
      ['WhatId', 'reference', { referenceTo: ['Account', 'Opportunity'], relationshipName: 'What' }],
      ...userOwner,
    ],
  },
  Event: {
    keyPrefix: '00U',
    fields: [
      ['Subject', 'string'],
      ['StartDateTime', 'datetime'],
      ['EndDateTime', 'datetime'],
      ['ActivityDateTime', 'datetime'],
      ['WhoId', 'reference', { referenceTo: ['Lead', 'Contact'], relationshipName: 'Who' }],
      ['WhatId', 'reference', { referenceTo: ['Account', 'Opportunity'], relationshipName: 'What' }],
      ...userOwner,
    ],
  },
};

/** The schema of one emulated org: the standard model plus that org's custom fields. */
export class OrgSchema {
  private readonly objects = new Map<string, SObjectSchema>();

  constructor(
    customFields: CustomFields = {},
    /** Set for a multi-currency org; a single-currency org has no CurrencyIsoCode anywhere. */
    readonly currencies?: OrgCurrencies,
  ) {
    for (const type of SOBJECT_TYPES) {
      const { keyPrefix, fields } = STANDARD_FIELDS[type];
      const schema: SObjectSchema = {
        name: type,
        keyPrefix,
        fields: new Map(),
        relationships: new Map(),
        childRelationships: new Map(
          (CHILD_RELATIONSHIPS[type] ?? []).map((r) => [r.name.toLowerCase(), r] as const),
        ),
      };
      for (const [name, fieldType, options] of [...SYSTEM_FIELDS, ...fields]) {
        addField(schema, { name, type: fieldType, updateable: true, ...options });
      }
      for (const [name, custom] of Object.entries(customFields[type] ?? {})) {
        addField(schema, {
          name,
          updateable: true,
          ...(typeof custom === 'string' ? { type: custom } : custom),
        });
      }
      if (currencies && type !== 'Group') {
        addField(schema, { name: 'CurrencyIsoCode', type: 'string', updateable: true, length: 3 });
        if (type === 'User')
          addField(schema, { name: 'DefaultCurrencyIsoCode', type: 'string', updateable: true, length: 3 });
      }
      this.objects.set(type.toLowerCase(), schema);
    }
  }

  /** The conversion rate of a currency (1 for the corporate one); undefined in a single-currency org. */
  rate(isoCode: FieldValue | undefined): number | undefined {
    if (!this.currencies) return undefined;
    const code = typeof isoCode === 'string' && isoCode ? isoCode : this.currencies.corporate;
    return code === this.currencies.corporate ? 1 : this.currencies.rates[code];
  }

  /** The sObject named (any case), or undefined. */
  object(name: string): SObjectSchema | undefined {
    return this.objects.get(name.toLowerCase());
  }

  /** The sObject whose ids start with this key prefix. */
  objectForId(id: string): SObjectSchema | undefined {
    const prefix = id.slice(0, 3);
    for (const schema of this.objects.values()) if (schema.keyPrefix === prefix) return schema;
    return undefined;
  }
}

function addField(schema: SObjectSchema, spec: FieldSpec): void {
  schema.fields.set(spec.name.toLowerCase(), spec);
  if (spec.relationshipName) schema.relationships.set(spec.relationshipName.toLowerCase(), spec);
}

export function fieldOf(schema: SObjectSchema, name: string): FieldSpec | undefined {
  return schema.fields.get(name.toLowerCase());
}
