import { isSalesforceId, toId18 } from '../../../shared/domain/salesforce-id.js';
import { resolveAttribute } from '../../../shared/domain/territory/attributes.js';
import type { Criterion, Expression } from '../../../shared/domain/territory/expression.js';
import type { FieldValue, Lead } from '../../../shared/domain/territory/lead.js';
import type { Territory, TerritoryModel } from '../../../shared/domain/territory/model.js';
import {
  domainAndParents,
  normaliseCompanyName,
  normaliseDomain,
} from '../../../shared/domain/territory/named-account.js';

/**
 * The reference matcher: every territory in priority order, every expression interpreted from
 * its tree with no compilation and no index. Slow on purpose, simple enough to trust.
 */
export function naiveMatch(model: TerritoryModel, lead: Lead): string | undefined {
  const ordered = model.territories
    .map((territory, order) => ({ territory, order }))
    .filter(({ territory }) => territory.active)
    .sort((a, b) => a.territory.priority - b.territory.priority || a.order - b.order);
  for (const { territory } of ordered) {
    if (
      categoriesHold(model, territory.category, lead) &&
      ownHolds(territory, lead) &&
      namedHolds(territory, lead)
    ) {
      return territory.id;
    }
  }
  return undefined;
}

function categoriesHold(model: TerritoryModel, categoryId: string | undefined, lead: Lead): boolean {
  const visited = new Set<string>();
  let id = categoryId;
  while (id !== undefined && !visited.has(id)) {
    visited.add(id);
    const category = model.categories.find((c) => c.id === id);
    if (!category) return true;
    if (category.expression && !evaluate(category.expression, lead)) return false;
    id = category.parent;
  }
  return true;
}

const ownHolds = (territory: Territory, lead: Lead) =>
  !territory.expression || evaluate(territory.expression, lead);

function namedHolds(territory: Territory, lead: Lead): boolean {
  const named = territory.namedAccounts;
  if (!named) return true;
  const accountId = text(lead['Account.Id'], 'id');
  if (accountId && named.accountIds.some((id) => text(id, 'id') === accountId)) return true;
  const companies = [lead.Company, lead['Account.Name']].map(normaliseCompanyName);
  if (named.companies.some((c) => companies.includes(normaliseCompanyName(c)))) return true;
  const domains = [lead.Email, lead.Website, lead['Account.Website']]
    .map(normaliseDomain)
    .flatMap((d) => (d ? domainAndParents(d) : []));
  return named.domains.some((d) => domains.includes(normaliseDomain(d)!));
}

export function evaluate(expression: Expression, lead: Lead): boolean {
  if ('and' in expression) return expression.and.every((e) => evaluate(e, lead));
  if ('or' in expression) return expression.or.some((e) => evaluate(e, lead));
  if ('not' in expression) return !evaluate(expression.not, lead);
  return evaluateCriterion(expression, lead);
}

function text(value: FieldValue, type: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  let s = String(value);
  if (type === 'postal') s = s.toUpperCase().split(/[\s-]/).join('');
  else if (type === 'id') s = (isSalesforceId(s.trim()) ? toId18(s.trim()) : s.trim()).toLowerCase();
  else s = s.trim().toLowerCase().split(/\s+/).join(' ');
  return s === '' ? undefined : s;
}

function number(value: FieldValue): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function evaluateCriterion(c: Criterion, lead: Lead): boolean {
  const type = resolveAttribute(c.attribute)?.type ?? 'any';
  const literals = c.values ?? (c.value === undefined ? [] : [c.value]);
  const numeric =
    type === 'number' ||
    (type === 'any' && literals.length > 0 && literals.every((v) => typeof v === 'number'));
  const raw = lead[c.attribute];
  if (numeric) {
    const n = number(raw);
    const [a = Number.NaN, b = Number.NaN] = literals.map(Number);
    switch (c.op) {
      case 'isEmpty':
        return n === undefined;
      case 'isNotEmpty':
        return n !== undefined;
      case 'equals':
        return n === a;
      case 'notEquals':
        return n !== a;
      case 'in':
        return n !== undefined && literals.map(Number).includes(n);
      case 'notIn':
        return n === undefined || !literals.map(Number).includes(n);
      case 'lt':
        return n !== undefined && n < a;
      case 'lte':
        return n !== undefined && n <= a;
      case 'gt':
        return n !== undefined && n > a;
      case 'gte':
        return n !== undefined && n >= a;
      case 'between':
        return n !== undefined && n >= a && n <= b;
      default:
        break;
    }
  }
  const v = text(raw, type);
  const wanted = literals.map((l) => text(String(l), type) ?? '');
  switch (c.op) {
    case 'isEmpty':
      return v === undefined;
    case 'isNotEmpty':
      return v !== undefined;
    case 'equals':
      return v === wanted[0];
    case 'notEquals':
      return v !== wanted[0];
    case 'in':
      return v !== undefined && wanted.includes(v);
    case 'notIn':
      return v === undefined || !wanted.includes(v);
    case 'startsWith':
      return v !== undefined && wanted.some((w) => v.startsWith(w));
    case 'contains':
      return v !== undefined && wanted.some((w) => v.includes(w));
    default:
      return false;
  }
}
