import type { Lead } from '../domain/territory/lead.js';

/** Leads intake has routed, as their audit records kept them, for replaying against a draft. */
export interface IntakeHistory {
  routedLeads(options: { since: Date; limit: number }): Promise<Lead[]>;
}
