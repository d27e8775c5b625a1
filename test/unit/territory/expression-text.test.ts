import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Expression, flattenExpression } from '../../../shared/domain/territory/expression.js';
import {
  ExpressionSyntaxError,
  formatExpression,
  parseExpression,
  parseExpressionOrThrow,
} from '../../../shared/domain/territory/expression-text.js';

describe('parsing the readable expression form', () => {
  it.each<[string, string, Expression]>([
    ['equals', 'Country = "Canada"', { attribute: 'Country', op: 'equals', value: 'Canada' }],
    ['equals (==)', 'Country == "Canada"', { attribute: 'Country', op: 'equals', value: 'Canada' }],
    ['not equals', 'Country != "Canada"', { attribute: 'Country', op: 'notEquals', value: 'Canada' }],
    ['not equals (<>)', "Country <> 'Canada'", { attribute: 'Country', op: 'notEquals', value: 'Canada' }],
    [
      'in',
      'Industry IN ("Finance", "Legal")',
      { attribute: 'Industry', op: 'in', values: ['Finance', 'Legal'] },
    ],
    ['not in', 'Industry NOT IN ("Retail")', { attribute: 'Industry', op: 'notIn', values: ['Retail'] }],
    [
      'starts with',
      'PostalCode STARTS WITH "M5"',
      { attribute: 'PostalCode', op: 'startsWith', value: 'M5' },
    ],
    [
      'starts with any of a list',
      'PostalCode starts with ("M5", "M4")',
      { attribute: 'PostalCode', op: 'startsWith', values: ['M5', 'M4'] },
    ],
    ['contains', 'Title CONTAINS "director"', { attribute: 'Title', op: 'contains', value: 'director' }],
    ['less than', 'AnnualRevenue < 1000', { attribute: 'AnnualRevenue', op: 'lt', value: 1000 }],
    ['less or equal', 'AnnualRevenue <= 1000.5', { attribute: 'AnnualRevenue', op: 'lte', value: 1000.5 }],
    ['greater than', 'NumberOfEmployees > -1', { attribute: 'NumberOfEmployees', op: 'gt', value: -1 }],
    ['greater or equal', 'NumberOfEmployees >= 50', { attribute: 'NumberOfEmployees', op: 'gte', value: 50 }],
    [
      'between',
      'AnnualRevenue BETWEEN 10 AND 20',
      { attribute: 'AnnualRevenue', op: 'between', values: [10, 20] },
    ],
    ['is empty', 'Email IS EMPTY', { attribute: 'Email', op: 'isEmpty' }],
    ['is empty (null)', 'Email is null', { attribute: 'Email', op: 'isEmpty' }],
    ['is not empty', 'Email IS NOT EMPTY', { attribute: 'Email', op: 'isNotEmpty' }],
    ['custom field', 'Segment__c = "SMB"', { attribute: 'Segment__c', op: 'equals', value: 'SMB' }],
    ['account field', 'account.name = "Acme"', { attribute: 'Account.Name', op: 'equals', value: 'Acme' }],
    ['escaped quote', 'Company = "Say \\"hi\\""', { attribute: 'Company', op: 'equals', value: 'Say "hi"' }],
  ])('reads %s', (_name, source, expected) => {
    expect(parseExpressionOrThrow(source)).toEqual(expected);
  });

  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    expect(parseExpressionOrThrow('NOT Country = "US" AND City = "Toronto" OR State = "ON"')).toEqual({
      or: [
        {
          and: [
            { not: { attribute: 'Country', op: 'equals', value: 'US' } },
            { attribute: 'City', op: 'equals', value: 'Toronto' },
          ],
        },
        { attribute: 'State', op: 'equals', value: 'ON' },
      ],
    });
  });

  it('reads the example from the issue, with parentheses, over several lines and with comments', () => {
    const source = [
      'Country = "Canada"   # the whole country',
      'and (PostalCode STARTS WITH "M5"',
      '     OR Industry IN ("Finance", "Legal"))',
    ].join('\n');
    expect(parseExpressionOrThrow(source)).toEqual({
      and: [
        { attribute: 'Country', op: 'equals', value: 'Canada' },
        {
          or: [
            { attribute: 'PostalCode', op: 'startsWith', value: 'M5' },
            { attribute: 'Industry', op: 'in', values: ['Finance', 'Legal'] },
          ],
        },
      ],
    });
  });

  it.each([
    ['', 1, 1, 'the expression is empty'],
    ['Country = Canada', 1, 11, 'put text in quotes: "Canada"'],
    ['Country =', 1, 10, 'expected a value after "=", found the end of the expression'],
    ['Country "Canada"', 1, 9, 'expected an operator after Country'],
    ['(Country = "CA"', 1, 16, 'expected ")" to close the "(" at 1:1'],
    ['Country = "CA")', 1, 15, 'a ")" without its "("'],
    ['Country = "CA" City = "X"', 1, 16, 'join criteria with AND or OR'],
    ['Country = "CA" AND\n  City = "Tor', 2, 10, 'unterminated text'],
    ['Industry IN "Finance"', 1, 13, 'expected "(" and a list of values after IN'],
    ['Industry IN ("A" "B")', 1, 18, 'expected "," or ")" in the list opened at 1:13'],
    ['Industry NOT "A"', 1, 14, 'expected IN after NOT'],
    ['PostalCode STARTS "M"', 1, 19, 'expected WITH after STARTS'],
    ['AnnualRevenue BETWEEN 1 OR 2', 1, 25, 'expected AND between the two bounds of BETWEEN'],
    ['Email IS "x"', 1, 10, 'expected EMPTY after IS'],
    ['Country = "CA" AND\n\n   @', 3, 4, 'unexpected character "@"'],
    ['AND Country = "CA"', 1, 1, 'expected a criterion'],
    ['Company = "a\\qb"', 1, 13, 'unknown escape'],
  ])('reports %j at %i:%i', (source, line, column, message) => {
    const result = parseExpression(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ line, column });
    expect(result.errors[0]!.message).toContain(message);
  });

  it('lists every unknown attribute and type mismatch, each at its position', () => {
    const result = parseExpression(
      'PostCode = "M5V" AND\n  Industry > 5 OR Segment__c = "x" OR Cuntry = "CA"',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.line, e.column])).toEqual([
      [1, 1],
      [2, 3],
      [2, 39],
    ]);
    expect(result.errors[0]!.message).toContain('unknown attribute "PostCode" (did you mean PostalCode?)');
    expect(result.errors[0]!.message).toContain('known attributes: Id, OwnerId');
    expect(result.errors[1]!.message).toBe('Industry is text; > compares numbers');
    expect(result.errors[2]!.message).toContain('did you mean Country?');
  });

  it('rejects text values for number attributes and text operators on numbers', () => {
    const errors = (source: string) => {
      const result = parseExpression(source);
      return result.ok ? [] : result.errors;
    };
    expect(errors('AnnualRevenue = "lots"')[0]!.message).toContain('"lots" is not a number');
    expect(errors('AnnualRevenue STARTS WITH "1"')[0]!.message).toContain('works on text');
    expect(errors('AnnualRevenue BETWEEN 20 AND 10')[0]!.message).toContain('lower bound first');
  });

  it('throws ExpressionSyntaxError with line:column in the message', () => {
    expect(() => parseExpressionOrThrow('Country =')).toThrow(ExpressionSyntaxError);
    expect(() => parseExpressionOrThrow('Country =')).toThrow(/^1:10: /);
  });
});

