/**
 * SOQL: a tokenizer and recursive-descent parser for the subset this project issues.
 * Anything outside the subset is a MALFORMED_QUERY with a message naming what is unsupported,
 * never a silently different answer. Like Salesforce, AND and OR may not be mixed at one level
 * without parentheses.
 */

export type SoqlErrorCode =
  | 'MALFORMED_QUERY'
  | 'INVALID_FIELD'
  | 'INVALID_TYPE'
  | 'INVALID_QUERY_FILTER_OPERATOR'
  | 'NUMBER_OUTSIDE_VALID_RANGE'
  | 'INVALID_QUERY_LOCATOR';

export class SoqlError extends Error {
  override name = 'SoqlError';
  constructor(
    readonly errorCode: SoqlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// ---------- AST ----------

export interface FieldRef {
  kind: 'field';
  /** As written: `['Owner', 'Name']`. */
  path: string[];
  pos: number;
  /** `convertCurrency(Amount)` in SELECT: the value in the running user's currency. */
  convertCurrency?: boolean;
}

export type AggregateFunction = 'COUNT' | 'COUNT_DISTINCT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';

export interface AggregateCall {
  kind: 'aggregate';
  fn: AggregateFunction;
  /** Absent only for `COUNT()`. */
  field?: FieldRef;
  pos: number;
}

export interface SelectItem {
  expr: FieldRef | AggregateCall;
  alias?: string;
}

export type RelativeDateName = 'TODAY' | 'YESTERDAY' | 'TOMORROW' | 'LAST_N_DAYS' | 'NEXT_N_DAYS';

export type Literal =
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: number; text: string }
  | { kind: 'relativeDate'; name: RelativeDateName; n: number };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: FieldRef; op: ComparisonOperator; value: Literal }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: Literal[] }
  | { kind: 'like'; field: FieldRef; pattern: Extract<Literal, { kind: 'string' }> };

export interface OrderItem {
  expr: FieldRef | AggregateCall;
  descending: boolean;
  nullsLast: boolean;
}

/**
 * A parent-to-child subquery in SELECT: `(SELECT CreatedDate FROM Tasks ORDER BY CreatedDate DESC LIMIT 1)`,
 * FROM naming the child relationship of the outer object.
 */
export interface ChildSubquery {
  select: FieldRef[];
  relationship: { name: string; pos: number };
  where?: Condition;
  orderBy?: OrderItem[];
  limit?: number;
  pos: number;
}

export interface SoqlQuery {
  select: SelectItem[];
  /** Parent-to-child subqueries of the SELECT list, in order. */
  children?: ChildSubquery[];
  from: { name: string; pos: number };
  where?: Condition;
  groupBy?: FieldRef[];
  orderBy?: OrderItem[];
  limit?: number;
  offset?: number;
}

// ---------- tokenizer ----------

type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'string'; value: string; raw: string; pos: number }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'date'; text: string; pos: number }
  | { kind: 'datetime'; text: string; pos: number }
  | { kind: 'op'; text: ComparisonOperator | '<>'; pos: number }
  | { kind: 'punct'; text: '(' | ')' | ',' | '.' | ':'; pos: number }
  | { kind: 'eof'; pos: number };

const DATE_TIME_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE_AT = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER_AT = /^[+-]?\d+(?:\.\d+)?(?![\w.])/;
const IDENT_AT = /^[A-Za-z_][A-Za-z0-9_]*/;
/** Tokens read by pattern, tried in this order (a date before a number, a date-time before a date). */
const LEXEMES: ReadonlyArray<[RegExp, (text: string, pos: number) => Token]> = [
  [DATE_TIME_AT, (text, pos) => ({ kind: 'datetime', text, pos })],
  [DATE_AT, (text, pos) => ({ kind: 'date', text, pos })],
  [NUMBER_AT, (text, pos) => ({ kind: 'number', value: Number(text), text, pos })],
  [IDENT_AT, (text, pos) => ({ kind: 'ident', text, pos })],
  [/^(?:<=|>=|!=|<>|=|<|>)/, (text, pos) => ({ kind: 'op', text: text as ComparisonOperator | '<>', pos })],
];

