import zipcodes from 'zipcodes';
import { toId18 } from '../domain/salesforce-id.js';
import { DEMO_INTAKE_QUEUE_ID, DEMO_INTEGRATION_USER_ID } from './demo-org-ids.js';
import type { FieldValue, SalesforceRecord } from './salesforce-emulator/schema.js';
import { toSalesforceDateTime } from './salesforce-emulator/values.js';

/**
 * A synthetic Ontario B2B org for the local stack and tests: reps, queues, accounts,
 * opportunities and leads, Salesforce-shaped. Deterministic (a seeded generator and a fixed
 * "as of" date), so every call returns the same records. The ids of reps, the integration user
 * and the queues are a contract other code relies on.
 */

export type DemoRecord = SalesforceRecord & { Id: string };

export interface DemoData {
  users: DemoRecord[];
  /** Groups of type Queue. */
  queues: DemoRecord[];
  accounts: DemoRecord[];
  opportunities: DemoRecord[];
  leads: DemoRecord[];
  ids: {
    /** Reps 1..12 in order; reps 11 and 12 are inactive, 9 and 10 have out-of-office windows. */
    reps: string[];
    integrationUser: string;
    intakeQueue: string;
    reviewQueue: string;
  };
}

export interface OntarioFsa {
  /** Forward sortation area, e.g. `M5V`. */
  fsa: string;
  city: string;
  latitude: number;
  longitude: number;
}

/** The demo org's "now": created dates fall before it, out-of-office windows around it. */
export const DEMO_AS_OF = '2026-11-20T14:00:00.000Z';

export const repId = (n: number): string => toId18(`005TR00000000${String(n).padStart(2, '0')}`);
export const INTEGRATION_USER_ID = DEMO_INTEGRATION_USER_ID;
export const INTAKE_QUEUE_ID = DEMO_INTAKE_QUEUE_ID;
export const REVIEW_QUEUE_ID = toId18('00GTR0000000002');

export const LEAD_STATUS = {
  new: 'Open - Not Contacted',
  inProgress: 'Working - Contacted',
  converted: 'Closed - Converted',
  notConverted: 'Closed - Not Converted',
} as const;

export const INDUSTRIES = [
  'Technology',
  'Financial Services',
  'Healthcare',
  'Manufacturing',
  'Retail',
  'Education',
  'Professional Services',
  'Transportation',
] as const;

export const PRODUCTS = ['Core Platform', 'Analytics', 'Integrations', 'Field Service', 'Security'] as const;

/** Ontario FSAs with centroids (Canadian FSAs starting K, L, M, N, P), sorted by FSA. */
export const ONTARIO_FSAS: readonly OntarioFsa[] = Object.values(zipcodes.codes)
  .filter(
    (c) =>
      c.country === 'Canada' &&
      c.state === 'Ontario' &&
      /^[KLMNP]\d[A-Z]$/.test(c.zip) &&
      typeof c.latitude === 'number' &&
      typeof c.longitude === 'number',
  )
  .map((c) => ({ fsa: c.zip, city: cityName(c.zip, c.city), latitude: c.latitude, longitude: c.longitude }))
  .sort((a, b) => a.fsa.localeCompare(b.fsa));

// ---------- the people ----------

interface RepProfile {
  first: string;
  last: string;
  homeFsa: string;
  title: string;
  industries: string[];
  /** Owned leads by status: new, in progress, converted, not converted. */
  leads: [number, number, number, number];
}

/**
 * Lead loads vary on purpose: rep 3 is over the 40-new cap, rep 4 sits below the 55% in-progress
 * ratio, rep 8 is close to the 250-open cap, the others have headroom.
 */
