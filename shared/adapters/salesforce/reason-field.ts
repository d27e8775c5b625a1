import type { Connection } from '@jsforce/jsforce-node';
import type { CrmObjectType } from '../../ports/crm.js';
import { SalesforceOrgFields } from './org-fields.js';
import { assertFieldName } from './soql.js';

/**
 * The routing-reason field an owner write sets. It is required on Lead: an org without it fails
 * the first write with a clear error naming ROUTING_REASON_FIELD instead of an INVALID_FIELD per
 * record. On other objects it is written only when the org has it (learned once by describe).
 */
export class ReasonField {
  private readonly name: string;
  private readonly orgFields: SalesforceOrgFields;

  constructor(connection: () => Promise<Connection>, configured: string | undefined) {
    this.name = configured ? assertFieldName(configured) : '';
    this.orgFields = new SalesforceOrgFields(connection);
  }

  /** The field to write on this object, or '' for none. */
  async on(objectType: CrmObjectType): Promise<string> {
    if (!this.name) return '';
    if (objectType === 'Lead') {
      await this.orgFields.require('Lead', this.name, 'ROUTING_REASON_FIELD');
      return this.name;
    }
    return (await this.orgFields.has(objectType, this.name)) ? this.name : '';
  }
}
