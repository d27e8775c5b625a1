import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import {
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../../shared/local-stack/salesforce-emulator/index.js';

/**
 * What a real org refuses, the emulator refuses with the same HTTP status, error code and body
 * shape, so code tested here meets no surprise in production. Each case cites Salesforce's doc.
 */
const QUEUE = toId18('00GTR0000000001');
const REP = toId18('005TR0000000001');
const OPEN_LEAD = toId18('00QTR0000000001');
const CONVERTED_LEAD = toId18('00QTR0000000002');
/** The open lead's id with a suffix that is not the checksum of its first 15 characters. */
const WRONG_SUFFIX = `${OPEN_LEAD.slice(0, 15)}${OPEN_LEAD.endsWith('AAA') ? 'BAA' : 'AAA'}`;

let sf: SalesforceEmulator;
let token = '';

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sf.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

beforeAll(async () => {
  sf = await startSalesforceEmulator();
  sf.store.insert('User', { Id: REP, FirstName: 'Joe', LastName: 'Tremblay', IsActive: true });
  sf.store.insert('Group', { Id: QUEUE, Name: 'Lead Intake', Type: 'Queue' });
  sf.store.insert('Lead', [
    { Id: OPEN_LEAD, LastName: 'Open', Company: 'Acme', OwnerId: QUEUE, Status: 'Open - Not Contacted' },
    {
      Id: CONVERTED_LEAD,
      LastName: 'Converted',
      Company: 'Globex',
      OwnerId: QUEUE,
      Status: 'Closed - Converted',
      IsConverted: true,
    },
  ]);
  // 2,001 open leads over 2,001 companies: a GROUP BY Company answer too big for one batch.
  sf.store.insert(
    'Lead',
    Array.from({ length: 2001 }, (_, i) => ({
      LastName: `L${i}`,
      Company: `Company ${i}`,
      OwnerId: QUEUE,
      Status: 'Open - Not Contacted',
    })),
  );
  const res = await fetch(`${sf.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sf.credentials.clientId,
      client_secret: sf.credentials.clientSecret,
    }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
}, 60_000);

afterAll(async () => {
  await sf?.close();
});

describe('sObject Collections update refuses per record, as a real org does', () => {
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm
  // (per-record {id, success, errors:[{statusCode, message, fields}]}); status codes:
  // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm
  it.each([
    {
      refusal: 'an update to a converted lead (convertLead: a converted lead is read-only)',
      // https://developer.salesforce.com/docs/atlas.en-us.api.meta/object_ref/sforce_api_calls_convertlead.htm
      record: { attributes: { type: 'Lead' }, id: CONVERTED_LEAD, OwnerId: REP },
      error: {
        statusCode: 'CANNOT_UPDATE_CONVERTED_LEAD',
        message: 'cannot reference converted lead',
        fields: [],
      },
    },
    {
      refusal: 'text longer than the field (Routing_Reason__c is Text(255) in the package)',
      // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/field_types.htm (string: "length");
      // since API 15.0 a value too large fails with STRING_TOO_LONG instead of being truncated:
      // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_header_allowfieldtruncation.htm
      // (the wording "<Field Label>: data value too large: <value> (max length=N)" is what orgs answer)
      record: { attributes: { type: 'Lead' }, id: OPEN_LEAD, Routing_Reason__c: 'x'.repeat(256) },
      error: {
        statusCode: 'STRING_TOO_LONG',
        message: `Routing Reason: data value too large: ${'x'.repeat(256)} (max length=255)`,
        fields: ['Routing_Reason__c'],
      },
    },
    {
      refusal: 'an id whose 3-character suffix is not the checksum of its first 15',
      // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/field_types.htm#i1435616 (ID: 18-character checksum);
      // an update with a bad id: "MALFORMED_ID: Object name id: id value of incorrect type"
      // https://help.salesforce.com/s/articleView?id=000387915&type=1
      record: { attributes: { type: 'Lead' }, id: WRONG_SUFFIX, OwnerId: REP },
      error: {
        statusCode: 'MALFORMED_ID',
        message: `Lead ID: id value of incorrect type: ${WRONG_SUFFIX}`,
        fields: ['Id'],
      },
    },
  ])('refuses $refusal and still writes the valid record beside it', async ({ record, error }) => {
    const res = await call('PATCH', '/services/data/v62.0/composite/sobjects', {
      allOrNone: false,
      records: [record, { attributes: { type: 'Lead' }, id: OPEN_LEAD, Status: 'Working - Contacted' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { success: false, errors: [error] },
      { id: OPEN_LEAD, success: true, errors: [] },
    ]);
  });

  it('accepts text of exactly the field length', async () => {
    const res = await call('PATCH', '/services/data/v62.0/composite/sobjects', {
      allOrNone: false,
      records: [{ attributes: { type: 'Lead' }, id: OPEN_LEAD, Routing_Reason__c: 'y'.repeat(255) }],
    });
    expect(res.body).toEqual([{ id: OPEN_LEAD, success: true, errors: [] }]);
  });

  it('refuses a converted lead on the single-record PATCH with 400 and the error list', async () => {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
    const res = await call('PATCH', `/services/data/v62.0/sobjects/Lead/${CONVERTED_LEAD}`, { OwnerId: REP });
    expect(res).toEqual({
      status: 400,
      body: [
        { message: 'cannot reference converted lead', errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD', fields: [] },
      ],
    });
  });
});

describe('resources that do not exist answer 404 NOT_FOUND', () => {
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
  // ("404 The requested resource doesn't exist"); retired versions 21.0-30.0:
  // https://help.salesforce.com/s/articleView?id=000389618&type=1
  it.each([
    ['an API version newer than any release', 'GET', '/services/data/v99.0/query?q=SELECT+Id+FROM+Lead'],
    ['a retired API version', 'GET', '/services/data/v30.0/query?q=SELECT+Id+FROM+Lead'],
    ['a version that is not a release number', 'GET', '/services/data/v62.5/limits'],
    ['an unknown sObject', 'GET', `/services/data/v62.0/sobjects/Widget__c/${OPEN_LEAD}`],
    [
      'an unknown sObject in Collections',
      'GET',
      `/services/data/v62.0/composite/sobjects/Widget__c?ids=${OPEN_LEAD}&fields=Id`,
    ],
  ])('%s', async (_, method, path) => {
    expect(await call(method, path)).toEqual({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
    });
  });

  it('still serves the oldest and newest supported versions', async () => {
    expect((await call('GET', '/services/data/v31.0/limits')).status).toBe(200);
    expect((await call('GET', '/services/data/v68.0/limits')).status).toBe(200);
  });
});

describe('GROUP BY results cannot be paged with queryMore', () => {
  // https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_group_by_considerations.htm
  // "if a query includes a GROUP BY clause, you can't use queryMore() ... If your query results exceed
  // 2,000 rows, you must change the filtering conditions to query data in smaller chunks."
  it('refuses the next page of a grouped answer over 2,000 rows', async () => {
    const first = await call(
      'GET',
      '/services/data/v62.0/query?q=SELECT+Company,+COUNT(Id)+n+FROM+Lead+GROUP+BY+Company',
    );
    const page = first.body as { done: boolean; records: unknown[]; nextRecordsUrl?: string };
    expect(page.records).toHaveLength(2000);
    expect(page.done).toBe(false);
    expect(await call('GET', page.nextRecordsUrl!)).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'MALFORMED_QUERY',
          message:
            'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch',
        },
      ],
    });
  });

  it('answers a narrowed aggregate in one batch', async () => {
    const res = await call(
      'GET',
      "/services/data/v62.0/query?q=SELECT+Company,+COUNT(Id)+n+FROM+Lead+WHERE+Company+LIKE+'Company+1%25'+GROUP+BY+Company",
    );
    expect(res.body).toMatchObject({ done: true, totalSize: 1111 });
  });
});

describe('JWT bearer assertions are checked like a real org checks them', () => {
  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
  // (RS256 signed with the certificate's key; aud the login server; exp within 3 minutes)
  const assertion = (claims: Record<string, unknown>, key = sf.credentials.jwtPrivateKey) => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signed = `${encode({ alg: 'RS256' })}.${encode({
      iss: sf.credentials.clientId,
      sub: sf.credentials.username,
      aud: sf.loginUrl,
      exp: Math.floor(Date.now() / 1000) + 120,
      ...claims,
    })}`;
    return `${signed}.${createSign('RSA-SHA256').update(signed).sign(key, 'base64url')}`;
  };
  const login = async (jwt: string) => {
    const res = await fetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: jwt,
      }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('issues a token for a well-signed assertion', async () => {
    expect(await login(assertion({}))).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
  });

  it.each([
    ['a signature by another key', () => assertion({}, otherKey()), 'invalid assertion'],
    ['a tampered claim', () => tamper(assertion({}), { sub: 'someone@else.example' }), 'invalid assertion'],
    ['the wrong audience', () => assertion({ aud: 'https://login.salesforce.com' }), 'audience is invalid'],
    [
      'exp more than 3 minutes out',
      () => assertion({ exp: Math.floor(Date.now() / 1000) + 600 }),
      'invalid assertion',
    ],
    [
      'exp in the past',
      () => assertion({ exp: Math.floor(Date.now() / 1000) - 10 }),
      'expired authorization code',
    ],
  ])('refuses %s with invalid_grant', async (_, make, description) => {
    expect(await login(make())).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: description },
    });
  });
});

let other: string | undefined;
function otherKey(): string {
  if (!other) {
    other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
  }
  return other;
}

/** The same signature over changed claims. */
function tamper(jwt: string, claims: Record<string, unknown>): string {
  const [header, body, signature] = jwt.split('.');
  const changed = { ...JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')), ...claims };
  return `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
}
