import { beforeEach, describe, expect, it } from 'vitest';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { packageCustomFields } from '../../shared/local-stack/salesforce-emulator/package-fields.js';
import { QueryEngine } from '../../shared/local-stack/salesforce-emulator/query.js';
import { OrgSchema } from '../../shared/local-stack/salesforce-emulator/schema.js';
import { parseSoql, SoqlError } from '../../shared/local-stack/salesforce-emulator/soql.js';
import { RecordStore } from '../../shared/local-stack/salesforce-emulator/store.js';

const NOW = new Date('2026-11-20T14:00:00.000Z');
const REP_1 = toId18('005TR0000000001');
const REP_2 = toId18('005TR0000000002');
const QUEUE = toId18('00GTR0000000001');

describe('parseSoql', () => {
  it.each([
    ['SELECT Id FROM Lead', { select: [{ expr: { kind: 'field', path: ['Id'] } }], from: { name: 'Lead' } }],
    [
      'select id, Owner.Name from lead',
      { select: [{ expr: { path: ['id'] } }, { expr: { path: ['Owner', 'Name'] } }] },
    ],
    ['SELECT COUNT() FROM Lead', { select: [{ expr: { kind: 'aggregate', fn: 'COUNT' } }] }],
    [
      'SELECT OwnerId, COUNT(Id) cnt FROM Lead GROUP BY OwnerId',
      {
        select: [
          { expr: { path: ['OwnerId'] } },
          { expr: { fn: 'COUNT', field: { path: ['Id'] } }, alias: 'cnt' },
        ],
        groupBy: [{ path: ['OwnerId'] }],
      },
    ],
    [
      "SELECT Id FROM Lead WHERE Status = 'New' AND (Score__c > 5 OR Score__c = null)",
      {
        where: {
          kind: 'and',
          items: [
            { kind: 'compare', op: '=', value: { kind: 'string', value: 'New' } },
            {
              kind: 'or',
              items: [{ op: '>', value: { kind: 'number', value: 5 } }, { value: { kind: 'null' } }],
            },
          ],
        },
      },
    ],
    ["SELECT Id FROM Lead WHERE Status <> 'x'", { where: { kind: 'compare', op: '!=' } }],
    [
      "SELECT Id FROM Lead WHERE NOT Status IN ('a', 'b')",
      { where: { kind: 'not', item: { kind: 'in', negated: false } } },
    ],
    ["SELECT Id FROM Lead WHERE Status NOT IN ('a')", { where: { kind: 'in', negated: true } }],
    [
      "SELECT Id FROM Lead WHERE Company LIKE 'Acme%'",
      { where: { kind: 'like', pattern: { raw: 'Acme%' } } },
    ],
    ['SELECT Id FROM Lead WHERE IsConverted = TRUE', { where: { value: { kind: 'boolean', value: true } } }],
    [
      'SELECT Id FROM Lead WHERE Amount >= -12.5',
      { where: { op: '>=', value: { kind: 'number', value: -12.5 } } },
    ],
    [
      'SELECT Id FROM Opportunity WHERE CloseDate < 2026-12-31',
      { where: { value: { kind: 'date', value: '2026-12-31' } } },
    ],
    [
      'SELECT Id FROM Lead WHERE CreatedDate > 2026-11-20T10:00:00.000+0000',
      { where: { value: { kind: 'datetime', value: Date.parse('2026-11-20T10:00:00Z') } } },
    ],
    [
      'SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS:30',
      { where: { value: { kind: 'relativeDate', n: 30 } } },
    ],
    ["SELECT Id FROM Lead WHERE Name = 'O\\'Connor'", { where: { value: { value: "O'Connor" } } }],
    [
      'SELECT Id FROM Lead ORDER BY Name DESC, CreatedDate ASC NULLS LAST LIMIT 10 OFFSET 5',
      {
        orderBy: [
          { descending: true, nullsLast: true },
          { descending: false, nullsLast: true },
        ],
        limit: 10,
        offset: 5,
      },
    ],
    ["SELECT Id, Name FROM Group WHERE Type = 'Queue'", { from: { name: 'Group' } }],
  ])('parses %s', (soql, expected) => {
    expect(parseSoql(soql)).toMatchObject(expected);
  });

  it.each([
    ['SELECT Id FROM', 'unexpected token: <EOF>'],
    ['SELECT FROM Lead', "unexpected token: 'FROM'"],
    ["SELECT Id FROM Lead WHERE A = 'x' AND B = 'y' OR C = 'z'", "unexpected token: 'OR'"],
    ["SELECT Id FROM Lead WHERE Name = 'unterminated", 'unterminated string literal'],
    ['SELECT Id FROM Lead WHERE Name = :name', 'bind variables'],
    [
      'SELECT Id, (SELECT Id, (SELECT Id FROM Tasks) FROM Contacts) FROM Account',
      'subqueries nested in a subquery',
    ],
    ['SELECT Id FROM Lead WHERE Id IN (SELECT LeadId FROM X)', 'semi-joins'],
    ['SELECT Status, COUNT(Id) FROM Lead GROUP BY Status HAVING COUNT(Id) > 1', 'HAVING'],
    ['SELECT Id FROM Lead WITH SECURITY_ENFORCED', 'WITH clauses'],
    ['SELECT Id FROM Lead FOR UPDATE', 'FOR VIEW / FOR UPDATE'],
    ['SELECT toLabel(Status) FROM Lead', 'toLabel()'],
    ['SELECT FIELDS(ALL) FROM Lead', 'FIELDS()'],
    ['SELECT Id FROM Lead WHERE CreatedDate = THIS_QUARTER', 'THIS_QUARTER'],
    ['SELECT Id FROM Lead LIMIT -1', 'LIMIT needs a non-negative integer'],
    ['SELECT Id FROM Lead, Account', 'several objects'],
    ['SELECT Id FROM Lead WHERE Name = "x"', `unexpected character: '"'`],
    ['SELECT Id FROM Lead WHERE CloseDate = 2026-02-30', 'invalid date'],
  ])('rejects %s as MALFORMED_QUERY', (soql, reason) => {
    const error = catchSoql(() => parseSoql(soql));
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toContain(reason);
  });

  it("points at the offending column in Salesforce's layout", () => {
    const error = catchSoql(() => parseSoql('SELECT Id FROM Lead WHERE'));
    expect(error.message).toBe(
      '\nSELECT Id FROM Lead WHERE\n                         ^\nERROR at Row:1:Column:26\nunexpected token: <EOF>',
    );
  });
});

