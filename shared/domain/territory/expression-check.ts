import {
  ATTRIBUTES,
  type AttributeDefinition,
  describeKnownAttributes,
  resolveAttribute,
} from './attributes.js';
import { type Criterion, type Expression, isCriterion, OPERATOR_TEXT, type Operator } from './expression.js';

const NUMERIC_OPERATORS: ReadonlySet<Operator> = new Set(['lt', 'lte', 'gt', 'gte', 'between']);
const TEXT_OPERATORS: ReadonlySet<Operator> = new Set(['startsWith', 'contains']);

export function unknownAttributeMessage(name: string): string {
  const guess = closestAttribute(name);
  const hint = guess ? ` (did you mean ${guess}?)` : '';
  return `unknown attribute "${name}"${hint}; known attributes: ${describeKnownAttributes()}`;
}

/** The known attribute nearest by edit distance, when it is close enough to be a typo. */
function closestAttribute(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const attribute of ATTRIBUTES) {
    const distance = editDistance(name.toLowerCase(), attribute.name.toLowerCase());
    if (!best || distance < best.distance) best = { name: attribute.name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * What is wrong with one criterion once its attribute is known, or undefined. Text attributes
 * accept number literals (a ZIP written without quotes); number attributes need numbers.
 */
export function checkCriterion(criterion: Criterion, attribute: AttributeDefinition): string | undefined {
  const { op } = criterion;
  const values = criterion.values ?? (criterion.value === undefined ? [] : [criterion.value]);
  if (attribute.type === 'number') {
    if (TEXT_OPERATORS.has(op)) return `${attribute.name} is a number; ${OPERATOR_TEXT[op]} works on text`;
    const text = values.find((v) => typeof v === 'string' && !Number.isFinite(Number(v)));
    if (text !== undefined) return `${attribute.name} is a number; ${JSON.stringify(text)} is not a number`;
  } else if (NUMERIC_OPERATORS.has(op)) {
    if (attribute.type !== 'any')
      return `${attribute.name} is ${attribute.type}; ${OPERATOR_TEXT[op]} compares numbers`;
    if (values.some((v) => typeof v !== 'number'))
      return `${OPERATOR_TEXT[op]} compares numbers; give number values`;
  }
  if (op === 'between') {
    const [low, high] = values as number[];
    if (low !== undefined && high !== undefined && Number(low) > Number(high)) {
      return `between needs the lower bound first (${low} > ${high})`;
    }
  }
  return undefined;
}

export interface ExpressionTreeProblem {
  /** Where in the tree, e.g. `and[1].or[0]`. */
  readonly at: string;
  readonly message: string;
}

/**
 * Resolve attribute names to their canonical spelling and list every problem (unknown attributes,
 * operators that do not fit the attribute's type).
 */
export function checkExpressionTree(expression: Expression): {
  expression: Expression;
  problems: ExpressionTreeProblem[];
} {
  const problems: ExpressionTreeProblem[] = [];
  const walk = (node: Expression, at: string): Expression => {
    if (isCriterion(node)) {
      const attribute = resolveAttribute(node.attribute);
      if (!attribute) {
        problems.push({ at, message: unknownAttributeMessage(node.attribute) });
        return node;
      }
      const problem = checkCriterion(node, attribute);
      if (problem) problems.push({ at, message: problem });
      return { ...node, attribute: attribute.name };
    }
    if ('not' in node) return { not: walk(node.not, join(at, 'not')) };
    if ('and' in node) return { and: node.and.map((child, i) => walk(child, join(at, `and[${i}]`))) };
    return { or: node.or.map((child, i) => walk(child, join(at, `or[${i}]`))) };
  };
  return { expression: walk(expression, ''), problems };
}

const join = (at: string, step: string) => (at ? `${at}.${step}` : step);
