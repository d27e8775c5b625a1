import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import {
  type FieldSpec,
  type FieldType,
  type FieldValue,
  fieldOf,
  type SalesforceRecord,
  type SObjectSchema,
} from './schema.js';
import {
  type AggregateCall,
  type ChildSubquery,
  type ComparisonOperator,
  type Condition,
  type FieldRef,
  formatAtPosition,
  type Literal,
  type OrderItem,
  parseSoql,
  SoqlError,
  type SoqlQuery,
} from './soql.js';
import type { RecordStore } from './store.js';
import { parseDateTime } from './values.js';

/** A record as the REST API returns it from a query. */
export interface QueryRecord {
  attributes: { type: string; url?: string };
  [field: string]: unknown;
}

export interface QueryAnswer {
  totalSize: number;
  records: QueryRecord[];
  /** Aggregate results cannot be continued with queryMore in Salesforce. */
  aggregate: boolean;
  /**
   * Rows each record counts for in a page (itself plus its subqueries' child records): Salesforce's
   * 2,000 results per request include child records. Absent: one each.
   */
  rowWeights?: number[];
}

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: QueryRecord[];
}

type Predicate = (record: SalesforceRecord) => boolean;
type SortKey = string | number;

interface ResolvedField {
  /** Canonical path, e.g. `Owner.Name`. */
  label: string;
  /** The field's own name, e.g. `Name`. */
  leafName: string;
  type: FieldType;
  /** Set for `Relationship.Field` paths. */
  relationship?: FieldSpec;
  /** A currency field of the queried object itself. */
  currency?: boolean;
  read: (record: SalesforceRecord) => FieldValue;
}

interface ResolvedAggregate {
  fn: AggregateCall['fn'];
  field?: ResolvedField;
  signature: string;
}

const DAY_MS = 86_400_000;
const MAX_OFFSET = 2000;
const TYPE_NAMES: Record<FieldType, string> = {
  id: 'id',
  reference: 'id',
  string: 'string',
  boolean: 'boolean',
  number: 'double',
  date: 'date',
  datetime: 'dateTime',
};

/** Runs parsed SOQL against the store. Everything it cannot answer faithfully is an error. */
export class QueryEngine {
  constructor(
    private readonly store: RecordStore,
    private readonly now: () => Date,
  ) {}

  /** `userId`: the running user, whose currency convertCurrency() answers in (default: the corporate one). */
  run(soql: string, apiVersion = '62.0', userId?: string): QueryAnswer {
    const query = parseSoql(soql);
    const object = this.store.schema.object(query.from.name);
    if (!object) {
      throw new SoqlError(
        'INVALID_TYPE',
        formatAtPosition(soql, query.from.pos, `sObject type '${query.from.name}' is not supported.`),
      );
    }
    const user = userId ? this.store.get('User', userId) : undefined;
    const context = new QueryContext(
      soql,
      object,
      this.store,
      this.now(),
      this.store.schema.rate(user?.DefaultCurrencyIsoCode),
    );
    if (query.offset !== undefined && query.offset > MAX_OFFSET) {
      throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
    }
    const isAggregate = query.select.some((item) => item.expr.kind === 'aggregate') || !!query.groupBy;
    return isAggregate ? context.aggregate(query) : context.select(query, apiVersion);
  }
}

class QueryContext {
  constructor(
    private readonly soql: string,
    private readonly object: SObjectSchema,
    private readonly store: RecordStore,
    private readonly now: Date,
    /** The running user's currency rate; undefined in a single-currency org. */
    private readonly userRate: number | undefined,
  ) {}

  // ---------- plain SELECT ----------

