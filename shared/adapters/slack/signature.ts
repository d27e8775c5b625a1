import { createHmac } from 'node:crypto';
import { secretsMatch } from '../http/secret-compare.js';

/** Slack rejects nothing older itself; we refuse requests whose timestamp is more than 5 minutes off. */
export const SLACK_REPLAY_WINDOW_SECONDS = 5 * 60;

export type SlackSignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'bad-signature' };

/**
 * Slack's request signing: `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`),
 * compared in constant time, with the timestamp inside a 5-minute window against replays.
 */
export function verifySlackSignature(input: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  now: Date;
}): SlackSignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing' };
  const age = Math.abs(Math.floor(input.now.getTime() / 1000) - Number(timestamp));
  if (age > SLACK_REPLAY_WINDOW_SECONDS) return { ok: false, reason: 'stale' };
  const expected = slackSignature(input.signingSecret, timestamp, input.rawBody);
  return secretsMatch(signature, expected) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}
