import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string equality. Hashing first gives equal-length buffers, so neither the
 * content nor the length of the expected secret leaks through timing.
 */
export function secretsMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
