import { createRequire } from 'node:module';
import type zipcodesModule from 'zipcodes';
import { centroidKey } from '../../domain/territory/postal.js';

export interface Centroid {
  latitude: number;
  longitude: number;
}

type Zipcodes = typeof zipcodesModule;
let data: Zipcodes | undefined;

/**
 * The `zipcodes` data set is 4.5 MB; loading it on the first lookup (rather than bundling it)
 * keeps the intake Lambda small and its cold start fast for models that never need a centroid.
 * Lambdas ship it as a node module beside the bundle.
 */
function zipcodes(): Zipcodes {
  data ??= createRequire(import.meta.url)('zipcodes') as Zipcodes;
  return data;
}

/**
 * The one postal-centroid lookup: Canadian FSAs and US ZIPs from the `zipcodes` data set.
 * Domain code receives it as an injected function and never imports the data itself.
 */
export function postalCentroid(code: string): Centroid | undefined {
  const key = centroidKey(code);
  if (!key) return undefined;
  const entry = zipcodes().lookup(key);
  if (!entry || !Number.isFinite(entry.latitude) || !Number.isFinite(entry.longitude)) return undefined;
  if (Math.abs(entry.latitude) > 90 || Math.abs(entry.longitude) > 180) return undefined;
  return { latitude: entry.latitude, longitude: entry.longitude };
}
