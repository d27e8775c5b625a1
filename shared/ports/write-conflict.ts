/**
 * Another writer's transaction touched the same items at the same moment: nothing was written,
 * and trying again is safe (the store's conditions still hold the caps and the dedup).
 */
export class ConcurrentWriteError extends Error {
  override name = 'ConcurrentWriteError';
}

const RETRY_BASE_MS = 10;
const RETRY_CAP_MS = 500;

/**
 * How long to wait before retrying a lost optimistic race: full jitter (a random wait up to an
 * exponentially growing cap) so writers racing on one item spread out and converge.
 */
export function raceRetryDelayMs(attempt: number): number {
  return Math.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt);
}

/** Retries of a lost race before giving up (about 15 s of waiting at most, inside the 30 s an invocation has). */
export const MAX_RACE_RETRIES = 60;
