import type { TerritoryTotals } from './metrics.js';
import type { Account, Rep } from './model.js';
import { industryKey } from './problem.js';
import type { RepChange } from './transition.js';

const TOP_ACCOUNTS = 10;

export interface TerritoryCard extends TerritoryTotals {
  repName: string;
  /** The name people read: the rep's name, with a piece of the id when another rep has the same name. */
  repLabel: string;
  homePostalCode: string;
  specializations: readonly string[];
  namedAccounts: number;
  gained: number;
  lost: number;
  topAccounts: { accountId: string; name: string; revenuePotential: number; industry: string }[];
  industryMix: { industry: string; accounts: number; share: number }[];
  /** Share of the territory's accounts (with an industry) in the rep's specialisations; null without either. */
  specializationAlignment: number | null;
}

export function territoryCards(
  accounts: readonly Account[],
  reps: readonly Rep[],
  ownerOf: ArrayLike<number>,
  totals: readonly TerritoryTotals[],
  changes: readonly RepChange[],
): TerritoryCard[] {
  const books = reps.map((): Account[] => []);
  accounts.forEach((account, i) => {
    books[ownerOf[i] ?? -1]?.push(account);
  });
  const changeOf = new Map(changes.map((c) => [c.repId, c]));
  const labels = repLabels(reps);

  return reps.map((rep, r) => {
    const book = books[r] ?? [];
    const mix = new Map<string, { industry: string; accounts: number }>();
    for (const account of book) {
      const key = industryKey(account.industry);
      if (!key) continue;
      const entry = mix.get(key) ?? { industry: account.industry.trim(), accounts: 0 };
      entry.accounts++;
      mix.set(key, entry);
    }
    const withIndustry = [...mix.values()].reduce((sum, e) => sum + e.accounts, 0);
    const specialised = new Set(rep.specializations.map(industryKey));
    const aligned = [...mix.entries()]
      .filter(([key]) => specialised.has(key))
      .reduce((sum, [, e]) => sum + e.accounts, 0);
    const change = changeOf.get(rep.id);
    return {
      ...(totals[r] as TerritoryTotals),
      repName: rep.name,
      repLabel: labels.get(rep.id) ?? rep.id,
      homePostalCode: rep.postalCode,
      specializations: rep.specializations,
      namedAccounts: book.filter((a) => a.named).length,
      gained: change?.gained ?? 0,
      lost: change?.lost ?? 0,
      topAccounts: [...book]
        .sort((a, b) => b.revenuePotential - a.revenuePotential || a.id.localeCompare(b.id))
        .slice(0, TOP_ACCOUNTS)
        .map((a) => ({
          accountId: a.id,
          name: a.name,
          revenuePotential: a.revenuePotential,
          industry: a.industry,
        })),
      industryMix: [...mix.values()]
        .sort((a, b) => b.accounts - a.accounts || a.industry.localeCompare(b.industry))
        .map((e) => ({ ...e, share: withIndustry === 0 ? 0 : e.accounts / withIndustry })),
      specializationAlignment: specialised.size === 0 || withIndustry === 0 ? null : aligned / withIndustry,
    };
  });
}

/**
 * A label per rep that tells reps apart: the name when it is unique, else the name and the id's
 * prefix and shortest distinguishing tail (`Alex Chen (005…A1B2)`); the id when there is no name.
 */
export function repLabels(reps: readonly Pick<Rep, 'id' | 'name'>[]): Map<string, string> {
  const byName = new Map<string, Pick<Rep, 'id' | 'name'>[]>();
  for (const rep of reps) {
    const key = rep.name.trim().toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), rep]);
  }
  const labels = new Map<string, string>();
  for (const [key, group] of byName) {
    if (key === '') {
      for (const rep of group) labels.set(rep.id, rep.id);
      continue;
    }
    if (group.length === 1) {
      labels.set(group[0]!.id, group[0]!.name.trim());
      continue;
    }
    let tail = 4;
    while (tail < 18 && new Set(group.map((r) => r.id.slice(-tail))).size < group.length) tail++;
    for (const rep of group) {
      const id = rep.id.length > tail + 3 ? `${rep.id.slice(0, 3)}…${rep.id.slice(-tail)}` : rep.id;
      labels.set(rep.id, `${rep.name.trim()} (${id})`);
    }
  }
  return labels;
}
