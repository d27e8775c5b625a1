import type { CatchUp } from './model.js';

/**
 * Catch-up for share-based rotations (weighted groups; even reps when the territory asks for full
 * catch-up). A share's deficit is `share × (leads + 1) − given − offset`: how far it is behind.
 * While a rep or group is away, others take its leads and its deficit grows; what happens on return:
 *
 * - `none`: deficits are kept within SLACK leads each way at every decision (the excess goes into
 *   the stored `offset`), so nothing builds up while away: the returning one gets at most SLACK
 *   leads beyond its share, then its plain share.
 * - `full`: nothing is forgiven; the returning one takes every lead until it is even.
 *
 * Pure: the counts come from the distribution state.
 */
export interface CatchUpInput {
  readonly id: string;
  /** This share of the territory's leads (0–1). */
  readonly share: number;
  readonly given: number;
  /** Stored offset: leads forgiven (positive) or surplus forgiven (negative). */
  readonly offset: number;
}

export interface CatchUpResult {
  readonly id: string;
  /** The deficit to rank by (after this decision's adjustment). */
  readonly deficit: number;
  /** Amount to add to the stored offset with the decision. */
  readonly addOffset: number;
}

/**
 * How far a share may drift from exact before anything is forgiven: in steady state the
 * furthest-behind rule keeps every deficit within this (checked for 2–6 groups of any weights).
 */
export const SLACK = 2;

/** `leads` = leads distributed so far among these shares. */
export function catchUpDeficits(
  mode: CatchUp,
  leads: number,
  inputs: readonly CatchUpInput[],
): CatchUpResult[] {
  return inputs.map((x) => {
    const raw = x.share * (leads + 1) - x.given - x.offset;
    if (mode === 'full') return { id: x.id, deficit: raw, addOffset: 0 };
    const addOffset = raw > SLACK ? Math.ceil(raw - SLACK) : raw < -SLACK ? -Math.ceil(-SLACK - raw) : 0;
    return { id: x.id, deficit: raw - addOffset, addOffset };
  });
}