const REPS: RepProfile[] = [
  rep(
    'Joe',
    'Tremblay',
    'M5V',
    'Senior Account Executive',
    ['Technology', 'Financial Services'],
    [18, 70, 45, 40],
  ),
  rep(
    'Priya',
    'Sharma',
    'M4W',
    'Account Executive',
    ['Financial Services', 'Professional Services'],
    [22, 64, 40, 38],
  ),
  rep('Liam', "O'Connor", 'M2N', 'Account Executive', ['Retail', 'Technology'], [44, 90, 30, 34]),
  rep('Mei', 'Chen', 'L5B', 'Account Executive', ['Manufacturing', 'Transportation'], [36, 28, 22, 30]),
  rep('Aisha', 'Mohamed', 'K1P', 'Senior Account Executive', ['Healthcare', 'Education'], [15, 52, 42, 36]),
  rep('Marc', 'Gagnon', 'K2P', 'Account Executive', ['Professional Services', 'Education'], [20, 58, 30, 30]),
  rep('Sofia', 'Rossi', 'L8P', 'Account Executive', ['Manufacturing', 'Healthcare'], [10, 40, 34, 30]),
  rep('Daniel', 'Kim', 'N6A', 'Account Executive', ['Technology', 'Education'], [38, 204, 30, 25]),
  rep('Olivia', 'Brown', 'N2G', 'Account Executive', ['Technology', 'Manufacturing'], [12, 46, 34, 30]),
  rep('Ethan', 'Wilson', 'P3E', 'Account Executive', ['Transportation', 'Retail'], [8, 34, 24, 27]),
  rep('Nadia', 'Haddad', 'M6K', 'Account Executive', ['Retail'], [0, 0, 0, 0]),
  rep('Ryan', 'MacDonald', 'K7L', 'Account Executive', ['Healthcare'], [0, 0, 0, 0]),
];

const INACTIVE_REPS = new Set([11, 12]);

/** Which active reps cover each region (first letter of the FSA), for realistic ownership. */
const REGION_REPS: Record<string, number[]> = { M: [1, 2, 3], L: [4, 7], K: [5, 6], N: [8, 9], P: [10] };
const REGION_WEIGHT: Record<string, number> = { M: 0.4, L: 0.25, K: 0.17, N: 0.12, P: 0.06 };
const REGION_NAME: Record<string, string> = {
  M: 'Toronto',
  L: 'Central Ontario',
  K: 'Eastern Ontario',
  N: 'Southwestern Ontario',
  P: 'Northern Ontario',
};
const AREA_CODE: Record<string, string[]> = {
  M: ['416', '647'],
  L: ['905', '289'],
  K: ['613', '343'],
  N: ['519', '226'],
  P: ['705', '807'],
};

/** Named accounts stay with one rep ("all Acme Enterprises leads to Joe"). */
const NAMED_ACCOUNTS: Array<[string, number, (typeof INDUSTRIES)[number]]> = [
  ['Acme Enterprises Inc.', 1, 'Manufacturing'],
  ['Wayne Financial Group', 1, 'Financial Services'],
  ['Globex Canada Ltd.', 2, 'Technology'],
  ['Hooli Canada Inc.', 2, 'Technology'],
  ['Initech Solutions Inc.', 3, 'Technology'],
  ['Massive Dynamic Ltd.', 3, 'Professional Services'],
  ['Cyberdyne Systems Corp.', 4, 'Manufacturing'],
  ['Pied Piper Data Inc.', 4, 'Technology'],
  ['Umbrella Health Corp.', 5, 'Healthcare'],
  ['Tyrell Biotech Inc.', 5, 'Healthcare'],
  ['Soylent Foods Ltd.', 6, 'Retail'],
  ['Gringotts Trust Co.', 6, 'Financial Services'],
  ['Stark Industrial Ontario Ltd.', 7, 'Manufacturing'],
  ['Prestige Worldwide Ltd.', 7, 'Professional Services'],
  ['Wonka Confections Inc.', 8, 'Retail'],
  ['Dunder Mifflin Paper Co.', 8, 'Retail'],
  ['Vandelay Industries', 9, 'Transportation'],
  ['Bluth Homes Ontario', 9, 'Professional Services'],
  ['Oceanic Airlines Canada', 10, 'Transportation'],
  ['Monarch Logistics Corp.', 10, 'Transportation'],
];

const ACCOUNT_COUNT = 400;
const OPEN_OPPORTUNITIES = 250;
const CLOSED_OPPORTUNITIES = 120;
const INTAKE_LEADS = 300;
const DAY_MS = 86_400_000;
const SEED = 20261120;

