import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAssignmentLedger } from '../../shared/adapters/dynamodb/assignment-ledger.js';
import {
  type OutboundEndpointDeps,
  outboundMessageEndpoint,
  outboundRefusal,
} from '../../shared/adapters/http/outbound-message-endpoint.js';
import { toId18 } from '../../shared/domain/salesforce-id.js';
import { EMULATOR_ORG_ID } from '../../shared/local-stack/demo-org-ids.js';
import { freePort } from '../../shared/local-stack/free-port.js';
import { type HttpHandler, startLocalGateway } from '../../shared/local-stack/http-gateway.js';
import type { TestTable } from './dynamodb.js';
import { rotationRouter } from './fake-router.js';

export const INTAKE_SECRET = 'test-outbound-secret-0123456789';
export const INTAKE_QUEUE = toId18('00GTR0000000001');
export const REVIEW_QUEUE = toId18('00GTR0000000002');
export const testReps = (n: number) =>
  Array.from({ length: n }, (_, i) => toId18(`005TR00000000${String(i + 1).padStart(2, '0')}`));

export interface IntakeServer {
  /** The outbound-message URL with the secret, as configured in Salesforce. */
  url: string;
  baseUrl: string;
  post(xml: string, init?: { url?: string; method?: string }): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/**
 * The intake endpoint over real HTTP (the local API gateway) on DynamoDB Local, with a rotation
 * router over `reps`; leads whose postal code starts with M match its one territory.
 */
export async function serveIntake(
  t: TestTable,
  tableName: string,
  options: Partial<OutboundEndpointDeps> & { reps?: string[]; maxNew?: number } = {},
): Promise<IntakeServer> {
  const maxNew = options.maxNew ?? 40;
  const reps = options.reps ?? testReps(4);
  const endpoint = outboundMessageEndpoint({
    ledger: new DynamoAssignmentLedger(t.doc, tableName),
    routing: async () => rotationRouter({ reps, defaultOwnerId: REVIEW_QUEUE, maxNew, postalPrefix: 'M' }),
    replaceableOwnerIds: [INTAKE_QUEUE],
    now: () => new Date(),
    newId: () => randomUUID(),
    acceptedOrgIds: [toId18(EMULATOR_ORG_ID)],
    ...options,
  });
  const handler: HttpHandler = (event) => endpoint(event, INTAKE_SECRET);
  const gateway = await startLocalGateway({
    port: await freePort(),
    routes: [{ method: 'POST', path: '/salesforce/outbound/{secret}', handler, refusal: outboundRefusal }],
  });
  const url = `${gateway.url}/salesforce/outbound/${INTAKE_SECRET}`;
  return {
    url,
    baseUrl: gateway.url,
    post: async (xml, init = {}) => {
      const res = await fetch(init.url ?? url, {
        method: init.method ?? 'POST',
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          'user-agent': 'Jakarta Commons-HttpClient/3.1',
        },
        ...(init.method === 'GET' ? {} : { body: xml }),
      });
      return { status: res.status, body: await res.text() };
    },
    close: () => gateway.close(),
  };
}

/** Every item of the table whose PK starts with `prefix`. */
export async function itemsWithPrefix(
  t: TestTable,
  tableName: string,
  prefix: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await t.doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(PK, :p)',
        ExpressionAttributeValues: { ':p': prefix },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}