describe('QueryEngine', () => {
  let store: RecordStore;
  let engine: QueryEngine;
  const rows = (soql: string) => engine.run(soql).records;

  beforeEach(() => {
    store = new RecordStore(new OrgSchema(packageCustomFields()), () => NOW);
    store.insert('User', [
      { Id: REP_1, FirstName: 'Joe', LastName: 'Tremblay', IsActive: true },
      { Id: REP_2, FirstName: 'Priya', LastName: 'Sharma', IsActive: false },
    ]);
    store.insert('Group', { Id: QUEUE, Name: 'Lead Intake', Type: 'Queue' });
    store.insert('Lead', [
      lead('L1', 'Acme Enterprises Inc.', 'Open - Not Contacted', REP_1, 90, '2026-11-20T09:00:00Z'),
      lead('L2', 'acme labs', 'Working - Contacted', REP_1, 40, '2026-11-19T09:00:00Z'),
      lead('L3', 'Globex', 'Open - Not Contacted', REP_2, null, '2026-10-01T09:00:00Z'),
      lead('L4', 'Initech', 'Open - Not Contacted', QUEUE, 75, '2026-11-18T09:00:00Z'),
      lead('L5', '50% Off Ltd', 'Closed - Converted', REP_2, 10, '2025-01-01T09:00:00Z'),
    ]);
    engine = new QueryEngine(store, () => NOW);
  });

  it.each([
    ["SELECT LastName FROM Lead WHERE Status = 'open - not contacted'", ['L1', 'L3', 'L4']],
    ["SELECT LastName FROM Lead WHERE Status != 'Open - Not Contacted'", ['L2', 'L5']],
    ["SELECT LastName FROM Lead WHERE Company LIKE 'acme%'", ['L1', 'L2']],
    ["SELECT LastName FROM Lead WHERE Company LIKE '50\\% %'", ['L5']],
    ["SELECT LastName FROM Lead WHERE Company LIKE '_lobex'", ['L3']],
    ['SELECT LastName FROM Lead WHERE Lead_Score__c > 50', ['L1', 'L4']],
    ['SELECT LastName FROM Lead WHERE Lead_Score__c <= 40', ['L2', 'L5']],
    ['SELECT LastName FROM Lead WHERE Lead_Score__c = null', ['L3']],
    ['SELECT LastName FROM Lead WHERE Lead_Score__c != null AND Lead_Score__c < 50', ['L2', 'L5']],
    ["SELECT LastName FROM Lead WHERE LastName IN ('L1', 'l4', 'nobody')", ['L1', 'L4']],
    ["SELECT LastName FROM Lead WHERE LastName NOT IN ('L1', 'L4')", ['L2', 'L3', 'L5']],
    [`SELECT LastName FROM Lead WHERE OwnerId = '${QUEUE.slice(0, 15)}'`, ['L4']],
    [
      "SELECT LastName FROM Lead WHERE NOT (Status = 'Closed - Converted' OR OwnerId = '00GTR0000000001')",
      ['L1', 'L2', 'L3'],
    ],
    ['SELECT LastName FROM Lead WHERE Owner.IsActive = false', ['L3', 'L5']],
    ["SELECT LastName FROM Lead WHERE Owner.Name = 'Lead Intake'", ['L4']],
    ['SELECT LastName FROM Lead WHERE CreatedDate = TODAY', ['L1']],
    ['SELECT LastName FROM Lead WHERE CreatedDate = YESTERDAY', ['L2']],
    ['SELECT LastName FROM Lead WHERE CreatedDate = LAST_N_DAYS:7', ['L1', 'L2', 'L4']],
    ['SELECT LastName FROM Lead WHERE CreatedDate < LAST_N_DAYS:7', ['L3', 'L5']],
    ['SELECT LastName FROM Lead WHERE CreatedDate >= 2026-11-19T00:00:00Z', ['L1', 'L2']],
    ['SELECT LastName FROM Lead WHERE Lead.Lead_Score__c > 80', ['L1']],
    ['SELECT LastName FROM Lead ORDER BY Lead_Score__c', ['L3', 'L5', 'L2', 'L4', 'L1']],
    ['SELECT LastName FROM Lead ORDER BY Lead_Score__c DESC', ['L1', 'L4', 'L2', 'L5', 'L3']],
    ['SELECT LastName FROM Lead ORDER BY Lead_Score__c ASC NULLS LAST', ['L5', 'L2', 'L4', 'L1', 'L3']],
    ['SELECT LastName FROM Lead ORDER BY Status, LastName DESC', ['L5', 'L4', 'L3', 'L1', 'L2']],
    ['SELECT LastName FROM Lead ORDER BY Company LIMIT 2 OFFSET 1', ['L1', 'L2']],
  ])('%s', (soql, expected) => {
    expect(rows(soql).map((r) => r.LastName)).toEqual(expected);
  });

  it('shapes records with attributes, canonical field names and nested relationships', () => {
    const [record] = rows("SELECT id, lastname, owner.name FROM LEAD WHERE LastName = 'L4'");
    expect(record).toEqual({
      attributes: { type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${store.records('Lead')[3]!.Id}` },
      Id: store.records('Lead')[3]!.Id,
      LastName: 'L4',
      // A lead's owner is polymorphic (user or queue), which Salesforce types as 'Name'.
      Owner: {
        attributes: { type: 'Name', url: `/services/data/v62.0/sobjects/Group/${QUEUE}` },
        Name: 'Lead Intake',
      },
    });
  });

  it('groups and aggregates with aliases and exprN names', () => {
    const result = rows(
      'SELECT OwnerId, Status, COUNT(Id) cnt, SUM(Lead_Score__c), MAX(CreatedDate) FROM Lead GROUP BY OwnerId, Status ORDER BY COUNT(Id) DESC, OwnerId',
    );
    expect(result[0]).toEqual({
      attributes: { type: 'AggregateResult' },
      OwnerId: REP_1,
      Status: 'Open - Not Contacted',
      cnt: 1,
      expr0: 90,
      expr1: '2026-11-20T09:00:00.000+0000',
    });
    expect(result).toHaveLength(5);
  });

  it('returns one aggregate row even when nothing matches', () => {
    expect(rows("SELECT COUNT(Id), SUM(Lead_Score__c) total FROM Lead WHERE Status = 'none'")).toEqual([
      { attributes: { type: 'AggregateResult' }, expr0: 0, total: null },
    ]);
  });

  it('answers COUNT() with a total and no records', () => {
    expect(engine.run("SELECT COUNT() FROM Lead WHERE OwnerId = '00GTR0000000001'")).toMatchObject({
      totalSize: 1,
      records: [],
    });
  });

  it('groups by a relationship field under its own name', () => {
    expect(rows('SELECT Owner.Name, COUNT(Id) n FROM Lead GROUP BY Owner.Name ORDER BY Owner.Name')).toEqual([
      { attributes: { type: 'AggregateResult' }, Name: 'Joe Tremblay', n: 2 },
      { attributes: { type: 'AggregateResult' }, Name: 'Lead Intake', n: 1 },
      { attributes: { type: 'AggregateResult' }, Name: 'Priya Sharma', n: 2 },
    ]);
  });

  it.each([
    ['SELECT Id FROM Widget__c', 'INVALID_TYPE', "sObject type 'Widget__c' is not supported."],
    ['SELECT Id, Nope__c FROM Lead', 'INVALID_FIELD', "No such column 'Nope__c' on entity 'Lead'"],
    ['SELECT Boss.Name FROM Lead', 'INVALID_FIELD', "Didn't understand relationship 'Boss'"],
    ['SELECT Owner.Nope FROM Lead', 'INVALID_FIELD', "No such column 'Nope'"],
    [
      'SELECT Id FROM Lead WHERE Name = 5',
      'MALFORMED_QUERY',
      'must be of type string and should be enclosed in quotes',
    ],
    ["SELECT Id FROM Lead WHERE Lead_Score__c = '5'", 'MALFORMED_QUERY', 'must be of type double'],
    ['SELECT Id FROM Lead WHERE CreatedDate = 2026-11-20', 'MALFORMED_QUERY', 'must be of type dateTime'],
    ["SELECT Id FROM Lead WHERE OwnerId = 'abc'", 'INVALID_QUERY_FILTER_OPERATOR', 'invalid ID field: abc'],
    [
      'SELECT Id FROM Lead WHERE IsConverted > true',
      'INVALID_QUERY_FILTER_OPERATOR',
      'invalid operator on boolean',
    ],
    ['SELECT Id FROM Lead WHERE Lead_Score__c LIKE 5', 'MALFORMED_QUERY', 'LIKE needs a string pattern'],
    ['SELECT Id, Id FROM Lead', 'MALFORMED_QUERY', 'duplicate field selected: Id'],
    ['SELECT Id i FROM Lead', 'MALFORMED_QUERY', 'only aggregate expressions use field aliasing'],
    ['SELECT Status, COUNT(Id) FROM Lead', 'MALFORMED_QUERY', 'Field must be grouped or aggregated: Status'],
    ['SELECT SUM(Company) FROM Lead', 'MALFORMED_QUERY', 'does not support aggregate operator SUM'],
    ['SELECT COUNT(), Status FROM Lead', 'MALFORMED_QUERY', 'COUNT() must be the only item'],
    ['SELECT Id FROM Lead ORDER BY COUNT(Id)', 'MALFORMED_QUERY', 'ORDER BY an aggregate needs GROUP BY'],
    ['SELECT Owner.Manager.Name FROM Lead', 'MALFORMED_QUERY', 'deeper than one level'],
    ['SELECT Id FROM Lead OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000'],
  ])('rejects %s with %s', (soql, errorCode, message) => {
    const error = catchSoql(() => engine.run(soql));
    expect(error.errorCode).toBe(errorCode);
    expect(error.message).toContain(message);
  });
});

function lead(
  lastName: string,
  company: string,
  status: string,
  ownerId: string,
  score: number | null,
  createdDate: string,
) {
  return {
    LastName: lastName,
    Company: company,
    Status: status,
    OwnerId: ownerId,
    Lead_Score__c: score,
    CreatedDate: createdDate,
  };
}

function catchSoql(run: () => unknown): SoqlError {
  try {
    run();
  } catch (error) {
    if (error instanceof SoqlError) return error;
    throw error;
  }
  throw new Error('expected a SoqlError');
}