function lexemeAt(rest: string, pos: number): { token: Token; length: number } | undefined {
  for (const [pattern, token] of LEXEMES) {
    const text = pattern.exec(rest)?.[0];
    if (text !== undefined) return { token: token(text, pos), length: text.length };
  }
  return undefined;
}

const STRING_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  // Only meaningful in LIKE patterns; elsewhere they stand for the character itself.
  '%': '%',
  _: '_',
};

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < soql.length) {
    const ch = soql.charAt(pos);
    if (/\s/.test(ch)) {
      pos += 1;
      continue;
    }
    const rest = soql.slice(pos);
    if (ch === "'") {
      let raw = '';
      let value = '';
      let end = pos + 1;
      for (;;) {
        if (end >= soql.length) throw syntaxError(soql, pos, 'unterminated string literal');
        const c = soql.charAt(end);
        if (c === "'") break;
        if (c === '\\') {
          const next = soql.charAt(end + 1);
          const escaped = STRING_ESCAPES[next];
          if (escaped === undefined) throw syntaxError(soql, end, `invalid escape sequence '\\${next}'`);
          raw += c + next;
          value += escaped;
          end += 2;
          continue;
        }
        raw += c;
        value += c;
        end += 1;
      }
      tokens.push({ kind: 'string', value, raw, pos });
      pos = end + 1;
      continue;
    }
    const lexeme = lexemeAt(rest, pos);
    if (lexeme) {
      tokens.push(lexeme.token);
      pos += lexeme.length;
      continue;
    }
    if ('(),.:'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch as '(' | ')' | ',' | '.' | ':', pos });
      pos += 1;
      continue;
    }
    throw syntaxError(soql, pos, `unexpected character: '${ch}'`);
  }
  tokens.push({ kind: 'eof', pos: soql.length });
  return tokens;
}

// ---------- parser ----------

/** Words that end a select item or a path, so they can never be aliases or field names. */
const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'GROUP',
  'BY',
  'ORDER',
  'ASC',
  'DESC',
  'NULLS',
  'LIMIT',
  'OFFSET',
  'HAVING',
  'WITH',
  'FOR',
  'USING',
  'TYPEOF',
  'TRUE',
  'FALSE',
  'NULL',
  'INCLUDES',
  'EXCLUDES',
]);

