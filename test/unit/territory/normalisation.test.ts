import { describe, expect, it } from 'vitest';
import { distanceMiles, locate } from '../../../shared/domain/territory/geo.js';
import {
  domainAndParents,
  normaliseCompanyName,
  normaliseDomain,
} from '../../../shared/domain/territory/named-account.js';
import {
  centroidKey,
  forwardSortationArea,
  normalisePostalCode,
} from '../../../shared/domain/territory/postal.js';
import { boundToEpochMs, isTimeZone } from '../../../shared/domain/territory/time-window.js';
import { CENTROIDS, lookup } from './fixtures.js';

describe('postal codes', () => {
  it.each([
    ['m5v 3l9', 'M5V3L9', 'M5V', 'M5V'],
    [' M5V-3L9 ', 'M5V3L9', 'M5V', 'M5V'],
    ['10001-1234', '100011234', undefined, '10001'],
    [10001, '10001', undefined, '10001'],
    ['', undefined, undefined, undefined],
  ])('%j → %j, FSA %j, centroid key %j', (raw, normalised, fsa, key) => {
    expect(normalisePostalCode(raw)).toBe(normalised);
    expect(forwardSortationArea(raw)).toBe(fsa);
    expect(centroidKey(raw)).toBe(key);
  });
});

describe('named-account keys', () => {
  it.each([
    ['Acme Enterprises Inc.', 'acme enterprises'],
    ['ACME ENTERPRISES, LLC', 'acme enterprises'],
    ['The Acme Enterprises Ltd', 'acme enterprises'],
    ['Acme Enterprises Co. Inc.', 'acme enterprises'],
    ['Procter & Gamble', 'procter gamble'],
    ['Acme GmbH & Co. KG', 'acme'],
    ['Société Générale S.A.', 'societe generale'],
    ['Inc', 'inc'],
    ['  ', undefined],
  ])('company %j → %j', (raw, expected) => {
    expect(normaliseCompanyName(raw)).toBe(expected);
  });

  it.each([
    ['jane@Acme.com', 'acme.com'],
    ['https://www.acme.com/contact?x=1', 'acme.com'],
    ['acme.com:8080', 'acme.com'],
    ['ACME.COM.', 'acme.com'],
    ['not a domain', undefined],
  ])('domain %j → %j', (raw, expected) => {
    expect(normaliseDomain(raw)).toBe(expected);
  });

  it('tries parent domains down to two labels', () => {
    expect(domainAndParents('eu.mail.acme.com')).toEqual(['eu.mail.acme.com', 'mail.acme.com', 'acme.com']);
  });
});

describe('geography', () => {
  it('measures great-circle distance in miles', () => {
    // Toronto (M5V) to Ottawa (K1P) is about 219 miles as the crow flies.
    expect(distanceMiles(CENTROIDS.M5V!, CENTROIDS.K1P!)).toBeCloseTo(219, -1);
    expect(distanceMiles(CENTROIDS.M5V!, CENTROIDS.M5V!)).toBe(0);
  });

  it("prefers the lead's own coordinates over its postal centroid", () => {
    expect(locate({ latitude: '45', longitude: -75, postalCode: 'M5V 3L9' }, lookup)).toEqual({
      latitude: 45,
      longitude: -75,
    });
    expect(locate({ postalCode: 'm5v 3l9' }, lookup)).toEqual(CENTROIDS.M5V);
    expect(locate({ postalCode: 'X1X' }, lookup)).toBeUndefined();
    expect(locate({ postalCode: 'M5V' }, undefined)).toBeUndefined();
  });
});

describe('out-of-office bounds in a time zone', () => {
  it('reads local dates and times in the zone, across daylight saving', () => {
    // Toronto is UTC-5 in winter and UTC-4 in summer.
    expect(boundToEpochMs('2026-11-20', 'America/Toronto', false)).toBe(Date.parse('2026-11-20T05:00:00Z'));
    expect(boundToEpochMs('2026-07-01T09:30', 'America/Toronto', false)).toBe(
      Date.parse('2026-07-01T13:30:00Z'),
    );
    expect(boundToEpochMs('2026-11-30', 'America/Toronto', true)).toBe(Date.parse('2026-12-01T05:00:00Z'));
    expect(boundToEpochMs('2026-12-31', 'America/Toronto', true)).toBe(Date.parse('2027-01-01T05:00:00Z'));
    expect(boundToEpochMs('2026-11-01T12:00', 'Asia/Tokyo', false)).toBe(Date.parse('2026-11-01T03:00:00Z'));
  });

  it('takes instants with an offset as they are, and rejects what is not a date', () => {
    expect(boundToEpochMs('2026-11-20T09:00:00-05:00', 'Asia/Tokyo', true)).toBe(
      Date.parse('2026-11-20T14:00:00Z'),
    );
    expect(boundToEpochMs('2026-02-30', 'UTC', false)).toBeUndefined();
    expect(boundToEpochMs('next week', 'UTC', false)).toBeUndefined();
    expect(isTimeZone('America/Toronto')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
