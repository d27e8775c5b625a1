/** A single-writer lease: one holder at a time; a holder that dies loses it when it expires. */
export type LeaseOutcome =
  | { acquired: true; until: string }
  | { acquired: false; holder: string; until: string };

export interface RunLease {
  /** Take the lease unless someone else holds an unexpired one. */
  acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<LeaseOutcome>;
  /** Extend our own lease; false when it expired and someone else took it. */
  renew(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Give it up (only if still ours). */
  release(name: string, holder: string): Promise<void>;
}
