import { type AttributeType, resolveAttribute } from './attributes.js';
import { type Criterion, type Expression, isCriterion, type Scalar } from './expression.js';
import { formatCriterion, formatExpression } from './expression-text.js';
import type { FieldValue, Lead } from './lead.js';
import { normaliseRecordId } from './named-account.js';
import { normalisePostalCode } from './postal.js';

/**
 * Expressions are compiled once into closures (no eval): each criterion gets its attribute's
 * normaliser and a precomputed literal (lower-cased text, a Set for lists), so evaluating a lead
 * is a few property reads and comparisons.
 */
export interface CompiledExpression {
  readonly test: (lead: Lead) => boolean;
  /** The criteria that made the expression true for this lead, readable (`PostalCode starts with "M5"`). */
  readonly explain: (lead: Lead) => string[];
}

export type Normaliser = (value: FieldValue) => string | undefined;

export function normaliseText(value: FieldValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim().toLowerCase();
  if (text === '') return undefined;
  return text.includes('  ') ? text.replace(/\s+/g, ' ') : text;
}

export function toNumber(value: FieldValue): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** How values of an attribute type are compared as text: the same function for leads, literals and indexes. */
export function textNormaliser(type: AttributeType): Normaliser {
  if (type === 'postal') return normalisePostalCode;
  if (type === 'id') return normaliseRecordId;
  return normaliseText;
}

type Predicate = (lead: Lead) => boolean;

function compileCriterion(criterion: Criterion): Predicate {
  const type = resolveAttribute(criterion.attribute)?.type ?? 'any';
  const key = criterion.attribute;
  const literals: readonly Scalar[] =
    criterion.values ?? (criterion.value === undefined ? [] : [criterion.value]);
  const numeric =
    type === 'number' ||
    (type === 'any' && literals.length > 0 && literals.every((v) => typeof v === 'number'));

  if (criterion.op === 'isEmpty' || criterion.op === 'isNotEmpty') {
    const normalise = numeric ? toNumber : textNormaliser(type);
    const wantEmpty = criterion.op === 'isEmpty';
    return (lead) => (normalise(lead[key]) === undefined) === wantEmpty;
  }

  if (numeric) {
    const numbers = literals.map(Number);
    const [first = Number.NaN, second = Number.NaN] = numbers;
    const get = (lead: Lead) => toNumber(lead[key]);
    switch (criterion.op) {
      case 'equals':
        return (lead) => get(lead) === first;
      case 'notEquals':
        return (lead) => get(lead) !== first;
      case 'in': {
        const set = new Set(numbers);
        return (lead) => {
          const n = get(lead);
          return n !== undefined && set.has(n);
        };
      }
      case 'notIn': {
        const set = new Set(numbers);
        return (lead) => {
          const n = get(lead);
          return n === undefined || !set.has(n);
        };
      }
      case 'lt':
        return (lead) => (get(lead) ?? Number.NaN) < first;
      case 'lte':
        return (lead) => (get(lead) ?? Number.NaN) <= first;
      case 'gt':
        return (lead) => (get(lead) ?? Number.NaN) > first;
      case 'gte':
        return (lead) => (get(lead) ?? Number.NaN) >= first;
      case 'between':
        return (lead) => {
          const n = get(lead);
          return n !== undefined && n >= first && n <= second;
        };
      default:
        // startsWith / contains on a custom field with number literals compare as text.
        break;
    }
  }

  const normalise = textNormaliser(type);
  const texts = literals.map((v) => normalise(String(v)) ?? '');
  const [first = ''] = texts;
  switch (criterion.op) {
    case 'equals':
      return (lead) => normalise(lead[key]) === first;
    case 'notEquals':
      return (lead) => normalise(lead[key]) !== first;
    case 'in': {
      const set = new Set(texts);
      return (lead) => {
        const v = normalise(lead[key]);
        return v !== undefined && set.has(v);
      };
    }
    case 'notIn': {
      const set = new Set(texts);
      return (lead) => {
        const v = normalise(lead[key]);
        return v === undefined || !set.has(v);
      };
    }
    case 'startsWith':
      return (lead) => {
        const v = normalise(lead[key]);
        return v !== undefined && texts.some((t) => v.startsWith(t));
      };
    case 'contains':
      return (lead) => {
        const v = normalise(lead[key]);
        return v !== undefined && texts.some((t) => v.includes(t));
      };
    default:
      // Numeric operators on text attributes are rejected by validation; never true here.
      return () => false;
  }
}

