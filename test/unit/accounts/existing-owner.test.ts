import { describe, expect, it } from 'vitest';
import {
  type ExistingRecord,
  normaliseEmail,
  pickExistingRecord,
} from '../../../shared/domain/accounts/existing-owner.js';

const record = (recordId: string, kind: ExistingRecord['kind'], systemModstamp: string): ExistingRecord => ({
  recordId,
  kind,
  ownerId: `005${recordId}`,
  systemModstamp,
});

describe('the duplicate rule picks one existing record', () => {
  it.each([
    [' Mei.Ng@ACME.com ', 'mei.ng@acme.com'],
    ['mei@acme', 'mei@acme'],
    ['not an address', undefined],
    ['@acme.com', undefined],
    ['mei@', undefined],
    ['', undefined],
    [null, undefined],
  ])('normalises %j to %j', (raw, expected) => {
    expect(normaliseEmail(raw)).toBe(expected);
  });

  it('prefers a contact, then the most recent change, then the lowest id, and never the lead itself', () => {
    const records = [
      record('00QA', 'lead', '2026-11-30T00:00:00.000Z'),
      record('003B', 'contact', '2026-10-01T00:00:00.000Z'),
      record('003A', 'contact', '2026-10-01T00:00:00.000Z'),
      record('003C', 'contact', '2026-09-01T00:00:00.000Z'),
    ];
    expect(pickExistingRecord(records, undefined, ['lead', 'contact'])?.recordId).toBe('003A');
    expect(pickExistingRecord([...records].reverse(), undefined, ['lead', 'contact'])?.recordId).toBe('003A');
    expect(pickExistingRecord(records, undefined, ['lead'])?.recordId).toBe('00QA');
    expect(pickExistingRecord(records, '00QA', ['lead'])).toBeUndefined();
    expect(pickExistingRecord([], undefined, ['lead', 'contact'])).toBeUndefined();
  });
});
