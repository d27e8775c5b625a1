import type { TerritoryTotals } from './metrics.js';
import type { Account, Rep } from './model.js';
import { industryKey } from './problem.js';
import type { RepChange } from './transition.js';

const TOP_ACCOUNTS = 10;

export interface TerritoryCard extends TerritoryTotals {
  repName: string;
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
