/**
 * Builds Salesforce Outbound Message envelopes the way Salesforce sends them — used for the local
 * stack's sample message and by tests, which vary the prefixes and layout real senders use.
 */
export interface OutboundEnvelopeOptions {
  orgId: string;
  /** Namespace prefix of the SOAP envelope (`soapenv`, `soap`, `s`...). */
  envPrefix?: string;
  /** Prefix of sObject fields (`sf`, `ns2`...). */
  fieldPrefix?: string;
  singleLine?: boolean;
  /** Salesforce stopped sending SessionId in 2026: nil by default. */
  nilSession?: boolean;
  objectType?: string;
  notificationIds?: string[];
}

/** The Lead fields an outbound message for routing carries (as configured in Salesforce Setup). */
export const ROUTING_LEAD_FIELDS = [
  'Id',
  'FirstName',
  'LastName',
  'Company',
  'Email',
  'Country',
  'State',
  'City',
  'PostalCode',
  'Industry',
  'LeadSource',
  'Product_Interest__c',
  'OwnerId',
] as const;

export type OutboundRecord = { Id: string } & Record<string, string | number | boolean | null | undefined>;

export function buildOutboundMessage(records: OutboundRecord[], options: OutboundEnvelopeOptions): string {
  const env = options.envPrefix ?? 'soapenv';
  const sf = options.fieldPrefix ?? 'sf';
  const type = options.objectType ?? 'Lead';
  const notifications = records
    .map((record, i) => {
      const fields = Object.entries(record)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) =>
          v === null ? `<${sf}:${k} xsi:nil="true"/>` : `<${sf}:${k}>${escapeXml(String(v))}</${sf}:${k}>`,
        )
        .join('\n          ');
      // Derived from the record so messages about different records never share a notification id.
      const id = options.notificationIds?.[i] ?? `04l${record.Id.slice(3, 15).padEnd(12, '0')}AAA`;
      return `
    <Notification>
      <Id>${escapeXml(id)}</Id>
      <sObject xsi:type="${sf}:${type}" xmlns:${sf}="urn:sobject.enterprise.soap.sforce.com">
          ${fields}
      </sObject>
    </Notification>`;
    })
    .join('');
  const session =
    options.nilSession === false
      ? '<SessionId>00Dxx!AQ0AQ.not-a-real-session</SessionId>'
      : '<SessionId xsi:nil="true"/>';
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<${env}:Envelope xmlns:${env}="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <${env}:Body>
    <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
      <OrganizationId>${escapeXml(options.orgId)}</OrganizationId>
      <ActionId>04k000000000001AAA</ActionId>
      ${session}
      <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/62.0/00D</EnterpriseUrl>
      <PartnerUrl>https://example.my.salesforce.com/services/Soap/u/62.0/00D</PartnerUrl>${notifications}
    </notifications>
  </${env}:Body>
</${env}:Envelope>`;
  return options.singleLine ? xml.replace(/>\s+</g, '><') : xml;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
