import zipcodes from 'zipcodes';
import { normalizePostalCode } from '../../domain/planning/geo.js';
import type { GeoPoint } from '../../domain/planning/model.js';

/** Centroid of a Canadian FSA (first three characters) or US ZIP, from the `zipcodes` data. */
export function locatePostalCode(postalCode: string): GeoPoint | undefined {
  const code = normalizePostalCode(postalCode);
  if (!code) return undefined;
  const key = /^[A-Z]\d[A-Z]/.test(code) ? code.slice(0, 3) : code;
  const entry = zipcodes.lookup(key);
  if (!entry || !isCoordinate(entry.latitude, 90) || !isCoordinate(entry.longitude, 180)) return undefined;
  return { latitude: entry.latitude, longitude: entry.longitude };
}

export interface Fsa {
  code: string;
  location: GeoPoint;
}

/** Ontario's forward sortation areas (K, L, M, N, P) that have usable coordinates. */
export function ontarioFsas(): Fsa[] {
  return Object.values(zipcodes.codes)
    .filter((c) => c.country === 'Canada' && /^[KLMNP]\d[A-Z]$/.test(c.zip))
    .filter((c) => isCoordinate(c.latitude, 90) && isCoordinate(c.longitude, 180))
    .filter((c) => c.latitude > 41 && c.latitude < 57 && c.longitude > -96 && c.longitude < -74)
    .map((c) => ({ code: c.zip, location: { latitude: c.latitude, longitude: c.longitude } }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

function isCoordinate(value: unknown, limit: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit;
}
