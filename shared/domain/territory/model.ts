import type { CalendarFields } from '../availability/calendar.js';
import type { SlaPolicy } from '../sla/policy.js';
import type { Expression } from './expression.js';

/**
 * A validated territory model. Every id is the 18-character Salesforce form, every expression a
 * tree, every reference resolved; the same shape is a valid config file, so a stored model is
 * re-validated by the one validator when loaded.
 */
export interface TerritoryModel {
  readonly name: string;
  readonly description?: string;
  /** Zone of calendars and out-of-office windows that do not name their own. */
  readonly timeZone: string;
  /** Id of the rep or queue that gets leads no territory or rep can take. */
  readonly defaultOwner: string;
  readonly calendars?: readonly WorkingCalendar[];
  /** The calendar of reps that name none; without one they work every hour (out of office aside). */
  readonly defaultCalendar?: string;
  readonly reps: readonly Rep[];
  readonly queues: readonly Queue[];
  readonly products: readonly Product[];
  readonly categories: readonly Category[];
  readonly territories: readonly Territory[];
  /** Duplicate detection before routing; absent: off. */
  readonly duplicates?: DuplicateRule;
}

/** Records whose owner a lead with the same e-mail goes to: an open lead, a contact, or both. */
export type ExistingRecordKind = 'lead' | 'contact';

/**
 * A lead whose e-mail an open lead or a contact already has goes to that record's owner when the
 * owner is a rep of the model who is active, on shift and within capacity; otherwise the territory decides.
 */
export interface DuplicateRule {
  readonly routeToExistingOwner: true;
  readonly match: readonly ExistingRecordKind[];
}

/** A named working calendar reps share: time zone, weekly shifts, holiday regions, days off. */
export interface WorkingCalendar extends CalendarFields {
  readonly id: string;
}

/** A rep's calendar fields override their calendar's; days off add to it. */
export interface Rep extends CalendarFields {
  readonly id: string;
  /** Short name the config file may use instead of the id (`rep01`). */
  readonly key?: string;
  readonly name: string;
  readonly active: boolean;
  readonly location?: Location;
  readonly outOfOffice: readonly OutOfOfficeWindow[];
  /** Id of a calendar of the model. */
  readonly calendar?: string;
}

export interface Queue {
  readonly id: string;
  readonly key?: string;
  readonly name: string;
}

export interface Location {
  readonly postalCode?: string;
  readonly latitude?: number;
  readonly longitude?: number;
}

export interface OutOfOfficeWindow {
  /** A local date / date-time (in `timeZone`, else the rep's) or an instant with an offset. */
  readonly from: string;
  /** Inclusive: a date-only `to` covers that whole day. */
  readonly to: string;
  readonly timeZone?: string;
  readonly note?: string;
}

/** A product and the category it belongs to; lets by-product routing fall back to the category. */
export interface Product {
  readonly name: string;
  readonly category: string;
}

/** Country > region > … : a territory's effective rule is its ancestors' expressions ANDed with its own. */
export interface Category {
  readonly id: string;
  readonly name: string;
  readonly parent?: string;
  readonly expression?: Expression;
}

export interface NamedAccounts {
  readonly accountIds: readonly string[];
  readonly companies: readonly string[];
  readonly domains: readonly string[];
}

export type RadiusRule = 'least-gets-it' | 'factored-least-gets-it' | 'custom';

export type Distribution =
  | { readonly method: 'even' }
  | { readonly method: 'weighted' }
  | { readonly method: 'by-product' }
  | { readonly method: 'proximity'; readonly mode: 'closest' }
  | {
      readonly method: 'proximity';
      readonly mode: 'radius';
      readonly radiusMiles: number;
      readonly rule: RadiusRule;
      /** The registered radius rule when `rule` is custom. */
      readonly plugin?: string;
    }
  | {
      readonly method: 'custom';
      readonly plugin: string;
      readonly options?: Readonly<Record<string, unknown>>;
    };

export type DistributionMethod = Distribution['method'];

export interface ProductAssociation {
  /** Exactly one of product / category. */
  readonly product?: string;
  readonly category?: string;
  /** The group qualifies only for leads within this distance of the group's location. */
  readonly radiusMiles?: number;
  /** 1 is preferred over 2; unset ranks after any set priority. */
  readonly priority?: number;
}

export interface DistributionGroup {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  /** Rep ids, in rotation order. */
  readonly participants: readonly string[];
  /** Weighted: percentage of the territory's leads; the territory's groups add up to 100. */
  readonly weight?: number;
  /** Factored least gets it: leads ÷ factor decides, so a higher factor receives more. */
  readonly factor?: number;
  /** Proximity and by-product radius: where the group sits. */
  readonly location?: Location;
  /** By product: what the group takes; a group with none takes leads no other group qualifies for. */
  readonly products?: readonly ProductAssociation[];
}

/**
 * When every participant is off shift: `assign-anyway` to the next rep in rotation (still
 * skipping inactive, out-of-office and full reps), park the lead with a `queue` (id), or `hold`
 * it until a rep comes on shift (then the territory's method assigns it, oldest first).
 */
export type WhenNobodyAvailable =
  | { readonly policy: 'assign-anyway' }
  | { readonly policy: 'queue'; readonly queue?: string }
  | { readonly policy: 'hold' };

/**
 * Even and weighted rotations: what a rep (even) or group (weighted) that was away makes up on
 * return. `none`: nothing (at most two leads of rounding); `full`: everything, first;
 * `{ partial: K }`: everything, at most K extra leads a day (see catch-up.ts).
 */
export type CatchUp = 'none' | 'full' | { readonly partial: number };

export interface Territory {
  readonly id: string;
  readonly name: string;
  readonly category?: string;
  /** 1 is the highest; ties go to the territory listed first. */
  readonly priority: number;
  readonly active: boolean;
  readonly expression?: Expression;
  /** Leads of these accounts (by id, company name or domain) — usually at high priority above geography. */
  readonly namedAccounts?: NamedAccounts;
  readonly distribution: Distribution;
  readonly groups: readonly DistributionGroup[];
  /** Absent: assign anyway. */
  readonly whenNobodyAvailable?: WhenNobodyAvailable;
  /** Absent: `none`. */
  readonly catchUp?: CatchUp;
  /** The matched account's owner first, when they can take the lead; then the distribution. */
  readonly accountOwnerFirst?: boolean;
  /** First touch within N working minutes of the owner, else re-route (see domain/sla). */
  readonly sla?: SlaPolicy;
}
