import { stringify } from 'csv-stringify/sync';
import type { Account, Rep } from '../../domain/planning/model.js';
import { ACCOUNT_COLUMNS, REP_COLUMNS } from './load.js';

/** accounts.csv in the planner's input format (the inverse of `parseAccounts`). */
export function renderAccountsCsv(accounts: readonly Account[]): string {
  return stringify(
    accounts.map((a) => ({
      id: a.id,
      name: a.name,
      revenuePotential: a.revenuePotential,
      workload: a.workload,
      growthPotential: a.growthPotential,
      industry: a.industry,
      postalCode: a.postalCode,
      latitude: a.location.latitude,
      longitude: a.location.longitude,
      currentOwnerId: a.currentOwnerId ?? '',
      named: a.named,
      openDealAmount: a.openDealAmount,
      arr: a.arr,
    })),
    { header: true, columns: [...ACCOUNT_COLUMNS], cast: { boolean: (v) => String(v) } },
  );
}

/** reps.csv in the planner's input format (the inverse of `parseReps`). */
export function renderRepsCsv(reps: readonly Rep[]): string {
  return stringify(
    reps.map((r) => ({
      id: r.id,
      name: r.name,
      postalCode: r.postalCode,
      latitude: r.location.latitude,
      longitude: r.location.longitude,
      specializations: r.specializations.join(';'),
      minAccounts: r.minAccounts ?? '',
      maxAccounts: r.maxAccounts ?? '',
      active: r.active,
    })),
    { header: true, columns: [...REP_COLUMNS], cast: { boolean: (v) => String(v) } },
  );
}