export function demoData(): DemoData {
  const random = new SeededRandom(SEED);
  const asOf = Date.parse(DEMO_AS_OF);
  const byRegion = fsasByRegion();
  const users = [...REPS.map((profile, i) => repUser(profile, i + 1, random)), integrationUser()];
  const queues = [
    queue(INTAKE_QUEUE_ID, 'Lead Intake', 'Lead_Intake'),
    queue(REVIEW_QUEUE_ID, 'Routing Review', 'Routing_Review'),
  ];
  const accounts = makeAccounts(random, byRegion, asOf);
  const opportunities = makeOpportunities(random, accounts, asOf);
  const leads = makeLeads(random, byRegion, accounts, asOf);
  return {
    users,
    queues,
    accounts,
    opportunities,
    leads,
    ids: {
      reps: REPS.map((_, i) => repId(i + 1)),
      integrationUser: INTEGRATION_USER_ID,
      intakeQueue: INTAKE_QUEUE_ID,
      reviewQueue: REVIEW_QUEUE_ID,
    },
  };
}

// ---------- users and queues ----------

function repUser(profile: RepProfile, n: number, random: SeededRandom): DemoRecord {
  const home = fsa(profile.homeFsa);
  const handle = `${ascii(profile.first)}.${ascii(profile.last)}`;
  return {
    Id: repId(n),
    Username: `${handle}@territory-router.demo`,
    FirstName: profile.first,
    LastName: profile.last,
    Name: `${profile.first} ${profile.last}`,
    Alias: `${ascii(profile.first).slice(0, 1)}${ascii(profile.last).slice(0, 4)}`,
    Email: `${handle}@territory-router.example`,
    IsActive: !INACTIVE_REPS.has(n),
    Title: profile.title,
    Department: `Sales - ${REGION_NAME[profile.homeFsa.charAt(0)]}`,
    Division: 'Ontario',
    City: home.city,
    State: 'ON',
    PostalCode: `${home.fsa} ${localDeliveryUnit(random)}`,
    Country: 'Canada',
    Latitude: home.latitude,
    Longitude: home.longitude,
    TimeZoneSidKey: 'America/Toronto',
    Industry_Specialization__c: profile.industries.join(';'),
    CreatedDate: toSalesforceDateTime(Date.parse('2025-01-06T14:00:00.000Z') + n * 7 * DAY_MS),
  };
}

function integrationUser(): DemoRecord {
  return {
    Id: INTEGRATION_USER_ID,
    Username: 'integration@territory-router.local',
    FirstName: 'Territory Router',
    LastName: 'Integration',
    Name: 'Territory Router Integration',
    Alias: 'trint',
    Email: 'integration@territory-router.example',
    IsActive: true,
    Title: 'Integration User',
    Department: 'Systems',
    TimeZoneSidKey: 'America/Toronto',
    CreatedDate: toSalesforceDateTime(Date.parse('2025-01-02T14:00:00.000Z')),
  };
}

function queue(id: string, name: string, developerName: string): DemoRecord {
  return { Id: id, Name: name, DeveloperName: developerName, Type: 'Queue', Email: null };
}

// ---------- accounts and opportunities ----------

const NAME_PREFIXES = [
  'Northern',
  'Maple',
  'Lakeshore',
  'Great Lakes',
  'Huron',
  'Cedar',
  'Granite',
  'Superior',
  'Algonquin',
  'Trillium',
  'Georgian',
  'Rideau',
  'Niagara',
  'Muskoka',
  'Frontenac',
  'Bluewater',
  'Queen City',
  'Harbour',
  'Laurentian',
  'Boreal',
  'Summit',
  'Pinnacle',
  'Keystone',
  'Beacon',
  'Sterling',
  'Crown',
  'Heritage',
  'Riverside',
  'Evergreen',
  'Kawartha',
  'Thames',
  'Ottawa Valley',
  'Grand River',
  'Simcoe',
  'Lambton',
];

const NAME_CORES: Record<(typeof INDUSTRIES)[number], string[]> = {
  Technology: ['Software', 'Systems', 'Data', 'Cloud', 'Analytics', 'Digital', 'Networks'],
  'Financial Services': ['Capital', 'Financial', 'Credit Union', 'Wealth', 'Insurance', 'Trust'],
  Healthcare: ['Health', 'Medical', 'Clinics', 'Pharma', 'Care', 'Diagnostics'],
  Manufacturing: ['Manufacturing', 'Fabrication', 'Industries', 'Plastics', 'Metalworks', 'Components'],
  Retail: ['Retail', 'Outfitters', 'Market', 'Grocers', 'Home Goods', 'Apparel'],
  Education: ['Academy', 'College', 'Learning', 'Schools', 'Institute'],
  'Professional Services': ['Consulting', 'Advisors', 'Partners', 'Legal', 'Accounting', 'Engineering'],
  Transportation: ['Logistics', 'Freight', 'Transport', 'Shipping', 'Fleet Services', 'Couriers'],
};

