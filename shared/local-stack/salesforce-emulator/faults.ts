import * as z from 'zod';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';

/**
 * Switchable faults, the failures Salesforce really produces and this project must survive.
 * Counted faults ("the next N calls") apply to REST API calls, not to the OAuth token endpoint,
 * so a test can tell a refreshed session from a failed one.
 */
export const faultSettingsSchema = z
  .object({
    /** Writes to these records fail with UNABLE_TO_LOCK_ROW; with `times`, only that many attempts per record. */
    lockedRows: z
      .object({
        ids: z.array(z.string().refine(isSalesforceId, { message: 'must be Salesforce ids' })),
        times: z.number().int().positive().optional(),
      })
      .optional(),
    /** 403 REQUEST_LIMIT_EXCEEDED for the next N calls, or for every call with `true`. */
    requestLimitExceeded: z.union([z.number().int().nonnegative(), z.literal(true)]).optional(),
    /** 401 INVALID_SESSION_ID for the next N calls; tokens stay valid, so a refresh-and-retry succeeds. */
    invalidSession: z.number().int().nonnegative().optional(),
    /** 503 SERVER_UNAVAILABLE for the next N calls. */
    unavailable: z.number().int().nonnegative().optional(),
    /**
     * The next N Bulk API 2.0 ingest jobs fail as a whole (state Failed, nothing written) with this
     * errorMessage, as Salesforce fails a job it cannot process (e.g. a column deleted after describe).
     */
    bulkJobFailure: z
      .object({ message: z.string().min(1), times: z.number().int().positive().default(1) })
      .optional(),
    /** Added before every answer (token endpoint included). */
    latencyMs: z.number().int().nonnegative().optional(),
    /** One-off: expire every access token issued so far, so clients must re-authenticate. */
    expireSessions: z.literal(true).optional(),
  })
  .strict();

export type FaultSettings = z.input<typeof faultSettingsSchema>;

export type CountedFault = 'requestLimitExceeded' | 'invalidSession' | 'unavailable';

export interface FaultState {
  lockedRows: Record<string, number | 'always'>;
  bulkJobFailure?: { message: string; times: number };
  requestLimitExceeded: number | 'always';
  invalidSession: number;
  unavailable: number;
  latencyMs: number;
}

export class FaultSwitches {
  private readonly locked = new Map<string, number>();
  /** Calls still to fail, per counted fault; Infinity means every call. */
  private readonly pending: Record<CountedFault, number> = {
    requestLimitExceeded: 0,
    invalidSession: 0,
    unavailable: 0,
  };
  private latency = 0;
  private jobFailure: { message: string; times: number } | undefined;

  constructor(private readonly expireSessions: () => void) {}

  /** Turn faults on; settings not mentioned stay as they are. */
  set(settings: FaultSettings): void {
    const parsed = faultSettingsSchema.parse(settings);
    if (parsed.lockedRows) {
      for (const id of parsed.lockedRows.ids) {
        this.locked.set(toId18(id), parsed.lockedRows.times ?? Number.POSITIVE_INFINITY);
      }
    }
    if (parsed.requestLimitExceeded !== undefined) {
      this.pending.requestLimitExceeded =
        parsed.requestLimitExceeded === true ? Number.POSITIVE_INFINITY : parsed.requestLimitExceeded;
    }
    if (parsed.invalidSession !== undefined) this.pending.invalidSession = parsed.invalidSession;
    if (parsed.unavailable !== undefined) this.pending.unavailable = parsed.unavailable;
    if (parsed.latencyMs !== undefined) this.latency = parsed.latencyMs;
    if (parsed.bulkJobFailure) this.jobFailure = { ...parsed.bulkJobFailure };
    if (parsed.expireSessions) this.expireSessions();
  }

  clear(): void {
    this.locked.clear();
    this.pending.requestLimitExceeded = 0;
    this.pending.invalidSession = 0;
    this.pending.unavailable = 0;
    this.latency = 0;
    this.jobFailure = undefined;
  }

  current(): FaultState {
    const finite = (n: number) => (Number.isFinite(n) ? n : 'always');
    return {
      lockedRows: Object.fromEntries([...this.locked].map(([id, n]) => [id, finite(n)])),
      requestLimitExceeded: finite(this.pending.requestLimitExceeded),
      invalidSession: this.pending.invalidSession,
      unavailable: this.pending.unavailable,
      latencyMs: this.latency,
      ...(this.jobFailure ? { bulkJobFailure: { ...this.jobFailure } } : {}),
    };
  }

  get latencyMs(): number {
    return this.latency;
  }

  /** @internal True when this write attempt on the record should fail with UNABLE_TO_LOCK_ROW. */
  takeLock(id18: string): boolean {
    const remaining = this.locked.get(id18);
    if (remaining === undefined) return false;
    if (remaining <= 1) this.locked.delete(id18);
    else this.locked.set(id18, remaining - 1);
    return true;
  }

  /** @internal The errorMessage this ingest job fails with, if a job failure is pending (and counts it down). */
  takeJobFailure(): string | undefined {
    const failure = this.jobFailure;
    if (!failure) return undefined;
    if (failure.times <= 1) this.jobFailure = undefined;
    else failure.times -= 1;
    return failure.message;
  }

  /** @internal True when this call should fail with the given counted fault (and counts it down). */
  take(fault: CountedFault): boolean {
    if (this.pending[fault] <= 0) return false;
    this.pending[fault] -= 1;
    return true;
  }
}
