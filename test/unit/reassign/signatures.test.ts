import { describe, expect, it } from 'vitest';
import {
  approvalLink,
  signApprovalToken,
  verifyApprovalToken,
} from '../../../shared/adapters/http/approval-link-token.js';
import { slackSignature, verifySlackSignature } from '../../../shared/adapters/slack/signature.js';

const SECRET = 'secret-secret-secret';
const NOW = new Date('2026-11-20T12:00:00Z');
const claims = {
  approvalId: 'ap1',
  approverId: 'vp-sales',
  nonce: 'n1',
  expiresAt: NOW.getTime() / 1000 + 60,
};

describe('approval link tokens', () => {
  it('verify what was signed', () => {
    expect(
      verifyApprovalToken(signApprovalToken(claims, SECRET), SECRET, { approvalId: 'ap1', now: NOW }),
    ).toEqual({
      ok: true,
      claims,
    });
  });

  it.each([
    ['another key', signApprovalToken(claims, 'other-secret'), 'bad-signature'],
    [
      'a changed payload',
      `${Buffer.from('{"a":"ap1","u":"x","n":"n","e":9999999999}').toString('base64url')}.${signApprovalToken(claims, SECRET).split('.')[1]}`,
      'bad-signature',
    ],
    ['garbage', 'not-a-token', 'malformed'],
    ['too many parts', 'a.b.c', 'malformed'],
    [
      'an expired token',
      signApprovalToken({ ...claims, expiresAt: NOW.getTime() / 1000 }, SECRET),
      'expired',
    ],
    ['another approval', signApprovalToken({ ...claims, approvalId: 'ap2' }, SECRET), 'wrong-approval'],
  ])('refuse %s', (_name, token, reason) => {
    expect(verifyApprovalToken(token, SECRET, { approvalId: 'ap1', now: NOW })).toEqual({
      ok: false,
      reason,
    });
  });

  it('put only the opaque approval id and the token in the link', () => {
    const link = new URL(
      approvalLink('https://api.example.com/', 'ap1', 'vp-sales', {
        secret: SECRET,
        ttlMs: 60_000,
        now: NOW,
      }),
    );
    expect(link.pathname).toBe('/approvals/ap1');
    expect([...link.searchParams.keys()]).toEqual(['t']);
  });

  it('make every link single-use by a fresh nonce', () => {
    const a = approvalLink('https://x', 'ap1', 'u', { secret: SECRET, ttlMs: 1000, now: NOW });
    const b = approvalLink('https://x', 'ap1', 'u', { secret: SECRET, ttlMs: 1000, now: NOW });
    expect(a).not.toBe(b);
  });
});

describe('Slack request signatures', () => {
  // Slack's documented example request.
  const body =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const signingSecret = '8f742231b10e8888abcd99yyyzzz85a5';
  const at = new Date(1531420618 * 1000);

  it('match Slack’s documented example', () => {
    expect(slackSignature(signingSecret, '1531420618', body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
    expect(
      verifySlackSignature({
        signingSecret,
        timestamp: '1531420618',
        signature: slackSignature(signingSecret, '1531420618', body),
        rawBody: body,
        now: at,
      }),
    ).toEqual({ ok: true });
  });

  it.each([
    ['a changed body', { rawBody: `${body}&x=1` }, 'bad-signature'],
    ['a timestamp over 5 minutes old', { now: new Date(at.getTime() + 301_000) }, 'stale'],
    ['a timestamp over 5 minutes ahead', { now: new Date(at.getTime() - 301_000) }, 'stale'],
    ['no signature', { signature: undefined }, 'missing'],
    ['a non-numeric timestamp', { timestamp: 'soon' }, 'missing'],
  ])('refuse %s', (_name, change, reason) => {
    const input = {
      signingSecret,
      timestamp: '1531420618' as string | undefined,
      signature: slackSignature(signingSecret, '1531420618', body) as string | undefined,
      rawBody: body,
      now: at,
      ...change,
    };
    expect(verifySlackSignature(input)).toEqual({ ok: false, reason });
  });
});
