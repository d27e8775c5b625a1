/**
 * Another writer's transaction touched the same items at the same moment: nothing was written,
 * and trying again is safe (the store's conditions still hold the caps and the dedup).
 */
export class ConcurrentWriteError extends Error {
  override name = 'ConcurrentWriteError';
}