const NAME_SUFFIXES = ['Inc.', 'Ltd.', 'Corp.', 'Group', 'Co.', ''];
const STREETS = [
  'King St W',
  'Queen St E',
  'Bay St',
  'Main St',
  'Wellington St',
  'Dundas St',
  'Yonge St',
  'Bank St',
  'Richmond St',
  'Water St',
  'Industrial Pkwy',
  'Commerce Dr',
];

function makeAccounts(random: SeededRandom, byRegion: Map<string, OntarioFsa[]>, asOf: number): DemoRecord[] {
  const names = new Set<string>();
  const accounts: DemoRecord[] = [];
  for (let n = 1; n <= ACCOUNT_COUNT; n++) {
    const named = NAMED_ACCOUNTS[n - 1];
    const industry = named?.[2] ?? random.pick(INDUSTRIES);
    const name = named?.[0] ?? uniqueCompanyName(random, industry, names);
    names.add(name);
    const location = named ? fsa(REPS[named[1] - 1]!.homeFsa) : randomFsa(random, byRegion);
    const region = location.fsa.charAt(0);
    const ownerRep = named?.[1] ?? regionalOwner(random, region);
    const revenue = roundTo(random.logNormal(named ? 60_000_000 : 5_000_000, 1.1), 1000);
    const employees = Math.max(5, Math.round(revenue / random.logNormal(250_000, 0.4)));
    accounts.push({
      Id: toId18(`001TR${String(n).padStart(10, '0')}`),
      Name: name,
      Type: random.chance(0.65) ? 'Customer' : 'Prospect',
      Industry: industry,
      Website: `https://www.${domainOf(name)}`,
      Phone: phone(random, region),
      BillingStreet: `${random.int(1, 2400)} ${random.pick(STREETS)}`,
      BillingCity: location.city,
      BillingState: 'ON',
      BillingPostalCode: `${location.fsa} ${localDeliveryUnit(random)}`,
      BillingCountry: 'Canada',
      BillingLatitude: round6(location.latitude + random.between(-0.02, 0.02)),
      BillingLongitude: round6(location.longitude + random.between(-0.02, 0.02)),
      AnnualRevenue: revenue,
      NumberOfEmployees: employees,
      OwnerId: repId(ownerRep),
      Revenue_Potential__c: roundTo(random.logNormal(named ? 900_000 : 250_000, 0.9), 1000),
      Growth_Potential__c: Math.round(random.between(0, 100)),
      Named_Account__c: named !== undefined,
      CreatedById: INTEGRATION_USER_ID,
      CreatedDate: toSalesforceDateTime(asOf - random.int(60, 1500) * DAY_MS),
    });
  }
  return accounts;
}

const OPEN_STAGES: Array<[string, number, number]> = [
  ['Prospecting', 10, 0.2],
  ['Qualification', 20, 0.2],
  ['Needs Analysis', 30, 0.18],
  ['Value Proposition', 50, 0.15],
  ['Proposal/Price Quote', 70, 0.15],
  ['Negotiation/Review', 90, 0.12],
];