  select(query: SoqlQuery, apiVersion: string): QueryAnswer {
    const columns: ResolvedField[] = [];
    const seen = new Set<string>();
    for (const item of query.select) {
      if (item.expr.kind !== 'field')
        throw this.malformed('aggregate functions need GROUP BY or no other fields');
      if (item.alias && !item.expr.convertCurrency)
        throw this.malformed('only aggregate expressions use field aliasing', item.expr.pos);
      let field = this.resolve(item.expr);
      if (item.expr.convertCurrency) field = this.converted(field, item.expr.pos, item.alias);
      if (seen.has(field.label.toLowerCase())) {
        throw this.malformed(`duplicate field selected: ${field.label}`, item.expr.pos);
      }
      seen.add(field.label.toLowerCase());
      columns.push(field);
    }
    let matches = this.matching(query.where);
    if (query.orderBy) matches = sortBy(matches, this.recordOrder(query.orderBy));
    const children = (query.children ?? []).map((sub) => this.childColumn(sub, apiVersion));
    const page = window(matches, query.offset, query.limit);
    const records = page.map((record) => {
      const out = this.project(record, columns, apiVersion);
      for (const child of children) out[child.name] = child.of(record);
      return out;
    });
    if (children.length === 0) return { totalSize: records.length, records, aggregate: false };
    const rowWeights = records.map(
      (r) =>
        1 + children.reduce((n, c) => n + ((r[c.name] as { totalSize: number } | null)?.totalSize ?? 0), 0),
    );
    return { totalSize: records.length, records, aggregate: false, rowWeights };
  }

  private recordOrder(orderBy: OrderItem[]) {
    return orderBy.map((item) => {
      if (item.expr.kind !== 'field')
        throw this.malformed('ORDER BY an aggregate needs GROUP BY', item.expr.pos);
      const field = this.resolve(item.expr);
      return { value: field.read, type: field.type, descending: item.descending, nullsLast: item.nullsLast };
    });
  }

