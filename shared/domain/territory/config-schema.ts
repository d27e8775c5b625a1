import * as z from 'zod';
import { type Expression, expressionSchema } from './expression.js';

/**
 * The territory config file as RevOps people write it (YAML or JSON, kept in git). Looser than the
 * validated model: reps may be referred to by a short key, ids may have 15 characters,
 * expressions may be text, a territory may list `participants` instead of groups. Unknown keys
 * are errors, so a typo never silently drops a rule.
 */
const text = z.string().trim().min(1);
const postalCode = z.union([z.string(), z.number()]).transform(String);

export const expressionInputSchema = z.union([z.string(), expressionSchema]);
export type ExpressionInput = string | Expression;

const locationSchema = z.strictObject({
  postalCode: postalCode.optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
});

const outOfOfficeSchema = z.strictObject({
  from: text,
  to: text,
  timeZone: text.optional(),
  note: z.string().optional(),
});

/** Day (`mon`) or range (`mon-fri`) → one shift (`09:00-17:00`) or several; checked by the validator. */
const workingHoursSchema = z.record(z.string(), z.union([text, z.array(text)]));

/** A working calendar's fields; a rep may name a calendar and override any of them. */
const calendarFields = {
  timeZone: text.optional(),
  workingHours: workingHoursSchema.optional(),
  /** Region codes whose public holidays are days off: `CA-ON`, `US-NY`. */
  holidays: z.array(text).optional(),
  /** Extra local dates off: `2026-12-24`. */
  daysOff: z.array(text).optional(),
};

const calendarSchema = z.strictObject({ id: text, ...calendarFields });

const repSchema = z.strictObject({
  key: text.optional(),
  id: text,
  name: text,
  active: z.boolean().default(true),
  location: locationSchema.optional(),
  outOfOffice: z.array(outOfOfficeSchema).default([]),
  /** A calendar of the model; defaults to the model's `defaultCalendar`. */
  calendar: text.optional(),
  ...calendarFields,
});

const queueSchema = z.strictObject({ key: text.optional(), id: text, name: text });

const productSchema = z.strictObject({ name: text, category: text });

const categorySchema = z.strictObject({
  id: text,
  name: text.optional(),
  parent: text.optional(),
  expression: expressionInputSchema.optional(),
});

const namedAccountsSchema = z.strictObject({
  accountIds: z.array(text).default([]),
  companies: z.array(text).default([]),
  domains: z.array(text).default([]),
});

const productAssociationSchema = z.strictObject({
  product: text.optional(),
  category: text.optional(),
  radiusMiles: z.number().positive().optional(),
  priority: z.number().int().min(1).optional(),
});

const groupSchema = z.strictObject({
  id: text,
  name: text.optional(),
  active: z.boolean().default(true),
  participants: z.array(text).min(1),
  weight: z.number().min(0).max(100).optional(),
  factor: z.number().positive().optional(),
  location: locationSchema.optional(),
  products: z.array(productAssociationSchema).optional(),
});

const distributionSchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('even') }),
  z.strictObject({ method: z.literal('weighted') }),
  z.strictObject({ method: z.literal('by-product') }),
  z.strictObject({
    method: z.literal('proximity'),
    mode: z.enum(['closest', 'radius']),
    radiusMiles: z.number().positive().optional(),
    rule: z.enum(['least-gets-it', 'factored-least-gets-it', 'custom']).optional(),
    plugin: text.optional(),
  }),
  z.strictObject({
    method: z.literal('custom'),
    plugin: text,
    options: z.record(z.string(), z.unknown()).optional(),
  }),
]);

/** What happens to a lead when every rep is off shift (holiday, day off, outside working hours). */
const whenNobodyAvailableSchema = z.discriminatedUnion('policy', [
  z.strictObject({ policy: z.literal('assign-anyway') }),
  /** To a queue (a key or id; default: the model's default owner) — top-up can take it from there. */
  z.strictObject({ policy: z.literal('queue'), queue: text.optional() }),
  /** Kept here, durably, until a rep comes on shift; then assigned by the territory's method, oldest first. */
  z.strictObject({ policy: z.literal('hold') }),
]);