function makeOpportunities(random: SeededRandom, accounts: DemoRecord[], asOf: number): DemoRecord[] {
  const opportunities: DemoRecord[] = [];
  const activeReps = REPS.map((_, i) => i + 1).filter((n) => n <= 10);
  for (let n = 1; n <= OPEN_OPPORTUNITIES + CLOSED_OPPORTUNITIES; n++) {
    const open = n <= OPEN_OPPORTUNITIES;
    // Named accounts carry more pipeline.
    const account = random.chance(0.15)
      ? accounts[random.int(0, NAMED_ACCOUNTS.length - 1)]!
      : random.pick(accounts);
    const ownerId = random.chance(0.85) ? String(account.OwnerId) : repId(random.pick(activeReps));
    const product = random.pick(PRODUCTS);
    const [stage, probability] = open
      ? random.weighted(OPEN_STAGES.map(([s, p, w]) => [[s, p] as const, w]))
      : random.chance(0.45)
        ? (['Closed Won', 100] as const)
        : (['Closed Lost', 0] as const);
    const closeDate = open ? asOf + random.int(7, 180) * DAY_MS : asOf - random.int(10, 365) * DAY_MS;
    opportunities.push({
      Id: toId18(`006TR${String(n).padStart(10, '0')}`),
      Name: `${account.Name} - ${product}`,
      AccountId: account.Id,
      OwnerId: ownerId,
      StageName: stage,
      Probability: probability,
      Amount: roundTo(random.logNormal(40_000, 0.9), 500),
      CloseDate: new Date(closeDate).toISOString().slice(0, 10),
      Type: random.chance(0.6) ? 'New Business' : 'Existing Business',
      LeadSource: random.weighted(LEAD_SOURCES),
      IsClosed: !open,
      IsWon: stage === 'Closed Won',
      CreatedById: INTEGRATION_USER_ID,
      CreatedDate: toSalesforceDateTime(closeDate - random.int(30, 200) * DAY_MS),
    });
  }
  return opportunities;
}

// ---------- leads ----------

const FIRST_NAMES = [
  'Emma',
  'Noah',
  'Olivia',
  'Liam',
  'Ava',
  'William',
  'Sophia',
  'Benjamin',
  'Charlotte',
  'Lucas',
  'Amelia',
  'Mohammed',
  'Zara',
  'Arjun',
  'Ananya',
  'Wei',
  'Jia',
  'Hiroshi',
  'Yuki',
  'Mateo',
  'Camila',
  'Gabriel',
  'Chloe',
  'Ethan',
  'Isabelle',
  'Nathan',
  'Léa',
  'Félix',
  'Fatima',
  'Omar',
  'Grace',
  'Samuel',
  'Hannah',
  'Ravi',
  'Simran',
  'Daniel',
  'Maya',
  'Jacob',
  'Leah',
  'Owen',
  'Aaliyah',
  'Kwame',
  'Ngozi',
  'Tariq',
  'Elena',
];

const LAST_NAMES = [
  'Smith',
  'Brown',
  'Tremblay',
  'Martin',
  'Roy',
  'Wilson',
  'MacDonald',
  'Gagnon',
  'Johnson',
  'Taylor',
  'Campbell',
  'Anderson',
  'Leblanc',
  'Lee',
  'Patel',
  'Singh',
  'Wong',
  'Chen',
  'Nguyen',
  'Kim',
  'Ahmed',
  'Khan',
  'Ali',
  'Côté',
  'Bouchard',
  'Morin',
  'Thompson',
  'White',
  'Clarke',
  'Stewart',
  'Scott',
  'Young',
  'Hall',
  'Reid',
  'Ross',
  'Murray',
  'Fraser',
  'Gill',
  'Sharma',
  'Silva',
  'Rossi',
  'Kowalski',
  'Novak',
];

const TITLES = [
  'Director of Operations',
  'VP Sales',
  'IT Manager',
  'CFO',
  'Procurement Lead',
  'Owner',
  'Operations Manager',
  'CTO',
  'Office Manager',
  'Head of Marketing',
  'Controller',
  'Plant Manager',
];

const LEAD_SOURCES: Array<[string, number]> = [
  ['Web', 0.4],
  ['Partner Referral', 0.15],
  ['Trade Show', 0.12],
  ['Purchased List', 0.13],
  ['Phone Inquiry', 0.1],
  ['Other', 0.1],
];

