import type { MatchResult } from '../../domain/accounts/model.js';
import { attributesModelReads } from '../../domain/audit/routed-lead.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { Lead } from '../../domain/territory/lead.js';
import type { DuplicateRule, TerritoryModel } from '../../domain/territory/model.js';
import type { AccountIndexStore } from '../../ports/account-index.js';
import type { LeadFields } from '../../ports/lead-router.js';
import { matchLeadToAccount } from './match-lead.js';

/** Attribute names a territory expression reads that only the account match can fill. */
export function readsMatchedAccount(attributes: readonly string[]): boolean {
  return attributes.some((a) => /^(Account|MatchedAccount)\./i.test(a));
}

/**
 * The lead's fields plus its matched account as routing attributes (`Account.OwnerId`,
 * `Account.Type`, …, `MatchedAccount.Confidence`); fields the lead already carries are kept.
 */
export function withMatchedAccount(fields: LeadFields, result: MatchResult): LeadFields {
  const account = result.match?.account;
  const matched: LeadFields = {
    'Account.Id': account?.id ?? null,
    'Account.Name': account?.name ?? null,
    'Account.OwnerId': account?.ownerId ?? null,
    'Account.Type': account?.type ?? null,
    'Account.Industry': account?.industry ?? null,
    'Account.Website': account?.website ?? null,
    'Account.BillingCountry': account?.country ?? null,
    'Account.BillingPostalCode': account?.postalCode ?? null,
    'MatchedAccount.Confidence': String(result.match?.confidence ?? 0),
    'MatchedAccount.Rule': result.match?.rule ?? null,
    'MatchedAccount.Reason': result.reason,
  };
  const present = new Set(Object.keys(fields).map((k) => k.toLowerCase()));
  const added = Object.entries(matched).filter(([k]) => !present.has(k.toLowerCase()));
  return { ...fields, ...Object.fromEntries(added) };
}

/**
 * The account the write-back sets the lookup to: the one matched, unless the write-back is off or
 * the lead already names an account in that field (a person or another tool chose it; that stands).
 */
export function matchedAccountToWrite(
  fields: LeadFields,
  lookupField: string | undefined,
): { matchedAccountId?: string } {
  if (!lookupField) return {};
  const wanted = lookupField.toLowerCase();
  const current = Object.entries(fields).find(([k]) => k.toLowerCase() === wanted)?.[1];
  const accountId = fields['Account.Id'];
  if (current || !accountId || !isSalesforceId(accountId) || !accountId.startsWith('001')) return {};
  return { matchedAccountId: toId18(accountId) };
}

/** Intake's account lookup: the stored index, a handful of key reads a lead. */
export function accountEnricher(index: Pick<AccountIndexStore, 'lookup'>) {
  return async (fields: LeadFields): Promise<LeadFields> =>
    withMatchedAccount(
      fields,
      await matchLeadToAccount(
        {
          ...(fields.Company ? { company: fields.Company } : {}),
          ...(fields.Email ? { email: fields.Email } : {}),
          ...(fields.Website ? { website: fields.Website } : {}),
          ...(fields.Country ? { country: fields.Country } : {}),
          ...(fields.PostalCode ? { postalCode: fields.PostalCode } : {}),
        },
        index,
      ),
    );
}

/**
 * `simulate`'s view of what intake adds before routing: leads the draft's rules would match to an
 * account (when it reads Account.* or MatchedAccount.*) or check for duplicates (when its duplicate
 * rule is on) get the same attributes from the same indexes; what a lead already carries is kept.
 */
export function leadsAsIntakeSeesThem(deps: {
  matchAccount: (fields: LeadFields) => Promise<LeadFields>;
  findExistingRecord: (fields: LeadFields, rule: DuplicateRule) => Promise<LeadFields>;
}) {
  return async (leads: readonly Lead[], draft: TerritoryModel): Promise<Lead[]> => {
    const matching = readsMatchedAccount(attributesModelReads(draft));
    const rule = draft.duplicates;
    if (!matching && !rule) return [...leads];
    const out: Lead[] = [];
    for (const lead of leads) {
      let fields: LeadFields = Object.fromEntries(
        Object.entries(lead)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, v === null ? null : String(v)]),
      );
      if (matching && !('Account.Id' in fields)) fields = await deps.matchAccount(fields);
      if (rule && !('Duplicate.OwnerId' in fields)) fields = await deps.findExistingRecord(fields, rule);
      out.push({ ...lead, ...fields });
    }
    return out;
  };
}