  /**
   * A parent-to-child subquery: each parent's child records (filtered, ordered, limited) as a nested
   * query result, or null when it has none — as Salesforce answers.
   */
  private childColumn(
    sub: ChildSubquery,
    apiVersion: string,
  ): { name: string; of: (parent: SalesforceRecord) => unknown } {
    const relationship = this.object.childRelationships.get(sub.relationship.name.toLowerCase());
    const childSchema = relationship ? this.store.schema.object(relationship.child) : undefined;
    if (!relationship || !childSchema) {
      throw new SoqlError(
        'INVALID_TYPE',
        formatAtPosition(
          this.soql,
          sub.relationship.pos,
          `Didn't understand relationship '${sub.relationship.name}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    const child = new QueryContext(this.soql, childSchema, this.store, this.now, this.userRate);
    const columns = sub.select.map((ref) => child.resolve(ref));
    const seen = new Set<string>();
    for (const [i, column] of columns.entries()) {
      if (seen.has(column.label.toLowerCase()))
        throw this.malformed(`duplicate field selected: ${column.label}`, sub.select[i]!.pos);
      seen.add(column.label.toLowerCase());
    }
    let matches = child.matching(sub.where);
    if (sub.orderBy) matches = sortBy(matches, child.recordOrder(sub.orderBy));
    const byParent = new Map<string, SalesforceRecord[]>();
    for (const record of matches) {
      const parentId = record[relationship.field];
      if (typeof parentId !== 'string') continue;
      const key = isSalesforceId(parentId) ? toId18(parentId) : parentId;
      const list = byParent.get(key);
      if (list) list.push(record);
      else byParent.set(key, [record]);
    }
    return {
      name: relationship.name,
      of: (parent) => {
        const list = window(byParent.get(String(parent.Id)) ?? [], 0, sub.limit);
        if (list.length === 0) return null;
        return {
          totalSize: list.length,
          done: true,
          records: list.map((r) => child.project(r, columns, apiVersion)),
        };
      },
    };
  }

  private project(record: SalesforceRecord, columns: ResolvedField[], apiVersion: string): QueryRecord {
    const out: QueryRecord = {
      attributes: { type: this.object.name, url: recordUrl(apiVersion, this.object.name, String(record.Id)) },
    };
    for (const column of columns) {
      const relationship = column.relationship;
      if (!relationship) {
        out[column.leafName] = column.read(record);
        continue;
      }
      const key = relationship.relationshipName!;
      if (!(key in out)) out[key] = this.relatedStub(record[relationship.name], relationship, apiVersion);
      const related = out[key] as QueryRecord | null;
      if (related) related[column.leafName] = column.read(record);
    }
    return out;
  }

  private relatedStub(
    id: FieldValue | undefined,
    relationship: FieldSpec,
    apiVersion: string,
  ): QueryRecord | null {
    if (typeof id !== 'string') return null;
    const target = this.store.schema.objectForId(id);
    if (!target) return null;
    // Salesforce types polymorphic lookups (a lead's Owner: user or queue) as 'Name'.
    const type = (relationship.referenceTo?.length ?? 0) > 1 ? 'Name' : target.name;
    return { attributes: { type, url: recordUrl(apiVersion, target.name, id) } };
  }

  // ---------- aggregates ----------

  aggregate(query: SoqlQuery): QueryAnswer {
    if (query.children) throw this.malformed('aggregate queries do not support subqueries');
    const countOnly = query.select.length === 1 && isCountAll(query.select[0]!.expr);
    if (countOnly) {
      if (query.groupBy)
        throw this.malformed('COUNT() with GROUP BY is not supported by the Salesforce emulator');
      if (query.orderBy) throw this.malformed('ORDER BY is not allowed with COUNT()');
      const total = window(this.matching(query.where), query.offset, query.limit).length;
      return { totalSize: total, records: [], aggregate: false };
    }
    const groupFields = (query.groupBy ?? []).map((ref) => this.resolve(ref));
    const groupIndex = (field: ResolvedField) =>
      groupFields.findIndex((g) => g.label.toLowerCase() === field.label.toLowerCase());

    type Column = { name: string } & ({ group: number } | { aggregate: ResolvedAggregate });
    const columns: Column[] = [];
    const names = new Set<string>();
    let exprCount = 0;
    for (const item of query.select) {
      let column: Column;
      if (item.expr.kind === 'field') {
        const field = this.resolve(item.expr);
        const index = groupIndex(field);
        if (index < 0)
          throw this.malformed(`Field must be grouped or aggregated: ${field.label}`, item.expr.pos);
        column = { name: item.alias ?? field.leafName, group: index };
      } else {
        if (isCountAll(item.expr)) throw this.malformed('COUNT() must be the only item in the SELECT list');
        // Unnamed aggregates are expr0, expr1, ... in order, counting only the unnamed ones.
        const name = item.alias ?? `expr${exprCount++}`;
        column = { name, aggregate: this.resolveAggregate(item.expr) };
      }
      if (names.has(column.name.toLowerCase())) throw this.malformed(`duplicate alias: ${column.name}`);
      names.add(column.name.toLowerCase());
      columns.push(column);
    }

    const groups = new Map<string, { values: FieldValue[]; rows: SalesforceRecord[] }>();
    // Without GROUP BY there is exactly one result row, even when nothing matches.
    if (groupFields.length === 0) groups.set(JSON.stringify([]), { values: [], rows: [] });
    for (const record of this.matching(query.where)) {
      const values = groupFields.map((g) => g.read(record));
      const key = JSON.stringify(
        values.map((v, i) => (v === null ? null : sortKey(v, groupFields[i]!.type))),
      );
      let group = groups.get(key);
      if (!group) {
        group = { values, rows: [] };
        groups.set(key, group);
      }
      group.rows.push(record);
    }

    let results = [...groups.values()];
    if (query.orderBy) {
      const order = query.orderBy.map((item) => {
        if (item.expr.kind === 'field') {
          const field = this.resolve(item.expr);
          const index = groupIndex(field);
          if (index < 0) throw this.malformed(`Ordered field must be grouped or aggregated: ${field.label}`);
          const value = (g: (typeof results)[number]) => g.values[index] ?? null;
          return { value, type: field.type, descending: item.descending, nullsLast: item.nullsLast };
        }
        const aggregate = this.resolveAggregate(item.expr);
        return {
          value: (g: (typeof results)[number]) => computeAggregate(aggregate, g.rows),
          type: aggregateType(aggregate),
          descending: item.descending,
          nullsLast: item.nullsLast,
        };
      });
      results = sortBy(results, order);
    }
    results = window(results, query.offset, query.limit);
    const records = results.map((group) => {
      const out: QueryRecord = { attributes: { type: 'AggregateResult' } };
      for (const column of columns) {
        out[column.name] =
          'group' in column
            ? (group.values[column.group] ?? null)
            : computeAggregate(column.aggregate, group.rows);
      }
      return out;
    });
    return { totalSize: records.length, records, aggregate: true };
  }

  /**
   * `convertCurrency(field)`: the record's value in the running user's currency. Only a
   * multi-currency org knows currencies, and only currency fields convert.
   */
  private converted(field: ResolvedField, pos: number, alias?: string): ResolvedField {
    const userRate = this.userRate;
    if (userRate === undefined) {
      throw new SoqlError(
        'INVALID_FIELD',
        formatAtPosition(
          this.soql,
          pos,
          'convertCurrency() requires an organization with multiple currencies enabled',
        ),
      );
    }
    if (!field.currency || field.relationship)
      throw this.malformed(`convertCurrency() applies only to currency fields: ${field.label}`, pos);
    const schema = this.store.schema;
    return {
      ...field,
      label: alias ?? field.label,
      leafName: alias ?? field.leafName,
      read: (r) => {
        const value = field.read(r);
        const rate = schema.rate(r.CurrencyIsoCode);
        if (typeof value !== 'number' || rate === undefined) return value;
        return Math.round((value / rate) * userRate * 100) / 100;
      },
    };
  }

  /** In a multi-currency org, a currency field's aggregate is in the corporate currency. */
  private inCorporateCurrency(field: ResolvedField): ResolvedField {
    if (this.userRate === undefined || !field.currency) return field;
    const schema = this.store.schema;
    return {
      ...field,
      read: (r) => {
        const value = field.read(r);
        const rate = schema.rate(r.CurrencyIsoCode);
        return typeof value === 'number' && rate !== undefined ? value / rate : value;
      },
    };
  }

  private resolveAggregate(call: AggregateCall): ResolvedAggregate {
    const field = call.field ? this.inCorporateCurrency(this.resolve(call.field)) : undefined;
    if (field && (call.fn === 'SUM' || call.fn === 'AVG') && field.type !== 'number') {
      throw this.malformed(`field ${field.label} does not support aggregate operator ${call.fn}`, call.pos);
    }
    if (field && (call.fn === 'MIN' || call.fn === 'MAX') && field.type === 'boolean') {
      throw this.malformed(`field ${field.label} does not support aggregate operator ${call.fn}`, call.pos);
    }
    return { fn: call.fn, field, signature: `${call.fn}(${field?.label.toLowerCase() ?? ''})` };
  }

  // ---------- WHERE ----------

  private matching(where: Condition | undefined): SalesforceRecord[] {
    const all = [...this.store.table(this.object.name).values()];
    if (!where) return all;
    const predicate = this.predicate(where);
    return all.filter(predicate);
  }

  private predicate(condition: Condition): Predicate {
    switch (condition.kind) {
      case 'and': {
        const items = condition.items.map((c) => this.predicate(c));
        return (r) => items.every((p) => p(r));
      }
      case 'or': {
        const items = condition.items.map((c) => this.predicate(c));
        return (r) => items.some((p) => p(r));
      }
      case 'not': {
        const item = this.predicate(condition.item);
        return (r) => !item(r);
      }
      case 'compare':
        return this.comparison(
          this.resolve(condition.field),
          condition.op,
          condition.value,
          condition.field.pos,
        );
      case 'in': {
        const field = this.resolve(condition.field);
        let matchesNull = false;
        const keys = new Set<SortKey>();
        for (const literal of condition.values) {
          if (literal.kind === 'null') matchesNull = true;
          else if (literal.kind === 'relativeDate')
            throw this.malformed('date literals are not allowed in IN');
          else keys.add(this.literalKey(field, literal, condition.field.pos));
        }
        const inList: Predicate = (r) => {
          const value = field.read(r);
          return value === null ? matchesNull : keys.has(sortKey(value, field.type));
        };
        return condition.negated ? (r) => !inList(r) : inList;
      }
      case 'like': {
        const field = this.resolve(condition.field);
        if (field.type !== 'string') {
          throw this.malformed(
            `invalid operator on field ${field.label}: LIKE needs a text field`,
            condition.field.pos,
          );
        }
        const pattern = likeToRegExp(condition.pattern.raw);
        return (r) => {
          const value = field.read(r);
          return typeof value === 'string' && pattern.test(value);
        };
      }
    }
  }

  private comparison(field: ResolvedField, op: ComparisonOperator, literal: Literal, pos: number): Predicate {
    if (literal.kind === 'null') {
      if (op !== '=' && op !== '!=') throw this.malformed('null can only be compared with = or !=', pos);
      return op === '=' ? (r) => field.read(r) === null : (r) => field.read(r) !== null;
    }
    if (field.type === 'boolean' && op !== '=' && op !== '!=') {
      throw new SoqlError(
        'INVALID_QUERY_FILTER_OPERATOR',
        formatAtPosition(this.soql, pos, `invalid operator on boolean field: ${field.label}`),
      );
    }
    if (literal.kind === 'relativeDate') {
      if (field.type !== 'date' && field.type !== 'datetime') throw this.typeMismatch(field, pos);
      const [start, end] = relativeDateRange(literal.name, literal.n, this.now);
      const inRange: Record<ComparisonOperator, (v: number) => boolean> = {
        '=': (v) => v >= start && v < end,
        '!=': (v) => v < start || v >= end,
        '<': (v) => v < start,
        '<=': (v) => v < end,
        '>': (v) => v >= end,
        '>=': (v) => v >= start,
      };
      const test = inRange[op];
      return (r) => {
        const value = field.read(r);
        if (value === null) return op === '!=';
        return test(sortKey(value, field.type) as number);
      };
    }
    const expected = this.literalKey(field, literal, pos);
    return (r) => {
      const value = field.read(r);
      if (value === null) return op === '!=';
      const actual = sortKey(value, field.type);
      switch (op) {
        case '=':
          return actual === expected;
        case '!=':
          return actual !== expected;
        case '<':
          return actual < expected;
        case '<=':
          return actual <= expected;
        case '>':
          return actual > expected;
        case '>=':
          return actual >= expected;
      }
    };
  }

  /** The comparable key of a literal, after checking it suits the field's type. */
  private literalKey(
    field: ResolvedField,
    literal: Exclude<Literal, { kind: 'null' | 'relativeDate' }>,
    pos: number,
  ) {
    switch (field.type) {
      case 'id':
      case 'reference':
        if (literal.kind !== 'string') throw this.typeMismatch(field, pos);
        if (!isSalesforceId(literal.value)) {
          throw new SoqlError(
            'INVALID_QUERY_FILTER_OPERATOR',
            formatAtPosition(this.soql, pos, `invalid ID field: ${literal.value}`),
          );
        }
        return toId18(literal.value);
      case 'string':
        if (literal.kind !== 'string') throw this.typeMismatch(field, pos);
        return literal.value.toLowerCase();
      case 'boolean':
        if (literal.kind !== 'boolean') throw this.typeMismatch(field, pos);
        return literal.value ? 1 : 0;
      case 'number':
        if (literal.kind !== 'number') throw this.typeMismatch(field, pos);
        return literal.value;
      case 'date':
        if (literal.kind !== 'date') throw this.typeMismatch(field, pos);
        return Date.parse(`${literal.value}T00:00:00Z`);
      case 'datetime':
        if (literal.kind !== 'datetime') throw this.typeMismatch(field, pos);
        return literal.value;
    }
  }

  // ---------- field resolution ----------

  private resolve(ref: FieldRef): ResolvedField {
    let path = ref.path;
    // `Lead.Status` in a query FROM Lead names the object's own field.
    if (path.length > 1 && path[0]!.toLowerCase() === this.object.name.toLowerCase()) path = path.slice(1);
    if (path.length === 1) {
      const spec = fieldOf(this.object, path[0]!);
      if (!spec) throw this.invalidField(path[0]!, this.object.name, ref.pos);
      const name = spec.name;
      return {
        label: name,
        leafName: name,
        type: spec.type,
        ...(spec.currency ? { currency: true } : {}),
        read: (r) => r[name] ?? null,
      };
    }
    if (path.length > 2) {
      throw this.malformed(
        'relationship paths deeper than one level are not supported by the Salesforce emulator',
        ref.pos,
      );
    }
    const [relationshipName, leaf] = path as [string, string];
    const relationship = this.object.relationships.get(relationshipName.toLowerCase());
    if (!relationship) {
      throw new SoqlError(
        'INVALID_FIELD',
        formatAtPosition(
          this.soql,
          ref.pos,
          `Didn't understand relationship '${relationshipName}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`,
        ),
      );
    }
    const leafByPrefix = new Map<string, FieldSpec>();
    for (const targetName of relationship.referenceTo ?? []) {
      const target = this.store.schema.object(targetName);
      const spec = target && fieldOf(target, leaf);
      if (target && spec) leafByPrefix.set(target.keyPrefix, spec);
    }
    const first = [...leafByPrefix.values()][0];
    if (!first) throw this.invalidField(leaf, relationship.referenceTo?.[0] ?? relationshipName, ref.pos);
    const store = this.store;
    return {
      label: `${relationship.relationshipName}.${first.name}`,
      leafName: first.name,
      type: first.type,
      relationship,
      read: (r) => {
        const id = r[relationship.name];
        if (typeof id !== 'string') return null;
        const target = store.schema.objectForId(id);
        const spec = target && leafByPrefix.get(target.keyPrefix);
        if (!target || !spec) return null;
        return store.live(target.name, id)?.[spec.name] ?? null;
      },
    };
  }

  private invalidField(name: string, objectName: string, pos: number): SoqlError {
    return new SoqlError(
      'INVALID_FIELD',
      formatAtPosition(
        this.soql,
        pos,
        `No such column '${name}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
      ),
    );
  }

  private typeMismatch(field: ResolvedField, pos: number): SoqlError {
    const quoted = field.type === 'string' || field.type === 'id' || field.type === 'reference';
    return this.malformed(
      `value of filter criterion for field '${field.label}' must be of type ${TYPE_NAMES[field.type]} and should ${
        quoted ? '' : 'not '
      }be enclosed in quotes`,
      pos,
    );
  }

  private malformed(message: string, pos?: number): SoqlError {
    return new SoqlError(
      'MALFORMED_QUERY',
      pos === undefined ? message : formatAtPosition(this.soql, pos, message),
    );
  }
}

/**
 * Open query cursors for queryMore. Like Salesforce, a cursor is a snapshot taken when the query
 * ran; it expires after 15 idle minutes and only a bounded number stay open.
 */
export class QueryCursors {
  private static readonly IDLE_MS = 15 * 60_000;
  private static readonly MAX_OPEN = 500;
  private readonly cursors = new Map<string, { answer: QueryAnswer; batchSize: number; lastUsed: number }>();
  private opened = 0;