function compileNode(expression: Expression): CompiledExpression {
  if (isCriterion(expression)) {
    const test = compileCriterion(expression);
    return { test, explain: explainCriterion(expression, test) };
  }
  if ('not' in expression) {
    const inner = compileNode(expression.not);
    const text = formatExpression(expression, 'reason');
    return { test: (lead) => !inner.test(lead), explain: (lead) => (inner.test(lead) ? [] : [text]) };
  }
  const children = ('and' in expression ? expression.and : expression.or).map(compileNode);
  if ('and' in expression) {
    return {
      test: (lead) => {
        for (const child of children) if (!child.test(lead)) return false;
        return true;
      },
      explain: (lead) =>
        children.every((c) => c.test(lead)) ? children.flatMap((c) => c.explain(lead)) : [],
    };
  }
  return {
    test: (lead) => {
      for (const child of children) if (child.test(lead)) return true;
      return false;
    },
    explain: (lead) => children.find((c) => c.test(lead))?.explain(lead) ?? [],
  };
}

/**
 * A criterion with a list names the value the lead hit: `PostalCode starts with "M5"` rather than
 * the whole list, `Industry = "Legal"` for an IN.
 */
function explainCriterion(criterion: Criterion, test: Predicate): (lead: Lead) => string[] {
  const whole = formatCriterion(criterion, 'reason');
  const listed = criterion.values;
  const single = criterion.op === 'in' ? 'equals' : criterion.op;
  if (!listed || listed.length < 2 || !['in', 'startsWith', 'contains'].includes(criterion.op)) {
    return (lead) => (test(lead) ? [whole] : []);
  }
  const parts = listed.map((value) => {
    const one: Criterion = { attribute: criterion.attribute, op: single, value };
    return { test: compileCriterion(one), text: formatCriterion(one, 'reason') };
  });
  return (lead) => {
    if (!test(lead)) return [];
    return [parts.find((part) => part.test(lead))?.text ?? whole];
  };
}

export function compileExpression(expression: Expression): CompiledExpression {
  return compileNode(expression);
}

/** One key of the matcher's indexes: a postal prefix, or an exact (normalised) value of an attribute. */
export type IndexKey =
  | { readonly kind: 'prefix'; readonly attribute: string; readonly value: string }
  | { readonly kind: 'equals'; readonly attribute: string; readonly value: string };

/**
 * Ways to find an expression without evaluating it: each hint is a list of keys of which the lead
 * must hit at least one for the expression to be true. An empty list means "not indexable".
 */
export function indexHints(expression: Expression): IndexKey[][] {
  if (isCriterion(expression)) {
    const keys = criterionKeys(expression);
    return keys ? [keys] : [];
  }
  if ('not' in expression) return [];
  if ('and' in expression) return expression.and.flatMap(indexHints);
  const perChild = expression.or.map(indexHints);
  if (perChild.some((hints) => hints.length === 0)) return [];
  return [perChild.flatMap((hints) => hints.reduce((a, b) => (b.length < a.length ? b : a)))];
}

function criterionKeys(criterion: Criterion): IndexKey[] | undefined {
  const attribute = resolveAttribute(criterion.attribute);
  if (!attribute) return undefined;
  const literals = criterion.values ?? (criterion.value === undefined ? [] : [criterion.value]);
  if (literals.length === 0) return undefined;
  const normalise = textNormaliser(attribute.type);
  const values = literals.map((v) => normalise(String(v)));
  if (values.some((v) => v === undefined)) return undefined;
  const name = attribute.name;
  if (attribute.type === 'postal' && ['equals', 'in', 'startsWith'].includes(criterion.op)) {
    return values.map((value) => ({ kind: 'prefix', attribute: name, value: value! }));
  }
  const textual =
    attribute.type !== 'number' && (attribute.type !== 'any' || literals.some((v) => typeof v === 'string'));
  if (textual && (criterion.op === 'equals' || criterion.op === 'in')) {
    return values.map((value) => ({ kind: 'equals', attribute: name, value: value! }));
  }
  return undefined;
}
