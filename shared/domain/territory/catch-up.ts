import type { CatchUp } from './model.js';

/**
 * Catch-up for share-based rotations (weighted groups; even reps when the territory asks for
 * catch-up). A share's deficit is `share × (leads + 1) − given − offset`: how far it is behind.
 * While a rep or group is away, others take its leads and its deficit grows; what happens on return:
 *
 * - `none`: deficits are kept within SLACK leads each way at every decision (the excess goes into
 *   the stored `offset`), so nothing builds up while away: the returning one gets at most SLACK
 *   leads beyond its share, then its plain share.
 * - `full`: nothing is forgiven; the returning one takes every lead until it is even.
 * - `partial: K`: forgiven as with `none`, but what a share was forgiven for being behind is also
 *   `owed`; a share with leads owed goes first for up to K leads a day (its local day), the
 *   `extras`, then takes its plain share. Extras are outside the share maths (neither in its
 *   `given` nor in `leads`), so they move no deficit and nothing is forgiven twice: over the days
 *   the share gets exactly what it was forgiven. A share seen for the first time (a rep new to the
 *   territory, or the policy just switched on) owes nothing for the leads before it: its first
 *   forgiving only starts the count.
 *
 * Pure: the counts come from the distribution state.
 */
export interface CatchUpInput {
  readonly id: string;
  /** This share of the territory's leads (0–1). */
  readonly share: number;
  /** Every lead it got, extras included. */
  readonly given: number;
  /** Stored offset: leads forgiven (positive) or surplus forgiven (negative). */
  readonly offset: number;
  /** Leads it got as catch-up extras, ever (partial). */
  readonly extras?: number;
  /** Leads forgiven while behind and not yet made up (partial); undefined: not counted yet. */
  readonly owed?: number | undefined;
  /** Extras it got in its current local day (partial). */
  readonly extrasToday?: number;
}

export interface CatchUpResult {
  readonly id: string;
  /** The deficit to rank by (after this decision's adjustment). */
  readonly deficit: number;
  /** Amount to add to the stored offset with the decision. */
  readonly addOffset: number;
  /**
   * Amount to add to the stored owed count with the decision (partial: what is forgiven while
   * behind); 0 starts the count of a share seen for the first time; undefined: nothing to store.
   */
  readonly addOwed: number | undefined;
  /** Leads owed after this decision's forgiving. */
  readonly owed: number;
  /** Partial: takes the next lead before the ranking (owed, and fewer than K extras today). */
  readonly catchingUp: boolean;
}

/**
 * How far a share may drift from exact before anything is forgiven: in steady state the
 * furthest-behind rule keeps every deficit within this (checked for 2–6 groups of any weights).
 */
export const SLACK = 2;

/** Extras a share may get a day under this policy (0: no catch-up lane). */
export function extrasPerDay(mode: CatchUp): number {
  return typeof mode === 'object' ? mode.partial : 0;
}

/** `none`, `full`, `partial (3 a day)`. */
export function describeCatchUp(mode: CatchUp): string {
  return typeof mode === 'object' ? `partial (${mode.partial} a day)` : mode;
}

export function catchUpDeficits(mode: CatchUp, inputs: readonly CatchUpInput[]): CatchUpResult[] {
  const perDay = extrasPerDay(mode);
  // Extras are not part of anyone's share: the leads shared out are the others.
  const leads = inputs.reduce((sum, x) => sum + x.given - (x.extras ?? 0), 0);
  return inputs.map((x) => {
    const raw = x.share * (leads + 1) - (x.given - (x.extras ?? 0)) - x.offset;
    const addOffset =
      mode === 'full'
        ? 0
        : raw > SLACK
          ? Math.ceil(raw - SLACK)
          : raw < -SLACK
            ? -Math.ceil(-SLACK - raw)
            : 0;
    const addOwed =
      perDay === 0 ? undefined : x.owed === undefined ? 0 : addOffset > 0 ? addOffset : undefined;
    const owed = x.owed === undefined ? 0 : x.owed + (addOwed ?? 0);
    return {
      id: x.id,
      deficit: raw - addOffset,
      addOffset,
      addOwed,
      owed,
      catchingUp: owed > 0 && (x.extrasToday ?? 0) < perDay,
    };
  });
}
