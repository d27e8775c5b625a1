import { resolveAttribute } from '../../domain/territory/attributes.js';
import type { Lead } from '../../domain/territory/lead.js';

/**
 * Routing attributes that are not standard Lead fields come from configurable Salesforce fields:
 * e.g. the rule attribute `ProductInterest` reads the org's `Product_Interest__c`.
 */
export interface RoutingFieldMap {
  ProductInterest: string;
}

export const DEFAULT_ROUTING_FIELDS: RoutingFieldMap = { ProductInterest: 'Product_Interest__c' };

/**
 * The one lead-field mapping: the lead as the territory rules see it, whether it came from an
 * outbound message, the top-up pool, a leads file or the intake history. Field names may be
 * Salesforce API names (`Product_Interest__c`, `PostalCode`) or the model's attribute names in
 * any case (`ProductInterest`, `postalcode`); the mapped routing attributes are filled from the
 * configured fields unless the lead already carries them.
 */
export function routingLead<T extends Lead>(fields: T, map: RoutingFieldMap = DEFAULT_ROUTING_FIELDS): T {
  const lead: Record<string, unknown> = { ...fields };
  let changed = false;
  for (const name of Object.keys(fields)) {
    const canonical = resolveAttribute(name);
    if (!canonical || canonical.source === 'custom' || canonical.name === name) continue;
    if (lead[canonical.name] === undefined) lead[canonical.name] = fields[name];
    delete lead[name];
    changed = true;
  }
  if (lead.ProductInterest === undefined) {
    const wanted = map.ProductInterest.toLowerCase();
    const mapped = Object.keys(lead).find((k) => k.toLowerCase() === wanted);
    if (mapped !== undefined && lead[mapped] !== undefined) {
      lead.ProductInterest = lead[mapped];
      changed = true;
    }
  }
  return changed ? (lead as T) : fields;
}
