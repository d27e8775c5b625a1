import type { GeoPoint } from './model.js';

const EARTH_RADIUS_KM = 6371.0088;
const RADIANS = Math.PI / 180;

/** Great-circle (haversine) distance in km. */
export function greatCircleKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = (b.latitude - a.latitude) * RADIANS;
  const dLon = (b.longitude - a.longitude) * RADIANS;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * RADIANS) * Math.cos(b.latitude * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** `m5v 3l9` → `M5V3L9`; US ZIPs keep their digits (ZIP+4 suffix dropped). */
export function normalizePostalCode(raw: string): string {
  const compact = raw.toUpperCase().replace(/[\s-]/g, '');
  return /^\d{9}$/.test(compact) ? compact.slice(0, 5) : compact;
}

const CANADIAN_DISTRICTS: Record<string, string> = {
  A: 'Newfoundland and Labrador',
  B: 'Nova Scotia',
  C: 'Prince Edward Island',
  E: 'New Brunswick',
  G: 'Eastern Quebec',
  H: 'Montreal',
  J: 'Western Quebec',
  K: 'Eastern Ontario',
  L: 'Central Ontario',
  M: 'Toronto',
  N: 'Southwestern Ontario',
  P: 'Northern Ontario',
  R: 'Manitoba',
  S: 'Saskatchewan',
  T: 'Alberta',
  V: 'British Columbia',
  X: 'Northwest Territories and Nunavut',
  Y: 'Yukon',
};

export interface Region {
  key: string;
  label: string;
}

/**
 * The region a postal code belongs to, for coverage: a Canadian postal district (the FSA's
 * first letter, e.g. `M` Toronto) or a US sectional centre (the ZIP's first three digits).
 */
export function regionOf(postalCode: string): Region | undefined {
  const code = normalizePostalCode(postalCode);
  if (/^[A-Z]\d[A-Z]/.test(code)) {
    const key = code.charAt(0);
    const district = CANADIAN_DISTRICTS[key];
    return district ? { key, label: `${key} (${district})` } : undefined;
  }
  if (/^\d{5}$/.test(code)) {
    const key = code.slice(0, 3);
    return { key, label: `ZIP ${key}xx` };
  }
  return undefined;
}
