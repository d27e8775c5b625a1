import { describeCatchUp } from './catch-up.js';
import { formatExpression } from './expression-text.js';
import type { DistributionGroup, NamedAccounts, Territory, TerritoryModel } from './model.js';

/** What changed between two models (production → draft, or two versions), in words RevOps can review. */
export interface ModelDiff {
  readonly identical: boolean;
  readonly settings: readonly string[];
  readonly reps: Section;
  readonly categories: Section;
  readonly territories: Section;
}

export interface Section {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly {
    readonly id: string;
    readonly label: string;
    readonly changes: readonly string[];
  }[];
}

const show = (value: unknown) =>
  value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value);

function change(label: string, before: unknown, after: unknown): string[] {
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [`${label}: ${show(before)} → ${show(after)}`];
}

function listChange(label: string, before: readonly string[], after: readonly string[]): string[] {
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  if (added.length === 0 && removed.length === 0) {
    return before.join('\u0000') === after.join('\u0000') ? [] : [`${label}: reordered`];
  }
  return [`${label}: ${[...added.map((x) => `+${x}`), ...removed.map((x) => `-${x}`)].join(', ')}`];
}

function section<T extends { id: string }>(
  before: readonly T[],
  after: readonly T[],
  label: (item: T) => string,
  compare: (a: T, b: T) => string[],
): Section {
  const old = new Map(before.map((item) => [item.id, item]));
  const now = new Map(after.map((item) => [item.id, item]));
  return {
    added: after.filter((item) => !old.has(item.id)).map(label),
    removed: before.filter((item) => !now.has(item.id)).map(label),
    changed: after.flatMap((item) => {
      const previous = old.get(item.id);
      const changes = previous ? compare(previous, item) : [];
      return changes.length ? [{ id: item.id, label: label(item), changes }] : [];
    }),
  };
}

export function diffModels(before: TerritoryModel, after: TerritoryModel): ModelDiff {
  const repName = new Map([...before.reps, ...after.reps].map((r) => [r.id, r.name]));
  const owner = (model: TerritoryModel) =>
    [...model.reps, ...model.queues].find((o) => o.id === model.defaultOwner)?.name ?? model.defaultOwner;
  const names = (ids: readonly string[]) => ids.map((id) => repName.get(id) ?? id);
  const expression = (t: { expression?: Territory['expression'] }) =>
    t.expression === undefined ? undefined : formatExpression(t.expression);
  const named = (n: NamedAccounts | undefined) => [
    ...(n?.accountIds ?? []).map((x) => `account ${x}`),
    ...(n?.companies ?? []).map((x) => `company ${x}`),
    ...(n?.domains ?? []).map((x) => `domain ${x}`),
  ];
  const group = (a: DistributionGroup, b: DistributionGroup): string[] => [
    ...change(`group ${b.id} name`, a.name, b.name),
    ...change(`group ${b.id} active`, a.active, b.active),
    ...listChange(`group ${b.id} participants`, names(a.participants), names(b.participants)),
    ...change(`group ${b.id} weight`, a.weight, b.weight),
    ...change(`group ${b.id} factor`, a.factor, b.factor),
    ...change(`group ${b.id} location`, a.location, b.location),
    ...change(`group ${b.id} products`, a.products, b.products),
  ];
  const territories = section(
    before.territories,
    after.territories,
    (t) => `${t.id} "${t.name}" (priority ${t.priority})`,
    (a, b) => {
      const groups = section(a.groups, b.groups, (g) => g.id, group);
      return [
        ...change('name', a.name, b.name),
        ...change('priority', a.priority, b.priority),
        ...change('active', a.active, b.active),
        ...change('category', a.category, b.category),
        ...change('expression', expression(a), expression(b)),
        ...listChange('named accounts', named(a.namedAccounts), named(b.namedAccounts)),
        ...change('distribution', a.distribution, b.distribution),
        ...change('when nobody is available', a.whenNobodyAvailable, b.whenNobodyAvailable),
        ...change('catch-up', describeCatchUp(a.catchUp ?? 'none'), describeCatchUp(b.catchUp ?? 'none')),
        ...change('account owner first', a.accountOwnerFirst ?? false, b.accountOwnerFirst ?? false),
        ...change('SLA', a.sla, b.sla),
        ...groups.added.map((g) => `group ${g} added`),
        ...groups.removed.map((g) => `group ${g} removed`),
        ...groups.changed.flatMap((g) => g.changes),
      ];
    },
  );
  const categories = section(
    before.categories,
    after.categories,
    (c) => `${c.id} "${c.name}"`,
    (a, b) => [
      ...change('name', a.name, b.name),
      ...change('parent', a.parent, b.parent),
      ...change('expression', expression(a), expression(b)),
    ],
  );
  const reps = section(
    before.reps,
    after.reps,
    (r) => `${r.name} (${r.id})`,
    (a, b) => [
      ...change('name', a.name, b.name),
      ...change('active', a.active, b.active),
      ...change('location', a.location, b.location),
      ...change('out of office', a.outOfOffice, b.outOfOffice),
      ...change('calendar', a.calendar, b.calendar),
      ...change('time zone', a.timeZone, b.timeZone),
      ...change('working hours', a.workingHours, b.workingHours),
      ...change('holidays', a.holidays, b.holidays),
      ...change('days off', a.daysOff, b.daysOff),
    ],
  );
  const settings = [
    ...change('name', before.name, after.name),
    ...change('time zone', before.timeZone, after.timeZone),
    ...change('default owner', owner(before), owner(after)),
    ...change('products', before.products, after.products),
    ...change('calendars', before.calendars, after.calendars),
    ...change('default calendar', before.defaultCalendar, after.defaultCalendar),
    ...change('duplicates', before.duplicates?.match, after.duplicates?.match),
  ];
  const empty = (s: Section) => s.added.length + s.removed.length + s.changed.length === 0;
  return {
    identical: settings.length === 0 && empty(reps) && empty(categories) && empty(territories),
    settings,
    reps,
    categories,
    territories,
  };
}

export function formatModelDiff(diff: ModelDiff): string {
  if (diff.identical) return 'No differences.';
  const lines: string[] = [];
  if (diff.settings.length) lines.push('Settings', ...diff.settings.map((s) => `  ~ ${s}`));
  const write = (title: string, s: Section) => {
    if (s.added.length + s.removed.length + s.changed.length === 0) return;
    lines.push(title);
    lines.push(...s.added.map((x) => `  + ${x}`), ...s.removed.map((x) => `  - ${x}`));
    for (const c of s.changed) lines.push(`  ~ ${c.label}`, ...c.changes.map((x) => `      ${x}`));
  };
  write('Reps', diff.reps);
  write('Categories', diff.categories);
  write('Territories', diff.territories);
  return lines.join('\n');
}
