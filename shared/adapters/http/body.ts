import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * The one way HTTP bodies are read and answers built, for the HTTP API handlers and the local
 * gateway alike: sizes are counted in bytes (never characters), base64 is decoded in one place.
 */
export type BodyRead = { ok: true; text: string } | { ok: false; tooLarge: true; bytes: number };

/** An HTTP API (payload v2) event's body as text, or too large when it holds more than `maxBytes`. */
export function eventBody(event: APIGatewayProxyEventV2, maxBytes: number): BodyRead {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) return { ok: false, tooLarge: true, bytes: bytes.length };
  return { ok: true, text: event.isBase64Encoded ? bytes.toString('utf8') : raw };
}

/**
 * A request stream's bytes, or too large as soon as it passes `maxBytes` (the rest is drained
 * unread so the client still gets the answer instead of a reset connection).
 */
export async function streamBody(
  stream: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<{ ok: true; bytes: Buffer } | { ok: false; tooLarge: true; bytes: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size <= maxBytes) chunks.push(Buffer.from(chunk));
  }
  return size > maxBytes
    ? { ok: false, tooLarge: true, bytes: size }
    : { ok: true, bytes: Buffer.concat(chunks) };
}

/** A text answer of `contentType` (charset UTF-8) with any extra headers. */
export function httpResponse(
  statusCode: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': `${contentType}; charset=utf-8`, ...headers }, body };
}