describe('formatting expressions', () => {
  it('writes only the parentheses precedence needs', () => {
    const source = 'Country = "Canada" AND (PostalCode STARTS WITH "M5" OR Industry IN ("Finance", "Legal"))';
    expect(formatExpression(parseExpressionOrThrow(source))).toBe(source);
    expect(formatExpression(parseExpressionOrThrow('NOT (A__c = 1 OR B__c = 2)'))).toBe(
      'NOT (A__c = 1 OR B__c = 2)',
    );
    expect(formatExpression(parseExpressionOrThrow('NOT NOT A__c IS EMPTY'))).toBe('NOT NOT A__c IS EMPTY');
  });

  it('has a lower-case reason style', () => {
    const tree = parseExpressionOrThrow('AnnualRevenue BETWEEN 1 AND 2 AND Email IS NOT EMPTY');
    expect(formatExpression(tree, 'reason')).toBe('AnnualRevenue between 1 and 2 and Email is not empty');
  });

  const attribute = fc.constantFrom('Country', 'PostalCode', 'Industry', 'Segment__c', 'Account.Name');
  const text = fc.string({ maxLength: 8 }).filter((s) => !s.includes('\r'));
  const scalar = fc.oneof(text, fc.integer({ min: -1000, max: 1000 }));
  const criterion: fc.Arbitrary<Expression> = fc.oneof(
    fc.record({
      attribute,
      op: fc.constantFrom('equals', 'notEquals', 'startsWith', 'contains'),
      value: text,
    }),
    fc.record({
      attribute,
      op: fc.constantFrom('in', 'notIn'),
      values: fc.array(text, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      attribute: fc.constant('Score__c'),
      op: fc.constantFrom('lt', 'lte', 'gt', 'gte'),
      value: fc.integer(),
    }),
    fc.record({
      attribute: fc.constant('AnnualRevenue'),
      op: fc.constant('between' as const),
      values: fc.tuple(fc.integer({ max: 0 }), fc.integer({ min: 0 })),
    }),
    fc.record({ attribute, op: fc.constantFrom('isEmpty', 'isNotEmpty') }),
    fc.record({ attribute: fc.constant('Segment__c'), op: fc.constant('equals' as const), value: scalar }),
  ) as fc.Arbitrary<Expression>;
  const { expression } = fc.letrec<{ expression: Expression }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      criterion,
      fc.record({ and: fc.array(tie('expression'), { minLength: 2, maxLength: 3 }) }),
      fc.record({ or: fc.array(tie('expression'), { minLength: 2, maxLength: 3 }) }),
      fc.record({ not: tie('expression') }),
    ),
  }));

  it('parses what it formats back to the same tree (property)', () => {
    fc.assert(
      fc.property(expression, (tree) => {
        expect(parseExpressionOrThrow(formatExpression(tree))).toEqual(flattenExpression(tree));
      }),
      { numRuns: 500 },
    );
  });
});
