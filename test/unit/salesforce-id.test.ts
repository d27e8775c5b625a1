import { describe, expect, it } from 'vitest';
import { isSalesforceId, sameSalesforceId, toId18 } from '../../shared/domain/salesforce-id.js';

// Pairs published with the algorithm (a 3-character checksum of the first 15's upper-case letters):
// https://success.salesforce.com/answers?id=9063A0000019eNUQAY (0017F000008BqLk → …QAK),
// https://goravseth.com/18-character-ids-are-case-sensitive (0034000001lrbM5 → …AAI, lRBM5 → …AAO).
describe('toId18', () => {
  it.each([
    ['0017F000008BqLk', '0017F000008BqLkQAK'],
    ['0034000001lrbM5', '0034000001lrbM5AAI'],
    ['0034000001lRBM5', '0034000001lRBM5AAO'],
    ['500x000000003TR', '500x000000003TRAAY'],
    ['0017F000008BqLkQAK', '0017F000008BqLkQAK'],
    // The suffix is read without case, as Salesforce reads it.
    ['0017F000008BqLkqak', '0017F000008BqLkQAK'],
    ['0034000001lRBM5aaO', '0034000001lRBM5AAO'],
  ])('turns %s into %s', (id, id18) => {
    expect(toId18(id)).toBe(id18);
    expect(isSalesforceId(id)).toBe(true);
  });

  it.each([
    ['a suffix of another capitalisation', '0034000001lRBM5AAI'],
    ['a suffix of another record', '0017F000008BqLkAAA'],
    ['a first 15 whose case was changed', '0017F000008bqLkQAK'],
    ['a suffix digit outside 0-5', '0017F000008BqLkQA9'],
    ['16 characters', '0017F000008BqLkQ'],
    ['a character outside the alphabet', '0017F000008BqL-QAK'],
    ['nothing', ''],
  ])('refuses %s', (_, id) => {
    expect(() => toId18(id)).toThrow(/Not a Salesforce id/);
    expect(isSalesforceId(id)).toBe(false);
  });

  it('names the expected suffix when the checksum is wrong', () => {
    expect(() => toId18('0034000001lRBM5AAI')).toThrow(/should be AAO/);
  });
});

describe('sameSalesforceId', () => {
  it.each([
    ['0017F000008BqLk', '0017F000008BqLkQAK', true],
    ['0017F000008BqLkqak', '0017F000008BqLkQAK', true],
    ['0034000001lrbM5', '0034000001lRBM5', false],
    ['0034000001lRBM5AAI', '0034000001lRBM5', false],
  ])('%s and %s → %s', (a, b, same) => {
    expect(sameSalesforceId(a, b)).toBe(same);
  });
});
