import * as z from 'zod';

/**
 * A territory rule: criteria (`attribute operator value`) combined with AND, OR and NOT.
 * Stored as this validated JSON tree; `expression-text.ts` reads and writes the readable form.
 */
export const OPERATORS = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'startsWith',
  'contains',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'isEmpty',
  'isNotEmpty',
] as const;
export type Operator = (typeof OPERATORS)[number];

export type Scalar = string | number;

export interface Criterion {
  readonly attribute: string;
  readonly op: Operator;
  /** The one value of equals, notEquals, startsWith, contains, lt, lte, gt, gte. */
  readonly value?: Scalar;
  /** The list of in / notIn, the two bounds of between, or several prefixes / fragments (any of them). */
  readonly values?: readonly Scalar[];
}

export type Expression =
  | { readonly and: readonly Expression[] }
  | { readonly or: readonly Expression[] }
  | { readonly not: Expression }
  | Criterion;

/** Which value shape each operator takes. */
export const OPERATOR_ARITY: Record<Operator, 'one' | 'list' | 'oneOrList' | 'pair' | 'none'> = {
  equals: 'one',
  notEquals: 'one',
  in: 'list',
  notIn: 'list',
  startsWith: 'oneOrList',
  contains: 'oneOrList',
  lt: 'one',
  lte: 'one',
  gt: 'one',
  gte: 'one',
  between: 'pair',
  isEmpty: 'none',
  isNotEmpty: 'none',
};

/** How each operator is written in the readable form. */
export const OPERATOR_TEXT: Record<Operator, string> = {
  equals: '=',
  notEquals: '!=',
  in: 'IN',
  notIn: 'NOT IN',
  startsWith: 'STARTS WITH',
  contains: 'CONTAINS',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  between: 'BETWEEN',
  isEmpty: 'IS EMPTY',
  isNotEmpty: 'IS NOT EMPTY',
};

export const isCriterion = (e: Expression): e is Criterion => 'attribute' in e;

const scalarSchema = z.union([z.string(), z.number().finite()]);

const criterionSchema = z
  .strictObject({
    attribute: z.string().min(1),
    op: z.enum(OPERATORS),
    value: scalarSchema.optional(),
    values: z.array(scalarSchema).optional(),
  })
  .superRefine((c, ctx) => {
    const arity = OPERATOR_ARITY[c.op];
    const has = { value: c.value !== undefined, values: c.values !== undefined };
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (arity === 'none' && (has.value || has.values)) fail(`${c.op} takes no value`);
    if (arity === 'one' && (!has.value || has.values)) fail(`${c.op} needs exactly one "value"`);
    if (arity === 'list' && (has.value || !c.values?.length)) fail(`${c.op} needs a non-empty "values" list`);
    if (arity === 'pair' && (has.value || c.values?.length !== 2)) {
      fail(`${c.op} needs "values" with exactly two bounds`);
    }
    if (arity === 'oneOrList' && has.value === has.values) {
      fail(`${c.op} needs either "value" or a non-empty "values" list`);
    }
    if (arity === 'oneOrList' && c.values?.length === 0) fail(`${c.op} needs a non-empty "values" list`);
  });

export const expressionSchema: z.ZodType<Expression> = z.lazy(() =>
  z.union([
    z.strictObject({ and: z.array(expressionSchema).min(1) }),
    z.strictObject({ or: z.array(expressionSchema).min(1) }),
    z.strictObject({ not: expressionSchema }),
    criterionSchema,
  ]),
);

/** Every criterion in the tree, left to right. */
export function criteriaOf(expression: Expression): Criterion[] {
  if (isCriterion(expression)) return [expression];
  if ('not' in expression) return criteriaOf(expression.not);
  const children = 'and' in expression ? expression.and : expression.or;
  return children.flatMap(criteriaOf);
}

/** Same tree with nested ANDs / ORs flattened (`a AND (b AND c)` → `a AND b AND c`). */
export function flattenExpression(expression: Expression): Expression {
  if (isCriterion(expression)) return expression;
  if ('not' in expression) return { not: flattenExpression(expression.not) };
  const kind = 'and' in expression ? 'and' : 'or';
  const children = ('and' in expression ? expression.and : expression.or).map(flattenExpression);
  const flat = children.flatMap((child) =>
    kind in child ? (child as Record<typeof kind, Expression[]>)[kind] : [child],
  );
  if (flat.length === 1) return flat[0]!;
  return kind === 'and' ? { and: flat } : { or: flat };
}
