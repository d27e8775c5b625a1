import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { eventBody, httpResponse, streamBody } from '../../../shared/adapters/http/body.js';
import { httpEvent } from '../../support/http-events.js';

const event = (body: string, isBase64Encoded = false) => ({
  ...httpEvent({ method: 'POST', path: '/x', routeKey: 'POST /x', body }),
  isBase64Encoded,
});

describe('eventBody', () => {
  it('decodes a base64 body once and returns its text', () => {
    const read = eventBody(event(Buffer.from('Café <x/>', 'utf8').toString('base64'), true), 100);
    expect(read).toEqual({ ok: true, text: 'Café <x/>' });
  });

  it('counts the limit in bytes, not characters', () => {
    const text = 'é'.repeat(60);
    expect(eventBody(event(text), 119)).toEqual({ ok: false, tooLarge: true, bytes: 120 });
    expect(eventBody(event(text), 120)).toEqual({ ok: true, text });
  });

  it('counts a base64 body by its decoded bytes', () => {
    const encoded = Buffer.alloc(90, 1).toString('base64');
    expect(eventBody(event(encoded, true), 90).ok).toBe(true);
    expect(eventBody(event(encoded, true), 89).ok).toBe(false);
  });
});

describe('streamBody', () => {
  it('reads a stream up to the limit and refuses one byte more', async () => {
    const chunks = () => Readable.from([Buffer.from('ab'), Buffer.from('cd')]);
    const within = await streamBody(chunks(), 4);
    expect(within.ok && within.bytes.toString()).toBe('abcd');
    expect(await streamBody(chunks(), 3)).toEqual({ ok: false, tooLarge: true, bytes: 4 });
  });
});

describe('httpResponse', () => {
  it('answers text with its charset and the extra headers', () => {
    expect(httpResponse(413, 'text/xml', '<x/>', { 'cache-control': 'no-store' })).toEqual({
      statusCode: 413,
      headers: { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store' },
      body: '<x/>',
    });
  });
});
