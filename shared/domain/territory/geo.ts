import { centroidKey } from './postal.js';

export interface GeoPoint {
  readonly latitude: number;
  readonly longitude: number;
}

/**
 * Centroid of a postal code (FSA or 5-digit ZIP), injected so the domain stays pure: the adapter
 * passes `zipcodes.lookup`, tests pass a small table.
 */
export type PostalCentroidLookup = (code: string) => GeoPoint | undefined;

const EARTH_RADIUS_MILES = 3958.8;
const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle (haversine) distance in miles. */
export function distanceMiles(a: GeoPoint, b: GeoPoint): number {
  const dLat = toRadians(b.latitude - a.latitude);
  const dLon = toRadians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function isGeoPoint(latitude: unknown, longitude: unknown): boolean {
  const lat = toNumber(latitude);
  const lon = toNumber(longitude);
  return lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

/** A point from explicit coordinates when both are valid, else from the postal code's centroid. */
export function locate(
  place: { latitude?: unknown; longitude?: unknown; postalCode?: unknown },
  lookup: PostalCentroidLookup | undefined,
): GeoPoint | undefined {
  if (isGeoPoint(place.latitude, place.longitude)) {
    return { latitude: toNumber(place.latitude)!, longitude: toNumber(place.longitude)! };
  }
  const key = centroidKey(place.postalCode);
  if (!key || !lookup) return undefined;
  const found = lookup(key);
  return found ? { latitude: found.latitude, longitude: found.longitude } : undefined;
}

function toNumber(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}
