import zipcodes from 'zipcodes';
import { centroidKey } from '../../domain/territory/postal.js';

export interface Centroid {
  latitude: number;
  longitude: number;
}

/**
 * The one postal-centroid lookup: Canadian FSAs and US ZIPs from the `zipcodes` data set.
 * Domain code receives it as an injected function and never imports the data itself.
 */
export function postalCentroid(code: string): Centroid | undefined {
  const key = centroidKey(code);
  if (!key) return undefined;
  const entry = zipcodes.lookup(key);
  if (!entry || !Number.isFinite(entry.latitude) || !Number.isFinite(entry.longitude)) return undefined;
  if (Math.abs(entry.latitude) > 90 || Math.abs(entry.longitude) > 180) return undefined;
  return { latitude: entry.latitude, longitude: entry.longitude };
}
