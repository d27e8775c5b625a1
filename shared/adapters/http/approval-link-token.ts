import { createHmac, randomBytes } from 'node:crypto';
import { secretsMatch } from './secret-compare.js';

/**
 * What an approval link's token says: which approval, which approver, until when, and a nonce
 * that makes it single-use. HMAC-SHA256 signed; the task token is never in it (it stays in
 * DynamoDB under the opaque approval id).
 */
export interface ApprovalLinkClaims {
  approvalId: string;
  approverId: string;
  nonce: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export type TokenCheck =
  | { ok: true; claims: ApprovalLinkClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-approval' };

const MAX_TOKEN_LENGTH = 1024;

export function signApprovalToken(claims: ApprovalLinkClaims, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify({ a: claims.approvalId, u: claims.approverId, n: claims.nonce, e: claims.expiresAt }),
  ).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** Signature first (timing-safe), then expiry, then that the token is for this approval. */
export function verifyApprovalToken(
  token: string,
  secret: string,
  expected: { approvalId: string; now: Date },
): TokenCheck {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return { ok: false, reason: 'malformed' };
  if (!secretsMatch(signature, mac(payload, secret))) return { ok: false, reason: 'bad-signature' };
  let raw: { a?: unknown; u?: unknown; n?: unknown; e?: unknown };
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (
    typeof raw.a !== 'string' ||
    typeof raw.u !== 'string' ||
    typeof raw.n !== 'string' ||
    typeof raw.e !== 'number'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (raw.e * 1000 <= expected.now.getTime()) return { ok: false, reason: 'expired' };
  if (raw.a !== expected.approvalId) return { ok: false, reason: 'wrong-approval' };
  return { ok: true, claims: { approvalId: raw.a, approverId: raw.u, nonce: raw.n, expiresAt: raw.e } };
}

/** A link for one approver: `GET {base}/approvals/{id}?t={token}` opens the confirmation page. */
export function approvalLink(
  baseUrl: string,
  approvalId: string,
  approverId: string,
  options: { secret: string; ttlMs: number; now: Date },
): string {
  const token = signApprovalToken(
    {
      approvalId,
      approverId,
      nonce: randomBytes(12).toString('base64url'),
      expiresAt: Math.floor((options.now.getTime() + options.ttlMs) / 1000),
    },
    options.secret,
  );
  return `${baseUrl.replace(/\/+$/, '')}/approvals/${encodeURIComponent(approvalId)}?t=${token}`;
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
