import { DEFAULT_GUARDRAIL_CONFIG } from '../../../shared/domain/guardrails/index.js';
import {
  type Account,
  DEFAULT_WEIGHTS,
  type PlanOptions,
  type Rep,
} from '../../../shared/domain/planning/model.js';

export const PLAN_DATE = new Date('2026-03-01T12:00:00Z');

export function planOptions(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    mode: 'greenfield',
    weights: DEFAULT_WEIGHTS,
    now: PLAN_DATE,
    defaultMinAccounts: 0,
    defaultMaxAccounts: 1000,
    coverage: { industry: 0.8, region: 0.7, radiusKm: 100 },
    specializationKm: 25,
    guardrails: DEFAULT_GUARDRAIL_CONFIG,
    history: [],
    ...overrides,
  };
}

export function rep(id: string, overrides: Partial<Rep> = {}): Rep {
  return {
    id,
    name: `Rep ${id}`,
    postalCode: 'M5V 3L9',
    location: { latitude: 43.65, longitude: -79.38 },
    specializations: [],
    active: true,
    ...overrides,
  };
}

export function account(id: string, overrides: Partial<Account> = {}): Account {
  return {
    id,
    name: `Account ${id}`,
    revenuePotential: 100,
    workload: 10,
    growthPotential: 20,
    industry: '',
    postalCode: 'M5V 3L9',
    location: { latitude: 43.65, longitude: -79.38 },
    currentOwnerId: null,
    named: false,
    openDealAmount: 0,
    arr: 0,
    ...overrides,
  };
}

/** `count` identical accounts owned by `owner`, ids `${prefix}1..`. */
export function accounts(count: number, prefix: string, overrides: Partial<Account> = {}): Account[] {
  return Array.from({ length: count }, (_, i) => account(`${prefix}${i + 1}`, overrides));
}
