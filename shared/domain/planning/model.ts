import type { GuardrailConfig, PastMove } from '../guardrails/index.js';

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface Account {
  id: string;
  name: string;
  revenuePotential: number;
  workload: number;
  growthPotential: number;
  /** Empty when unknown; then it counts toward no industry's coverage. */
  industry: string;
  postalCode: string;
  location: GeoPoint;
  /** Null when the account has no owner. */
  currentOwnerId: string | null;
  /** Named accounts stay with their current owner. */
  named: boolean;
  /** Total of the account's open opportunities; they stay with the current owner until close. */
  openDealAmount: number;
  arr: number;
}

export interface Rep {
  id: string;
  name: string;
  postalCode: string;
  /** Where the rep's territory is worked from; travel is measured to it. */
  location: GeoPoint;
  specializations: readonly string[];
  /** Per-rep limits; absent means the plan's defaults. */
  minAccounts?: number;
  maxAccounts?: number;
  active: boolean;
}

export const DIMENSIONS = ['revenuePotential', 'accountCount', 'workload', 'growthPotential'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Relative weights of the composite; normalised to sum to 1. */
export type Weights = Record<Dimension, number>;

export const DEFAULT_WEIGHTS: Weights = {
  revenuePotential: 35,
  accountCount: 20,
  workload: 25,
  growthPotential: 20,
};

export type PlanMode = 'greenfield' | 'replan';

export interface ProgressEvent {
  phase: 'prepare' | 'seed' | 'search' | 'report';
  /** Steps done and total in this phase (search: passes). */
  done: number;
  total: number;
}

export interface CoverageThresholds {
  /** An industry is a gap below this share of its accounts owned by a specialist. */
  industry: number;
  /** A region is a gap below this share of its accounts within `radiusKm` of their rep. */
  region: number;
  radiusKm: number;
}

export interface PlanOptions {
  mode: PlanMode;
  weights: Weights;
  /** The plan's "today": dates in the timeline and guardrails count from it. */
  now: Date;
  defaultMinAccounts: number;
  defaultMaxAccounts: number;
  /** Replan: at most this many accounts change between active reps. */
  maxMoves?: number;
  /** Replan: at most this share of each rep's current book moves away. */
  maxBookChange?: number;
  /** Go-live date (ISO); defaults to the approval week plus the 60-day notice. */
  effectiveDate?: string;
  coverage: CoverageThresholds;
  /** Travel-equivalent penalty, in km, for an account owned by a rep not specialised in its industry. */
  specializationKm: number;
  guardrails: GuardrailConfig;
  /** Owner changes already applied in the rolling year (from the audit ledger), if known. */
  history: readonly PastMove[];
  onProgress?: (event: ProgressEvent) => void;
}

export interface PlanningInput {
  accounts: readonly Account[];
  reps: readonly Rep[];
}