  constructor(private readonly now: () => Date) {}

  firstPage(answer: QueryAnswer, batchSize: number, apiVersion: string): QueryPage {
    if (pageEnd(answer, 0, batchSize) >= answer.records.length) {
      return { totalSize: answer.totalSize, done: true, records: answer.records };
    }
    this.prune();
    this.opened += 1;
    const id = toId18(`01gEM${String(this.opened).padStart(10, '0')}`);
    this.cursors.set(id, { answer, batchSize, lastUsed: this.now().getTime() });
    return this.page(id, 0, apiVersion);
  }

  nextPage(locator: string, apiVersion: string): QueryPage {
    const match = /^([A-Za-z0-9]{15,18})-(\d+)$/.exec(locator);
    const cursor = match ? this.cursors.get(match[1]!) : undefined;
    const position = Number(match?.[2]);
    if (!match || !cursor || position > cursor.answer.records.length) {
      throw new SoqlError('INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    if (cursor.answer.aggregate) {
      throw new SoqlError(
        'MALFORMED_QUERY',
        'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch',
      );
    }
    cursor.lastUsed = this.now().getTime();
    return this.page(match[1]!, position, apiVersion);
  }

  private page(id: string, position: number, apiVersion: string): QueryPage {
    const cursor = this.cursors.get(id)!;
    const end = pageEnd(cursor.answer, position, cursor.batchSize);
    const records = cursor.answer.records.slice(position, end);
    const done = end >= cursor.answer.records.length;
    if (done) {
      this.cursors.delete(id);
      return { totalSize: cursor.answer.totalSize, done, records };
    }
    return {
      totalSize: cursor.answer.totalSize,
      done,
      nextRecordsUrl: `/services/data/v${apiVersion}/query/${id}-${end}`,
      records,
    };
  }

  private prune(): void {
    const now = this.now().getTime();
    for (const [id, cursor] of this.cursors) {
      if (now - cursor.lastUsed > QueryCursors.IDLE_MS) this.cursors.delete(id);
    }
    // Map keeps insertion order, so the first entries are the oldest.
    while (this.cursors.size >= QueryCursors.MAX_OPEN) {
      const oldest = this.cursors.keys().next().value;
      if (oldest === undefined) break;
      this.cursors.delete(oldest);
    }
  }
}

// ---------- helpers ----------

/** Where a page starting at `position` ends: at most `batchSize` rows, child records included, at least one record. */
function pageEnd(answer: QueryAnswer, position: number, batchSize: number): number {
  const weights = answer.rowWeights;
  if (!weights) return Math.min(position + batchSize, answer.records.length);
  let end = position;
  let rows = 0;
  while (end < answer.records.length) {
    const weight = weights[end] ?? 1;
    if (end > position && rows + weight > batchSize) break;
    rows += weight;
    end += 1;
  }
  return end;
}

export function recordUrl(apiVersion: string, type: string, id: string): string {
  return `/services/data/v${apiVersion}/sobjects/${type}/${id}`;
}

function isCountAll(expr: FieldRef | AggregateCall): boolean {
  return expr.kind === 'aggregate' && expr.fn === 'COUNT' && !expr.field;
}

function window<T>(items: T[], offset = 0, limit?: number): T[] {
  return items.slice(offset, limit === undefined ? undefined : offset + limit);
}

/** A comparable key for a non-null value: text compares case-insensitively, times as epoch ms. */
function sortKey(value: string | number | boolean, type: FieldType): SortKey {
  switch (type) {
    case 'string':
      return String(value).toLowerCase();
    case 'boolean':
      return value ? 1 : 0;
    case 'number':
      return Number(value);
    case 'date':
      return Date.parse(`${String(value)}T00:00:00Z`);
    case 'datetime':
      return parseDateTime(String(value)) ?? Number.NaN;
    default:
      return String(value);
  }
}

interface SortOrder<T> {
  value: (item: T) => FieldValue;
  type: FieldType;
  descending: boolean;
  nullsLast: boolean;
}

/** A stable sort that computes each item's keys once (date-times would otherwise be parsed per comparison). */
function sortBy<T>(items: T[], order: SortOrder<T>[]): T[] {
  const keyed = items.map((item) => ({
    item,
    keys: order.map((o) => {
      const value = o.value(item);
      return value === null ? null : sortKey(value, o.type);
    }),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < order.length; i++) {
      const { descending, nullsLast } = order[i]!;
      const ka = a.keys[i] ?? null;
      const kb = b.keys[i] ?? null;
      if (ka === null || kb === null) {
        if (ka === kb) continue;
        return (ka === null) === nullsLast ? 1 : -1;
      }
      if (ka !== kb) return (ka < kb ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  });
  return keyed.map((k) => k.item);
}

function computeAggregate(aggregate: ResolvedAggregate, rows: SalesforceRecord[]): FieldValue {
  const field = aggregate.field;
  if (!field) return rows.length;
  const values = rows.map((r) => field.read(r)).filter((v): v is string | number | boolean => v !== null);
  switch (aggregate.fn) {
    case 'COUNT':
      return values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.map((v) => sortKey(v, field.type))).size;
    case 'SUM':
      return values.length === 0 ? null : values.reduce<number>((sum, v) => sum + Number(v), 0);
    case 'AVG':
      return values.length === 0
        ? null
        : values.reduce<number>((sum, v) => sum + Number(v), 0) / values.length;
    case 'MIN':
    case 'MAX': {
      let best: string | number | boolean | undefined;
      for (const v of values) {
        if (best === undefined) best = v;
        else {
          const c = sortKey(v, field.type) < sortKey(best, field.type) ? -1 : 1;
          if ((aggregate.fn === 'MIN') === c < 0) best = v;
        }
      }
      return best ?? null;
    }
  }
}

function aggregateType(aggregate: ResolvedAggregate): FieldType {
  if (aggregate.fn === 'MIN' || aggregate.fn === 'MAX') return aggregate.field?.type ?? 'number';
  return 'number';
}

/** [start, end) in epoch ms of a relative date literal, by UTC days. */
function relativeDateRange(name: string, n: number, now: Date): [number, number] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  switch (name) {
    case 'TODAY':
      return [today, today + DAY_MS];
    case 'YESTERDAY':
      return [today - DAY_MS, today];
    case 'TOMORROW':
      return [today + DAY_MS, today + 2 * DAY_MS];
    case 'LAST_N_DAYS':
      return [today - n * DAY_MS, today + DAY_MS];
    default:
      return [today + DAY_MS, today + (n + 1) * DAY_MS];
  }
}

/** SOQL LIKE: `%` any run, `_` one character, backslash escapes; case-insensitive, whole value. */
function likeToRegExp(raw: string): RegExp {
  let source = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charAt(i);
    if (ch === '\\') {
      const next = raw.charAt(i + 1);
      i += 1;
      const literal =
        ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[next] ?? next;
      source += escapeRegExp(literal);
    } else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`, 'is');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
