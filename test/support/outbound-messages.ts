import { toId18 } from '../../shared/domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../../shared/runtime/config.js';

export interface TestLead {
  Id: string;
  [field: string]: string | null | undefined;
}

export interface EnvelopeOptions {
  orgId?: string;
  /** Namespace prefix for the SOAP envelope (`soapenv`, `soap`, `s`...). */
  envPrefix?: string;
  /** Prefix for sObject fields (`sf`, `ns2`...). */
  fieldPrefix?: string;
  singleLine?: boolean;
  nilSession?: boolean;
  objectType?: string;
  notificationIds?: string[];
}

/** A Salesforce outbound message as Salesforce sends it, with the variations real senders show. */
export function outboundEnvelope(leads: TestLead[], options: EnvelopeOptions = {}): string {
  const env = options.envPrefix ?? 'soapenv';
  const sf = options.fieldPrefix ?? 'sf';
  const type = options.objectType ?? 'Lead';
  const notifications = leads
    .map((lead, i) => {
      const fields = Object.entries(lead)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) =>
          v === null ? `<${sf}:${k} xsi:nil="true"/>` : `<${sf}:${k}>${escape(String(v))}</${sf}:${k}>`,
        )
        .join('\n          ');
      // Derived from the lead so separate messages about different leads never share a notification id.
      const id = options.notificationIds?.[i] ?? `04l${lead.Id.slice(3, 15).padEnd(12, '0')}AAA`;
      return `
    <Notification>
      <Id>${id}</Id>
      <sObject xsi:type="${sf}:${type}" xmlns:${sf}="urn:sobject.enterprise.soap.sforce.com">
          ${fields}
      </sObject>
    </Notification>`;
    })
    .join('');
  const session =
    options.nilSession === false ? '<SessionId>00Dxx!AQ0AQ.fake</SessionId>' : '<SessionId xsi:nil="true"/>';
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<${env}:Envelope xmlns:${env}="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <${env}:Body>
    <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
      <OrganizationId>${options.orgId ?? EMULATOR_ORG_ID}</OrganizationId>
      <ActionId>04k000000000001AAA</ActionId>
      ${session}
      <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/62.0/00D</EnterpriseUrl>
      <PartnerUrl>https://example.my.salesforce.com/services/Soap/u/62.0/00D</PartnerUrl>${notifications}
    </notifications>
  </${env}:Body>
</${env}:Envelope>`;
  return options.singleLine ? xml.replace(/>\s+</g, '><') : xml;
}

/** A lead id of the Lead key prefix, 18 characters, from a number. */
export function leadId(n: number): string {
  return toId18(`00QTR${String(n).padStart(10, '0')}`);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
