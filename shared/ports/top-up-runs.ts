import type { TopUpRunSummary } from '../domain/topup/run.js';

export interface TopUpRunStore {
  save(summary: TopUpRunSummary): Promise<void>;
  /** Most recent first. */
  latest(limit: number): Promise<TopUpRunSummary[]>;
}
