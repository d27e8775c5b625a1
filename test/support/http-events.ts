import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** An HTTP API (payload v2) event as API Gateway or the local gateway builds it. */
export function httpEvent(input: {
  method: 'GET' | 'POST';
  path: string;
  routeKey?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  pathParameters?: Record<string, string>;
  iamUserArn?: string;
}): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(
    Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    version: '2.0',
    routeKey: input.routeKey ?? `${input.method} ${input.path}`,
    rawPath: input.path,
    rawQueryString: new URLSearchParams(input.query ?? {}).toString(),
    headers,
    ...(input.query ? { queryStringParameters: input.query } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: {
        method: input.method,
        path: input.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: 'r',
      routeKey: input.routeKey ?? `${input.method} ${input.path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(input.iamUserArn ? { authorizer: { iam: { userArn: input.iamUserArn } } } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(input.body !== undefined ? { body: input.body } : {}),
    isBase64Encoded: false,
  };
}
