import * as z from 'zod';
import type { ItemKey } from './keys.js';

/**
 * The codec every item type of the single table is declared with (see items.ts): its key
 * builder from keys.ts and one zod object of its stored attributes, used both ways.
 * zod rather than hand-written readers: it already validates every entry point, one schema
 * gives the TypeScript type and a read-side check whose error names the attribute at fault.
 */
export class MalformedItemError extends Error {
  override name = 'MalformedItemError';
}

/** Index keys (GSI1) an item may carry beside its primary key; built by `gsi1` in keys.ts. */
export interface IndexKey {
  GSI1PK: string;
  GSI1SK: string;
}

type Attributes = z.ZodObject<z.ZodRawShape>;

export interface ItemCodec<Ids extends readonly unknown[], S extends Attributes> {
  /** Used in error messages, e.g. `outbox item`. */
  readonly name: string;
  /** The primary key, from the one key builder. */
  key(...ids: Ids): ItemKey;
  /** The item to write: its key, optional index keys, then the declared attributes (checked). */
  toItem(ids: Ids, attributes: z.input<S>, index?: IndexKey): Record<string, unknown>;
  /** The declared attributes of a stored item plus its key; throws MalformedItemError otherwise. */
  fromItem(item: Record<string, unknown> | undefined): z.output<S> & ItemKey;
  /** A reader of some attributes only (a query's projection), for items too large to read whole. */
  picking<K extends keyof S['shape'] & string>(...names: K[]): ItemProjection<Pick<z.output<S>, K>>;
}

export interface ItemProjection<T> {
  /** Spread into a Get or Query input. */
  readonly input: { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> };
  fromItem(item: Record<string, unknown> | undefined): T & ItemKey;
}

const storedKey = z.object({ PK: z.string(), SK: z.string() });

export function itemCodec<Ids extends readonly unknown[], S extends Attributes>(spec: {
  name: string;
  key: (...ids: Ids) => ItemKey;
  attributes: S;
}): ItemCodec<Ids, S> {
  const stored = spec.attributes.extend(storedKey.shape);
  const reader =
    <T>(schema: z.ZodType, name: string) =>
    (item: Record<string, unknown> | undefined): T & ItemKey => {
      if (!item) throw new MalformedItemError(`Expected ${name}, found no item`);
      const parsed = schema.safeParse(item);
      if (!parsed.success) throw malformed(`Malformed ${name}`, item, parsed.error);
      return parsed.data as T & ItemKey;
    };
  return {
    name: spec.name,
    key: spec.key,
    toItem(ids, attributes, index) {
      const key = spec.key(...ids);
      const parsed = spec.attributes.safeParse(attributes);
      if (!parsed.success) throw malformed(`Refusing to write ${spec.name}`, key, parsed.error);
      return { ...key, ...index, ...(parsed.data as object) };
    },
    fromItem: reader(stored, spec.name),
    picking(...names) {
      const all = ['PK', 'SK', ...names];
      const mask = Object.fromEntries(names.map((n) => [n, true])) as Record<string, true>;
      return {
        input: {
          ProjectionExpression: all.map((_, i) => `#p${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(all.map((n, i) => [`#p${i}`, n])),
        },
        fromItem: reader(stored.pick({ ...mask, PK: true, SK: true } as never), `${spec.name} (projection)`),
      };
    },
  };
}

function malformed(what: string, key: { PK?: unknown; SK?: unknown }, error: z.ZodError): MalformedItemError {
  const where = `${String(key.PK)} / ${String(key.SK)}`;
  const problems = error.issues
    .map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`)
    .join('; ');
  return new MalformedItemError(`${what} ${where}: ${problems}`, { cause: error });
}

/**
 * A nested structure the domain owns (a plan, a report, a run summary), stored as one map and
 * written only through its codec: checked to be an object (or a list of them), not field by field.
 */
export function domainObject<T extends object>() {
  return z.custom<T>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected a map');
}

export function domainList<T extends object>() {
  return z.array(domainObject<T>());
}
