import { describe, expect, it } from 'vitest';
import { MovesFileError, parseMovesFile } from '../../../shared/adapters/reassign/moves-file.js';
import { MAX_MOVES_PER_REQUEST, parseMoveRows } from '../../../shared/domain/reassign/moves.js';
import { toId18 } from '../../../shared/domain/salesforce-id.js';

const ACCOUNT = '001RA0000000001';
const LEAD = '00QRA0000000001';
const USER = '005RA0000000001';
const QUEUE = '00GRA0000000001';

describe('a moves row', () => {
  it.each([
    ['an account move', { recordId: ACCOUNT, objectType: 'Account', toOwnerId: USER }, undefined],
    ['a lead to a queue', { recordId: LEAD, objectType: 'Lead', toOwnerId: QUEUE }, undefined],
    ['object type in any case', { recordId: ACCOUNT, objectType: 'account', toOwnerId: USER }, undefined],
    [
      'an empty reason and date (CSV cells)',
      { recordId: ACCOUNT, objectType: 'Account', toOwnerId: USER, reason: ' ', effectiveDate: '' },
      undefined,
    ],
    [
      'a bad id',
      { recordId: 'x', objectType: 'Account', toOwnerId: USER },
      'row 1: recordId is not a 15- or 18-character Salesforce id',
    ],
    [
      'a lead id as an account',
      { recordId: LEAD, objectType: 'Account', toOwnerId: USER },
      'row 1: recordId is not an Account id (001…)',
    ],
    [
      'an account to a queue',
      { recordId: ACCOUNT, objectType: 'Account', toOwnerId: QUEUE },
      'row 1: toOwnerId must be a user id (005…)',
    ],
    [
      'an unknown object type',
      { recordId: ACCOUNT, objectType: 'Contact', toOwnerId: USER },
      'row 1: objectType must be Account or Lead',
    ],
    [
      'an impossible date',
      { recordId: ACCOUNT, objectType: 'Account', toOwnerId: USER, effectiveDate: '2027-02-30' },
      'row 1: effectiveDate must be a date like 2027-02-01',
    ],
    ['a missing owner', { recordId: ACCOUNT, objectType: 'Account' }, 'row 1: toOwnerId'],
  ])('accepts or names the problem of %s', (_name, row, problem) => {
    const result = parseMoveRows([row]);
    if (problem === undefined) expect(result.ok).toBe(true);
    else expect(result.ok ? [] : result.problems.join('\n')).toContain(problem);
  });

  it('keeps ids in the 18-character form and drops fromOwnerId', () => {
    const result = parseMoveRows([
      {
        recordId: ACCOUNT,
        objectType: 'Account',
        toOwnerId: USER,
        fromOwnerId: 'anything',
        reason: 'Plan',
        effectiveDate: '2027-03-01',
      },
    ]);
    expect(result).toEqual({
      ok: true,
      moves: [
        {
          row: 1,
          recordId: toId18(ACCOUNT),
          objectType: 'Account',
          toOwnerId: toId18(USER),
          reason: 'Plan',
          effectiveDate: '2027-03-01',
        },
      ],
    });
  });

  it('refuses an empty request and one above the cap', () => {
    expect(parseMoveRows([])).toEqual({ ok: false, problems: ['the request has no moves'] });
    const tooMany = parseMoveRows(new Array(MAX_MOVES_PER_REQUEST + 1).fill({}));
    expect(tooMany.ok ? '' : tooMany.problems[0]).toMatch(/at most 50000 per request/);
  });
});

describe('a moves file', () => {
  it('reads the planner’s moves.csv with line numbers for each row', () => {
    const file = parseMovesFile(
      `recordId,objectType,fromOwnerId,toOwnerId,reason,effectiveDate\n${ACCOUNT},Account,${USER},${USER},r,2027-03-01\n\n${LEAD},Lead,,${QUEUE},,\n`,
      'csv',
    );
    expect(file.rows).toHaveLength(2);
    expect(file.lineOf?.(1)).toBe(4);
  });

  it('names missing columns', () => {
    expect(() => parseMovesFile('recordId,toOwnerId\nx,y', 'csv')).toThrow(
      new MovesFileError('missing column: objectType'),
    );
  });

  it('takes JSON as an array of moves or an object with moves and request fields', () => {
    expect(parseMovesFile('[{"recordId":"a"}]', 'json').rows).toEqual([{ recordId: 'a' }]);
    expect(parseMovesFile('{"requestedBy":"Dana","moves":[]}', 'json')).toMatchObject({
      rows: [],
      fields: { requestedBy: 'Dana' },
    });
    expect(() => parseMovesFile('{"x":1}', 'json')).toThrow(/"moves" array/);
    expect(() => parseMovesFile('{', 'json')).toThrow(/not valid JSON/);
  });
});
