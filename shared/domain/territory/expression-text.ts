import { resolveAttribute } from './attributes.js';
import {
  type Criterion,
  type Expression,
  isCriterion,
  OPERATOR_TEXT,
  type Operator,
  type Scalar,
} from './expression.js';
import { checkCriterion, unknownAttributeMessage } from './expression-check.js';

/**
 * The readable form of an expression, e.g.
 * `Country = "Canada" AND (PostalCode STARTS WITH "M5" OR Industry IN ("Finance", "Legal"))`.
 * Keywords are case-insensitive; text goes in quotes; `#` starts a comment to the end of the line.
 * A hand-written tokenizer and recursive-descent parser report errors at line:column.
 */
export interface ExpressionError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly expression: Expression }
  | { readonly ok: false; readonly errors: readonly ExpressionError[] };

export class ExpressionSyntaxError extends Error {
  override name = 'ExpressionSyntaxError';
  constructor(readonly errors: readonly ExpressionError[]) {
    super(errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  }
}

type TokenKind = 'ident' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value?: Scalar;
  readonly line: number;
  readonly column: number;
}

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'IN',
  'STARTS',
  'WITH',
  'CONTAINS',
  'BETWEEN',
  'IS',
  'EMPTY',
  'NULL',
]);
const COMPARISONS: Record<string, Operator> = {
  '=': 'equals',
  '==': 'equals',
  '!=': 'notEquals',
  '<>': 'notEquals',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
};
const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t', '/': '/' };
const OPERATOR_HELP =
  '=, !=, <, <=, >, >=, IN, NOT IN, STARTS WITH, CONTAINS, BETWEEN, IS EMPTY, IS NOT EMPTY';