function makeLeads(
  random: SeededRandom,
  byRegion: Map<string, OntarioFsa[]>,
  accounts: DemoRecord[],
  asOf: number,
): DemoRecord[] {
  const leads: DemoRecord[] = [];
  const next = () => toId18(`00QTR${String(leads.length + 1).padStart(10, '0')}`);
  // A few intake leads from named accounts, so named-account routing has something to match.
  const namedFirst = [
    'Acme Enterprises Inc.',
    'Acme Enterprises Inc.',
    'Acme Enterprises Inc.',
    'Globex Canada Ltd.',
    'Umbrella Health Corp.',
  ];
  for (let i = 0; i < INTAKE_LEADS; i++) {
    const account = namedFirst[i] ? accounts.find((a) => a.Name === namedFirst[i]) : undefined;
    leads.push(
      lead(random, byRegion, accounts, {
        id: next(),
        ownerId: INTAKE_QUEUE_ID,
        status: LEAD_STATUS.new,
        createdAt: asOf - random.between(0, 14) * DAY_MS,
        account,
        messyPostalCodes: true,
      }),
    );
  }
  REPS.forEach((profile, i) => {
    const [fresh, working, converted, lost] = profile.leads;
    const plan: Array<[string, number, [number, number]]> = [
      [LEAD_STATUS.new, fresh, [0, 20]],
      [LEAD_STATUS.inProgress, working, [3, 90]],
      [LEAD_STATUS.converted, converted, [30, 365]],
      [LEAD_STATUS.notConverted, lost, [30, 365]],
    ];
    for (const [status, count, [minDays, maxDays]] of plan) {
      for (let k = 0; k < count; k++) {
        const region = random.chance(0.75) ? profile.homeFsa.charAt(0) : undefined;
        leads.push(
          lead(random, byRegion, accounts, {
            id: next(),
            ownerId: repId(i + 1),
            status,
            createdAt: asOf - random.between(minDays, maxDays) * DAY_MS,
            region,
            messyPostalCodes: false,
            asOf,
          }),
        );
      }
    }
  });
  return leads;
}

function lead(
  random: SeededRandom,
  byRegion: Map<string, OntarioFsa[]>,
  accounts: DemoRecord[],
  spec: {
    id: string;
    ownerId: string;
    status: string;
    createdAt: number;
    account?: DemoRecord | undefined;
    region?: string | undefined;
    messyPostalCodes: boolean;
    asOf?: number;
  },
): DemoRecord {
  const existing = spec.account ?? (random.chance(0.15) ? random.pick(accounts) : undefined);
  const industry: FieldValue = existing
    ? (existing.Industry ?? null)
    : random.chance(0.05)
      ? null
      : random.pick(INDUSTRIES);
  const company = existing
    ? String(existing.Name)
    : companyName(random, (industry ?? random.pick(INDUSTRIES)) as (typeof INDUSTRIES)[number]);
  const location = spec.region ? random.pick(byRegion.get(spec.region)!) : randomFsa(random, byRegion);
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const postalCode = postalCodeAsEntered(random, location.fsa, spec.messyPostalCodes);
  const withCoordinates = random.chance(0.4);
  const closed = spec.status === LEAD_STATUS.converted || spec.status === LEAD_STATUS.notConverted;
  const touched = spec.status !== LEAD_STATUS.new;
  const lastActivity = touched
    ? Math.min(spec.asOf ?? spec.createdAt, spec.createdAt + random.between(1, closed ? 60 : 30) * DAY_MS)
    : undefined;
  const created = toSalesforceDateTime(Math.round(spec.createdAt));
  return {
    Id: spec.id,
    FirstName: first,
    LastName: last,
    Name: `${first} ${last}`,
    Company: company,
    Title: random.pick(TITLES),
    Email: `${ascii(first)}.${ascii(last)}@${domainOf(company)}`,
    Phone: phone(random, location.fsa.charAt(0)),
    Status: spec.status,
    LeadSource: random.weighted(LEAD_SOURCES),
    Industry: industry,
    City: location.city,
    State: 'ON',
    PostalCode: postalCode,
    Country: 'Canada',
    Latitude: withCoordinates ? round6(location.latitude + random.between(-0.015, 0.015)) : null,
    Longitude: withCoordinates ? round6(location.longitude + random.between(-0.015, 0.015)) : null,
    AnnualRevenue: random.chance(0.6) ? roundTo(random.logNormal(3_000_000, 1.2), 1000) : null,
    NumberOfEmployees: random.chance(0.6) ? Math.round(random.logNormal(40, 1.1)) + 1 : null,
    OwnerId: spec.ownerId,
    IsConverted: spec.status === LEAD_STATUS.converted,
    ConvertedDate:
      spec.status === LEAD_STATUS.converted && lastActivity
        ? new Date(lastActivity).toISOString().slice(0, 10)
        : null,
    LastActivityDate: lastActivity ? new Date(lastActivity).toISOString().slice(0, 10) : null,
    Product_Interest__c: random.chance(0.9) ? random.pick(PRODUCTS) : null,
    Routing_Reason__c: null,
    Lead_Score__c: Math.round(((random.next() + random.next() + random.next()) / 3) * 100),
    CreatedById: INTEGRATION_USER_ID,
    CreatedDate: created,
    LastModifiedById: INTEGRATION_USER_ID,
    LastModifiedDate: lastActivity ? toSalesforceDateTime(Math.round(lastActivity)) : created,
  };
}