const AGGREGATES = new Set<AggregateFunction>(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
const RELATIVE_DATES = new Set<RelativeDateName>([
  'TODAY',
  'YESTERDAY',
  'TOMORROW',
  'LAST_N_DAYS',
  'NEXT_N_DAYS',
]);
const RELATIVE_DATES_WITH_N = new Set<RelativeDateName>(['LAST_N_DAYS', 'NEXT_N_DAYS']);

const UNSUPPORTED_CLAUSES: Record<string, string> = {
  HAVING: 'HAVING',
  WITH: 'WITH clauses',
  FOR: 'FOR VIEW / FOR UPDATE / FOR REFERENCE',
  USING: 'USING SCOPE',
  TYPEOF: 'TYPEOF',
  INCLUDES: 'INCLUDES (multi-select picklists)',
  EXCLUDES: 'EXCLUDES (multi-select picklists)',
};

export function parseSoql(soql: string): SoqlQuery {
  return new Parser(soql).query();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly soql: string) {
    this.tokens = tokenize(soql);
  }

  query(): SoqlQuery {
    this.expectKeyword('SELECT');
    const children: ChildSubquery[] = [];
    const select = this.selectList(children);
    this.expectKeyword('FROM');
    // Any word can name the object: `FROM Group` is valid although GROUP is a keyword.
    const fromToken = this.peek();
    if (fromToken.kind !== 'ident') throw this.unexpected(fromToken);
    this.index += 1;
    if (this.peek().kind === 'punct' && this.peekText() === ',') {
      throw this.unsupported('querying several objects in FROM');
    }
    if (this.peek().kind === 'ident' && !this.isReserved(this.peek())) {
      throw this.unsupported('an alias for the FROM object');
    }
    const query: SoqlQuery = {
      select,
      ...(children.length > 0 ? { children } : {}),
      from: { name: fromToken.text, pos: fromToken.pos },
    };
    if (this.acceptKeyword('WHERE')) query.where = this.condition();
    if (this.acceptKeyword('GROUP')) {
      this.expectKeyword('BY');
      if (this.peekKeyword('ROLLUP') || this.peekKeyword('CUBE'))
        throw this.unsupported('GROUP BY ROLLUP/CUBE');
      query.groupBy = this.commaList(() => this.fieldRef());
    }
    if (this.peekKeyword('HAVING')) throw this.unsupported('HAVING');
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      query.orderBy = this.commaList(() => this.orderItem());
    }
    if (this.acceptKeyword('LIMIT')) query.limit = this.nonNegativeInteger('LIMIT');
    if (this.acceptKeyword('OFFSET')) query.offset = this.nonNegativeInteger('OFFSET');
    const next = this.peek();
    if (next.kind !== 'eof') {
      const word = next.kind === 'ident' ? next.text.toUpperCase() : '';
      const clause = UNSUPPORTED_CLAUSES[word];
      if (clause) throw this.unsupported(clause);
      throw this.unexpected(next);
    }
    return query;
  }

  /** `children` collects parent-to-child subqueries; absent inside a subquery (no nesting here). */
  private selectList(children?: ChildSubquery[]): SelectItem[] {
    const items = this.commaList((): SelectItem | undefined => {
      const start = this.peek();
      if (start.kind === 'punct' && start.text === '(') {
        if (!children) throw this.unsupported('subqueries nested in a subquery');
        children.push(this.childSubquery());
        return undefined;
      }
      const expr = this.selectExpression();
      const maybeAlias = this.peek();
      if (maybeAlias.kind === 'ident' && !this.isReserved(maybeAlias)) {
        this.index += 1;
        return { expr, alias: maybeAlias.text };
      }
      return { expr };
    });
    return items.filter((item): item is SelectItem => item !== undefined);
  }

  private childSubquery(): ChildSubquery {
    const open = this.peek();
    this.expectPunct('(');
    this.expectKeyword('SELECT');
    const select = this.selectList().map((item) => {
      if (item.expr.kind !== 'field' || item.alias)
        throw this.unsupported('aggregates or aliases in a subquery', item.expr.pos);
      return item.expr;
    });
    this.expectKeyword('FROM');
    const relationship = this.peek();
    if (relationship.kind !== 'ident') throw this.unexpected(relationship);
    this.index += 1;
    const sub: ChildSubquery = {
      select,
      relationship: { name: relationship.text, pos: relationship.pos },
      pos: open.pos,
    };
    if (this.acceptKeyword('WHERE')) sub.where = this.condition();
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      sub.orderBy = this.commaList(() => this.orderItem());
    }
    if (this.acceptKeyword('LIMIT')) sub.limit = this.nonNegativeInteger('LIMIT');
    this.expectPunct(')');
    return sub;
  }

  private selectExpression(): FieldRef | AggregateCall {
    const token = this.peek();
    const after = this.tokens[this.index + 1];
    if (token.kind === 'ident' && after?.kind === 'punct' && after.text === '(') {
      if (token.text.toLowerCase() === 'convertcurrency') return this.convertCurrencyCall();
      return this.aggregateCall();
    }
    return this.fieldRef();
  }

  private convertCurrencyCall(): FieldRef {
    const name = this.expectIdent();
    this.expectPunct('(');
    const field = this.fieldRef();
    this.expectPunct(')');
    return { ...field, pos: name.pos, convertCurrency: true };
  }

  private aggregateCall(): AggregateCall {
    const name = this.expectIdent();
    const fn = name.text.toUpperCase() as AggregateFunction;
    if (!AGGREGATES.has(fn)) throw this.unsupported(`the function ${name.text}()`, name.pos);
    this.expectPunct('(');
    if (this.peek().kind === 'punct' && this.peekText() === ')') {
      if (fn !== 'COUNT') throw this.unexpected(this.peek());
      this.index += 1;
      return { kind: 'aggregate', fn, pos: name.pos };
    }
    const field = this.fieldRef();
    this.expectPunct(')');
    return { kind: 'aggregate', fn, field, pos: name.pos };
  }

  private fieldRef(): FieldRef {
    const first = this.expectIdent();
    const path = [first.text];
    while (this.peek().kind === 'punct' && this.peekText() === '.') {
      this.index += 1;
      path.push(this.expectIdent().text);
    }
    const next = this.peek();
    if (next.kind === 'punct' && next.text === '(')
      throw this.unsupported(`the function ${first.text}()`, first.pos);
    return { kind: 'field', path, pos: first.pos };
  }

  private orderItem(): OrderItem {
    const expr = this.selectExpression();
    // Ordering is always by the converted value, so convertCurrency() has no place in ORDER BY.
    if (expr.kind === 'field' && expr.convertCurrency)
      throw this.syntax(expr.pos, 'convertCurrency() cannot be used in ORDER BY');
    let descending = false;
    if (this.acceptKeyword('DESC')) descending = true;
    else this.acceptKeyword('ASC');
    // Salesforce's defaults: ascending puts nulls first, descending puts them last.
    let nullsLast = descending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true;
      else {
        this.expectKeyword('FIRST');
        nullsLast = false;
      }
    }
    return { expr, descending, nullsLast };
  }

  /** One level of AND or OR; mixing them needs parentheses, as in Salesforce. */
  private condition(): Condition {
    const first = this.unaryCondition();
    const connector = this.peekKeyword('AND') ? 'AND' : this.peekKeyword('OR') ? 'OR' : undefined;
    if (!connector) return first;
    const items = [first];
    while (this.acceptKeyword(connector)) items.push(this.unaryCondition());
    const other = connector === 'AND' ? 'OR' : 'AND';
    if (this.peekKeyword(other)) throw this.unexpected(this.peek());
    return connector === 'AND' ? { kind: 'and', items } : { kind: 'or', items };
  }

  private unaryCondition(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', item: this.unaryCondition() };
    const token = this.peek();
    if (token.kind === 'punct' && token.text === '(') {
      this.index += 1;
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    return this.predicate();
  }

  private predicate(): Condition {
    const field = this.fieldRef();
    const token = this.peek();
    if (token.kind === 'op') {
      this.index += 1;
      const op: ComparisonOperator = token.text === '<>' ? '!=' : token.text;
      return { kind: 'compare', field, op, value: this.literal() };
    }
    if (this.acceptKeyword('LIKE')) {
      const pattern = this.literal();
      if (pattern.kind !== 'string') throw this.syntax(field.pos, 'LIKE needs a string pattern');
      return { kind: 'like', field, pattern };
    }
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('IN')) {
      this.expectPunct('(');
      if (this.peekKeyword('SELECT')) throw this.unsupported('semi-joins (IN (SELECT ...))');
      const values = this.commaList(() => this.literal());
      this.expectPunct(')');
      return { kind: 'in', field, negated, values };
    }
    if (negated) throw this.unexpected(this.peek());
    const word = token.kind === 'ident' ? token.text.toUpperCase() : '';
    const clause = UNSUPPORTED_CLAUSES[word];
    if (clause) throw this.unsupported(clause);
    throw this.unexpected(token);
  }

  private literal(): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value, raw: token.raw };
      case 'number':
        return { kind: 'number', value: token.value };
      case 'date':
        if (!isCalendarDate(token.text)) throw this.syntax(token.pos, `invalid date: ${token.text}`);
        return { kind: 'date', value: token.text };
      case 'datetime': {
        const ms = Date.parse(normalizeZone(token.text));
        if (Number.isNaN(ms) || !isCalendarDate(token.text.slice(0, 10))) {
          throw this.syntax(token.pos, `invalid date-time: ${token.text}`);
        }
        return { kind: 'datetime', value: ms, text: token.text };
      }
      case 'ident': {
        const word = token.text.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' };
        if (word === 'NULL') return { kind: 'null' };
        if (RELATIVE_DATES.has(word as RelativeDateName)) {
          const name = word as RelativeDateName;
          if (!RELATIVE_DATES_WITH_N.has(name)) return { kind: 'relativeDate', name, n: 0 };
          this.expectPunct(':');
          return { kind: 'relativeDate', name, n: this.nonNegativeInteger(name) };
        }
        if (/^(?:LAST|NEXT|THIS)_|_(?:QUARTER|YEAR|MONTH|WEEK)$/.test(word)) {
          throw this.unsupported(`the date literal ${token.text}`, token.pos);
        }
        throw this.unexpected(token);
      }
      case 'punct':
        if (token.text === ':') throw this.unsupported('bind variables', token.pos);
        throw this.unexpected(token);
      default:
        throw this.unexpected(token);
    }
  }

  private nonNegativeInteger(clause: string): number {
    const token = this.next();
    if (token.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0) {
      throw this.syntax(token.pos, `${clause} needs a non-negative integer`);
    }
    return token.value;
  }

  private commaList<T>(item: () => T): T[] {
    const items = [item()];
    while (this.peek().kind === 'punct' && this.peekText() === ',') {
      this.index += 1;
      items.push(item());
    }
    return items;
  }

  // ---- token helpers ----

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: 'eof', pos: this.soql.length };
  }

  private peekText(): string {
    const token = this.peek();
    return 'text' in token ? token.text : '';
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }

  private isReserved(token: Token): boolean {
    return token.kind === 'ident' && RESERVED.has(token.text.toUpperCase());
  }

  private peekKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.peekKeyword(word)) return false;
    this.index += 1;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected(this.peek());
  }

  private expectIdent(): Extract<Token, { kind: 'ident' }> {
    const token = this.peek();
    if (token.kind !== 'ident' || this.isReserved(token)) {
      throw this.unexpected(token);
    }
    this.index += 1;
    return token;
  }

  private expectPunct(text: string): void {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) throw this.unexpected(token);
    this.index += 1;
  }

  private unexpected(token: Token): SoqlError {
    return this.syntax(
      token.pos,
      `unexpected token: ${token.kind === 'eof' ? '<EOF>' : `'${tokenText(token)}'`}`,
    );
  }

  private unsupported(what: string, pos = this.peek().pos): SoqlError {
    return this.syntax(pos, `${what} is not supported by the Salesforce emulator`);
  }

  private syntax(pos: number, message: string): SoqlError {
    return syntaxError(this.soql, pos, message);
  }
}

function tokenText(token: Token): string {
  switch (token.kind) {
    case 'string':
      return `'${token.raw}'`;
    case 'eof':
      return '<EOF>';
    default:
      return token.text;
  }
}

/** Salesforce's error layout: the query line, a caret under the column, then the reason. */
export function syntaxError(soql: string, pos: number, message: string): SoqlError {
  return new SoqlError('MALFORMED_QUERY', formatAtPosition(soql, pos, message));
}

export function formatAtPosition(soql: string, pos: number, message: string): string {
  const before = soql.slice(0, pos);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', pos);
  const line = soql.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const column = pos - lineStart + 1;
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${message}`;
}

function isCalendarDate(text: string): boolean {
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
}

function normalizeZone(text: string): string {
  return text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}