class Failure extends Error {
  constructor(readonly error: ExpressionError) {
    super(error.message);
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (message: string, at = i, atLine = line, atLineStart = lineStart): never => {
    throw new Failure({ line: atLine, column: at - atLineStart + 1, message });
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const column = i - lineStart + 1;
    const push = (kind: TokenKind, text: string, value?: Scalar) =>
      tokens.push({ kind, text, line, column, ...(value === undefined ? {} : { value }) });
    if (ch === '"' || ch === "'") {
      const [startLine, startLineStart] = [line, lineStart];
      let text = '';
      i++;
      for (;;) {
        if (i >= source.length)
          fail(`unterminated text starting with ${ch}`, start, startLine, startLineStart);
        const c = source[i]!;
        if (c === ch) break;
        if (c === '\n') {
          line++;
          lineStart = i + 1;
        }
        if (c === '\\') {
          const escaped = ESCAPES[source[i + 1] ?? ''];
          if (escaped === undefined) fail(`unknown escape \\${source[i + 1] ?? ''} in text`);
          text += escaped;
          i += 2;
          continue;
        }
        text += c;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', text: source.slice(start, i), value: text, line: startLine, column });
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?(?![A-Za-z_])/.exec(source.slice(i, i + 40));
    if (number) {
      i += number[0].length;
      push('number', number[0], Number(number[0]));
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(source.slice(i, i + 200));
    if (ident) {
      i += ident[0].length;
      push('ident', ident[0]);
      continue;
    }
    const op = /^(?:==|!=|<>|<=|>=|=|<|>)/.exec(source.slice(i, i + 2));
    if (op) {
      i += op[0].length;
      push('op', op[0]);
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      i++;
      push(ch, ch);
      continue;
    }
    fail(`unexpected character ${JSON.stringify(ch)}`);
  }
  tokens.push({ kind: 'end', text: '', line, column: i - lineStart + 1 });
  return tokens;
}

class Parser {
  private index = 0;
  readonly problems: ExpressionError[] = [];

  constructor(private readonly tokens: Token[]) {}

  parse(): Expression {
    if (this.peek().kind === 'end') this.fail(this.peek(), 'the expression is empty');
    const expression = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      const hint = next.kind === ')' ? ' (a ")" without its "(")' : '; join criteria with AND or OR';
      this.fail(next, `unexpected ${describe(next)} after a complete expression${hint}`);
    }
    return expression;
  }

  private parseOr(): Expression {
    const children = [this.parseAnd()];
    while (this.acceptKeyword('OR')) children.push(this.parseAnd());
    return children.length === 1 ? children[0]! : { or: children };
  }

  private parseAnd(): Expression {
    const children = [this.parseNot()];
    while (this.acceptKeyword('AND')) children.push(this.parseNot());
    return children.length === 1 ? children[0]! : { and: children };
  }

  private parseNot(): Expression {
    if (this.acceptKeyword('NOT')) return { not: this.parseNot() };
    return this.parsePrimary();
  }

  private parsePrimary(): Expression {
    const token = this.peek();
    if (token.kind === '(') {
      this.index++;
      const inner = this.parseOr();
      if (this.peek().kind !== ')') {
        this.fail(
          this.peek(),
          `expected ")" to close the "(" at ${token.line}:${token.column}, found ${describe(this.peek())}`,
        );
      }
      this.index++;
      return inner;
    }
    if (token.kind === 'ident' && !isKeyword(token)) return this.parseCriterion();
    return this.fail(token, `expected a criterion such as Country = "Canada", found ${describe(token)}`);
  }

  private parseCriterion(): Criterion {
    const attributeToken = this.next();
    const definition = resolveAttribute(attributeToken.text);
    const attribute = definition?.name ?? attributeToken.text;
    const criterion = this.parseOperation(attribute, attributeToken);
    if (!definition) {
      this.report(attributeToken, unknownAttributeMessage(attributeToken.text));
    } else {
      const problem = checkCriterion(criterion, definition);
      if (problem) this.report(attributeToken, problem);
    }
    return criterion;
  }

  private parseOperation(attribute: string, at: Token): Criterion {
    const token = this.next();
    if (token.kind === 'op') {
      return { attribute, op: COMPARISONS[token.text]!, value: this.parseValue(token) };
    }
    const word = isKeyword(token) ? token.text.toUpperCase() : '';
    switch (word) {
      case 'IN':
        return { attribute, op: 'in', values: this.parseList(token) };
      case 'NOT':
        this.expectKeyword('IN', 'after NOT in a criterion (NOT IN)');
        return { attribute, op: 'notIn', values: this.parseList(token) };
      case 'STARTS':
        this.expectKeyword('WITH', 'after STARTS');
        return { attribute, op: 'startsWith', ...this.parseValueOrList(token) };
      case 'CONTAINS':
        return { attribute, op: 'contains', ...this.parseValueOrList(token) };
      case 'BETWEEN': {
        const low = this.parseValue(token);
        this.expectKeyword('AND', 'between the two bounds of BETWEEN');
        return { attribute, op: 'between', values: [low, this.parseValue(token)] };
      }
      case 'IS': {
        const negated = this.acceptKeyword('NOT');
        if (!this.acceptKeyword('EMPTY') && !this.acceptKeyword('NULL')) {
          this.fail(
            this.peek(),
            `expected EMPTY after IS${negated ? ' NOT' : ''}, found ${describe(this.peek())}`,
          );
        }
        return { attribute, op: negated ? 'isNotEmpty' : 'isEmpty' };
      }
      default:
        return this.fail(
          token,
          `expected an operator after ${at.text} (${OPERATOR_HELP}), found ${describe(token)}`,
        );
    }
  }

  private parseValueOrList(after: Token): { value: Scalar } | { values: Scalar[] } {
    return this.peek().kind === '(' ? { values: this.parseList(after) } : { value: this.parseValue(after) };
  }

  private parseList(after: Token): Scalar[] {
    const open = this.next();
    if (open.kind !== '(')
      this.fail(
        open,
        `expected "(" and a list of values after ${after.text.toUpperCase()}, found ${describe(open)}`,
      );
    const values = [this.parseValue(open)];
    while (this.peek().kind === ',') {
      this.index++;
      values.push(this.parseValue(open));
    }
    const close = this.next();
    if (close.kind !== ')') {
      this.fail(
        close,
        `expected "," or ")" in the list opened at ${open.line}:${open.column}, found ${describe(close)}`,
      );
    }
    return values;
  }

  private parseValue(after: Token): Scalar {
    const token = this.next();
    if (token.kind === 'string' || token.kind === 'number') return token.value!;
    const hint = token.kind === 'ident' && !isKeyword(token) ? ` (put text in quotes: "${token.text}")` : '';
    return this.fail(token, `expected a value after ${describe(after)}, found ${describe(token)}${hint}`);
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private acceptKeyword(word: string): boolean {
    const token = this.peek();
    if (token.kind === 'ident' && token.text.toUpperCase() === word) {
      this.index++;
      return true;
    }
    return false;
  }

  private expectKeyword(word: string, where: string): void {
    if (!this.acceptKeyword(word))
      this.fail(this.peek(), `expected ${word} ${where}, found ${describe(this.peek())}`);
  }

  /** A problem that does not stop parsing (unknown attribute, wrong type), so all of them are listed. */
  private report(token: Token, message: string): void {
    this.problems.push({ line: token.line, column: token.column, message });
  }

  private fail(token: Token, message: string): never {
    throw new Failure({ line: token.line, column: token.column, message });
  }
}

const isKeyword = (token: Token) => token.kind === 'ident' && KEYWORDS.has(token.text.toUpperCase());

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression';
  if (token.kind === 'string') return `text ${token.text}`;
  if (token.kind === 'number') return `number ${token.text}`;
  return `"${token.text}"`;
}

/**
 * Parse the readable form. Syntax errors stop at the first; unknown attributes and type
 * mismatches are all collected. Attribute names come back in their canonical spelling.
 */
export function parseExpression(source: string): ParseResult {
  try {
    const parser = new Parser(tokenize(source));
    const expression = parser.parse();
    return parser.problems.length > 0 ? { ok: false, errors: parser.problems } : { ok: true, expression };
  } catch (error) {
    if (error instanceof Failure) return { ok: false, errors: [error.error] };
    throw error;
  }
}

export function parseExpressionOrThrow(source: string): Expression {
  const result = parseExpression(source);
  if (!result.ok) throw new ExpressionSyntaxError(result.errors);
  return result.expression;
}

export function formatScalar(value: Scalar): string {
  if (typeof value === 'number') return String(value);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

/**
 * One criterion as text; `reason` style lower-cases the operator words for audit reasons
 * (`PostalCode starts with "M5"`).
 */
export function formatCriterion(criterion: Criterion, style: 'text' | 'reason' = 'text'): string {
  const word = style === 'reason' ? OPERATOR_TEXT[criterion.op].toLowerCase() : OPERATOR_TEXT[criterion.op];
  const values = criterion.values ?? [];
  const list = `(${values.map(formatScalar).join(', ')})`;
  switch (criterion.op) {
    case 'isEmpty':
    case 'isNotEmpty':
      return `${criterion.attribute} ${word}`;
    case 'between':
      return `${criterion.attribute} ${word} ${formatScalar(values[0]!)} ${style === 'reason' ? 'and' : 'AND'} ${formatScalar(values[1]!)}`;
    case 'in':
    case 'notIn':
      return `${criterion.attribute} ${word} ${list}`;
    default:
      return `${criterion.attribute} ${word} ${criterion.value === undefined ? list : formatScalar(criterion.value)}`;
  }
}

/** The readable form of a tree, with only the parentheses precedence needs (NOT > AND > OR). */
export function formatExpression(expression: Expression, style: 'text' | 'reason' = 'text'): string {
  const [and, or, not] = style === 'reason' ? ['and', 'or', 'not'] : ['AND', 'OR', 'NOT'];
  const precedence = (e: Expression) => (isCriterion(e) ? 4 : 'not' in e ? 3 : 'and' in e ? 2 : 1);
  const format = (e: Expression): string => {
    if (isCriterion(e)) return formatCriterion(e, style);
    if ('not' in e) return `${not} ${precedence(e.not) >= 3 ? format(e.not) : `(${format(e.not)})`}`;
    const [word, children, own] = 'and' in e ? [and, e.and, 2] : [or, e.or, 1];
    return children.map((c) => (precedence(c) >= own ? format(c) : `(${format(c)})`)).join(` ${word} `);
  };
  return format(expression);
}