/**
 * Even and weighted rotations: how much a rep (or group) who was away makes up on return. `none`:
 * nothing, the rotation goes on; `full`: every lead until caught up; `{ partial: K }`: all of it,
 * at most K extra leads a day.
 */
const catchUpSchema = z.union(
  [z.enum(['none', 'full']), z.strictObject({ partial: z.number().int().min(1).max(1000) })],
  { error: 'expected none, full or { partial: K } with K a whole number from 1 to 1000' },
);

/** First touch within N working minutes of the owner's calendar (see README "SLAs"). */
const slaSchema = z.strictObject({
  firstTouchMinutes: z.number().int().positive().max(525_600),
  /** Warn the owner once this share of the SLA has passed (0.5: half-way). */
  warnAt: z.number().gt(0).lt(1).optional(),
  maxReroutes: z.number().int().min(0).max(20).default(1),
  /** After the last re-route: the owner's manager (User.ManagerId) or a queue (default: the model's default owner). */
  escalateTo: z
    .discriminatedUnion('to', [
      z.strictObject({ to: z.literal('manager') }),
      z.strictObject({ to: z.literal('queue'), queue: text.optional() }),
    ])
    .default({ to: 'queue' }),
});

const territorySchema = z.strictObject({
  id: text,
  name: text.optional(),
  category: text.optional(),
  priority: z.number().int().min(1),
  active: z.boolean().default(true),
  expression: expressionInputSchema.optional(),
  namedAccounts: namedAccountsSchema.optional(),
  distribution: distributionSchema.default({ method: 'even' }),
  /** Shorthand for one group holding these reps. */
  participants: z.array(text).min(1).optional(),
  groups: z.array(groupSchema).min(1).optional(),
  /** Default `assign-anyway`: the next rep in rotation who is not inactive, away or full. */
  whenNobodyAvailable: whenNobodyAvailableSchema.optional(),
  /** Default `none`: a rep back from vacation is not flooded. */
  catchUp: catchUpSchema.optional(),
  /**
   * The owner of the lead's matched account (`Account.OwnerId`) gets the lead when they are a rep of
   * the model who is active, on shift and within capacity; otherwise the distribution decides, with why.
   */
  accountOwnerFirst: z.boolean().optional(),
  sla: slaSchema.optional(),
});

/** Duplicate detection before routing: the owner of an open lead or contact with the same e-mail gets the lead. */
const duplicatesSchema = z.strictObject({
  routeToExistingOwner: z.boolean().default(true),
  match: z
    .array(z.enum(['lead', 'contact']))
    .min(1)
    .refine((kinds) => new Set(kinds).size === kinds.length, { message: 'lists a kind twice' })
    .default(['contact', 'lead']),
});

export const territoryConfigSchema = z.strictObject({
  name: text,
  description: z.string().optional(),
  timeZone: text.default('UTC'),
  defaultOwner: text,
  calendars: z.array(calendarSchema).default([]),
  /** The calendar of reps that name none; without one such reps work every hour. */
  defaultCalendar: text.optional(),
  reps: z.array(repSchema).min(1),
  queues: z.array(queueSchema).default([]),
  products: z.array(productSchema).default([]),
  categories: z.array(categorySchema).default([]),
  territories: z.array(territorySchema),
  duplicates: duplicatesSchema.optional(),
});

export type TerritoryConfig = z.output<typeof territoryConfigSchema>;
export type TerritoryConfigInput = z.input<typeof territoryConfigSchema>;
export type TerritoryConfigTerritory = TerritoryConfig['territories'][number];
export type TerritoryConfigGroup = z.output<typeof groupSchema>;
export type TerritoryConfigRep = TerritoryConfig['reps'][number];
export type TerritoryConfigCalendar = z.output<typeof calendarSchema>;