/** Postal codes as people type them: mostly `M5V 3L9`, some `M5V3L9` or `m5v 3l9`, a few missing. */
function postalCodeAsEntered(random: SeededRandom, fsaCode: string, messy: boolean): string | null {
  const code = `${fsaCode} ${localDeliveryUnit(random)}`;
  if (!messy) return code;
  const roll = random.next();
  if (roll < 0.02) return null;
  if (roll < 0.12) return code.replace(' ', '');
  if (roll < 0.17) return code.toLowerCase();
  return code;
}

// ---------- helpers ----------

function rep(
  first: string,
  last: string,
  homeFsa: string,
  title: string,
  industries: string[],
  leads: [number, number, number, number],
): RepProfile {
  return { first, last, homeFsa, title, industries, leads };
}

function fsa(code: string): OntarioFsa {
  const found = ONTARIO_FSAS.find((f) => f.fsa === code);
  if (!found) throw new Error(`No Ontario FSA ${code} in zipcodes`);
  return found;
}

function fsasByRegion(): Map<string, OntarioFsa[]> {
  const map = new Map<string, OntarioFsa[]>();
  for (const f of ONTARIO_FSAS) {
    const region = f.fsa.charAt(0);
    map.set(region, [...(map.get(region) ?? []), f]);
  }
  return map;
}

function randomFsa(random: SeededRandom, byRegion: Map<string, OntarioFsa[]>): OntarioFsa {
  const region = random.weighted(Object.entries(REGION_WEIGHT));
  return random.pick(byRegion.get(region)!);
}

/** Mostly a rep of the account's region, sometimes anyone: real books are never tidy. */
function regionalOwner(random: SeededRandom, region: string): number {
  if (random.chance(0.7)) return random.pick(REGION_REPS[region] ?? [1]);
  return random.weighted([
    [1, 14],
    [2, 12],
    [3, 11],
    [4, 10],
    [5, 10],
    [6, 9],
    [7, 9],
    [8, 8],
    [9, 9],
    [10, 8],
  ]);
}

function uniqueCompanyName(
  random: SeededRandom,
  industry: (typeof INDUSTRIES)[number],
  taken: Set<string>,
): string {
  for (;;) {
    const name = companyName(random, industry);
    if (!taken.has(name)) return name;
  }
}

function companyName(random: SeededRandom, industry: (typeof INDUSTRIES)[number]): string {
  const suffix = industry === 'Education' ? '' : random.pick(NAME_SUFFIXES);
  return [random.pick(NAME_PREFIXES), random.pick(NAME_CORES[industry]), suffix].filter(Boolean).join(' ');
}

/** zipcodes' names read like "Ottawa (centre Town)"; rural FSAs (second digit 0) name the place in brackets. */
function cityName(code: string, raw: string): string {
  const bracket = /\(([^)]+)\)/.exec(raw)?.[1];
  const name = code.charAt(1) === '0' && bracket ? bracket : raw.replace(/\s*\(.*$/, '');
  return name.replace(/\b\p{Ll}/gu, (c) => c.toUpperCase()).trim();
}

function localDeliveryUnit(random: SeededRandom): string {
  const letters = 'ABCEGHJKLMNPRSTVWXYZ';
  return `${random.int(0, 9)}${letters.charAt(random.int(0, letters.length - 1))}${random.int(0, 9)}`;
}

function phone(random: SeededRandom, region: string): string {
  return `(${random.pick(AREA_CODE[region] ?? ['416'])}) 555-${String(random.int(0, 9999)).padStart(4, '0')}`;
}

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

function domainOf(company: string): string {
  const words = company.replace(/\b(Inc|Ltd|Corp|Co|Group|LLP)\.?$/i, '').trim();
  return `${ascii(words)}.ca`;
}

function roundTo(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step);
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** Log-normal with the given median: revenues and deal sizes have long right tails. */
  logNormal(median: number, sigma: number): number {
    const u = Math.max(this.next(), Number.EPSILON);
    const v = this.next();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * normal);
  }
}
