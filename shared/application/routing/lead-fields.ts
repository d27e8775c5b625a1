import type { LeadFields } from '../../ports/lead-router.js';

/**
 * Routing attributes that are not standard Lead fields come from configurable Salesforce fields:
 * e.g. the rule attribute `ProductInterest` reads the org's `Product_Interest__c`.
 */
export interface RoutingFieldMap {
  ProductInterest: string;
}

export const DEFAULT_ROUTING_FIELDS: RoutingFieldMap = { ProductInterest: 'Product_Interest__c' };

/** The lead as the territory rules see it: its own fields plus the mapped routing attributes. */
export function routingLead(fields: LeadFields, map: RoutingFieldMap = DEFAULT_ROUTING_FIELDS): LeadFields {
  const product = fields.ProductInterest ?? fields[map.ProductInterest];
  return product === undefined ? fields : { ...fields, ProductInterest: product };
}
