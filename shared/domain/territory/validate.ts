import type * as z from 'zod';
import { isSharedDomain } from '../accounts/host-name.js';
import { type CalendarFields, normaliseWorkingHours } from '../availability/calendar.js';
import { type HolidayCalendar, normaliseRegion, REGION_CODE } from '../availability/holidays.js';
import { isLocalDate } from '../availability/zoned-time.js';
import { isSalesforceId, toId18 } from '../salesforce-id.js';
import type { SlaPolicy } from '../sla/policy.js';
import type {
  TerritoryConfig,
  TerritoryConfigCalendar,
  TerritoryConfigGroup,
  TerritoryConfigTerritory,
} from './config-schema.js';
import { type ExpressionInput, territoryConfigSchema } from './config-schema.js';
import type { Expression } from './expression.js';
import { checkExpressionTree } from './expression-check.js';
import { parseExpression } from './expression-text.js';
import { isGeoPoint, locate, type PostalCentroidLookup } from './geo.js';
import type {
  Category,
  Distribution,
  DistributionGroup,
  Location,
  NamedAccounts,
  Rep,
  Territory,
  TerritoryModel,
} from './model.js';
import { normaliseCompanyName, normaliseDomain } from './named-account.js';
import type { DistributionPlugins } from './plugins.js';
import { boundToEpochMs, isTimeZone } from './time-window.js';

export type ProblemPath = readonly (string | number)[];

export interface ModelProblem {
  /** Where in the config, e.g. `territories[3].groups[0].weight`. */
  readonly path: string;
  readonly message: string;
  /** Line and column in the file, when it was read from text. */
  readonly line?: number;
  readonly column?: number;
}

/** A checked model (or what was made of it): its warnings, or the problems that refused it. */
export type Checked<T extends object> =
  | ({ readonly ok: true; readonly warnings: readonly ModelProblem[] } & T)
  | {
      readonly ok: false;
      readonly problems: readonly ModelProblem[];
      readonly warnings: readonly ModelProblem[];
    };

export type ValidationResult = Checked<{ readonly model: TerritoryModel }>;

export interface ValidationOptions {
  /** Resolves postal codes of group locations; without it only explicit coordinates count. */
  readonly postalCentroid?: PostalCentroidLookup;
  /** When given, custom methods and radius rules must name a registered plug-in. */
  readonly plugins?: DistributionPlugins;
  /** When given, holiday region codes must be ones it knows; without it only their form is checked. */
  readonly holidays?: HolidayCalendar;
}

export class TerritoryModelError extends Error {
  override name = 'TerritoryModelError';
  constructor(
    readonly problems: readonly ModelProblem[],
    options?: { cause?: unknown },
  ) {
    super(`Invalid territory model:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`, options);
  }
}

export function formatProblem(problem: ModelProblem, fileName?: string): string {
  const where = problem.line === undefined ? '' : `${fileName ?? ''}:${problem.line}:${problem.column ?? 1} `;
  return `${where}${problem.path || '(file)'}: ${problem.message}`;
}

export function formatPath(path: ProblemPath): string {
  return path.reduce<string>(
    (out, step) => (typeof step === 'number' ? `${out}[${step}]` : out ? `${out}.${step}` : step),
    '',
  );
}

/** File line and column of a config path; `inner` is a position inside that value's text (an expression). */
export type ProblemLocator = (
  path: ProblemPath,
  inner?: { line: number; column: number },
) => { line: number; column: number } | undefined;

/** Problems keep their path as segments until the end so a file locator can find their line. */
interface RawProblem {
  readonly path: ProblemPath;
  readonly message: string;
  /** Line:column inside an expression's own text. */
  readonly inner?: { line: number; column: number };
}

/**
 * Check a config (parsed YAML / JSON, or a stored model) and build the validated model. Lists
 * every problem with its path rather than stopping at the first: structure first (zod), then —
 * when the structure is sound — references, expressions, weights, locations, cycles.
 */
export function validateTerritoryConfig(
  input: unknown,
  options: ValidationOptions = {},
  locator?: ProblemLocator,
): ValidationResult {
  const finish = (raw: RawProblem[]): ModelProblem[] =>
    raw.map((p) => {
      const at = locator?.(p.path, p.inner);
      const message = p.inner ? `${p.inner.line}:${p.inner.column}: ${p.message}` : p.message;
      return { path: formatPath(p.path), message, ...(at ?? {}) };
    });
  const parsed = territoryConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: finish(zodProblems(parsed.error)), warnings: [] };
  const checker = new ModelChecker(parsed.data, options);
  const model = checker.build();
  const problems = finish(checker.problems);
  const warnings = finish(checker.warnings);
  return problems.length > 0 ? { ok: false, problems, warnings } : { ok: true, model, warnings };
}

function zodProblems(error: z.ZodError): RawProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return {
        path,
        message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
      };
    }
    return { path, message: issue.message };
  });
}

class ModelChecker {
  readonly problems: RawProblem[] = [];
  readonly warnings: RawProblem[] = [];
  /** Rep key or 18-character id → rep id. */
  private readonly repRefs = new Map<string, string>();
  private readonly ownerRefs = new Map<string, string>();

  constructor(
    private readonly config: TerritoryConfig,
    private readonly options: ValidationOptions,
  ) {}

  private problem(path: ProblemPath, message: string, inner?: RawProblem['inner']): void {
    this.problems.push({ path, message, ...(inner ? { inner } : {}) });
  }

  build(): TerritoryModel {
    const { config } = this;
    if (!isTimeZone(config.timeZone)) this.problem(['timeZone'], `unknown time zone "${config.timeZone}"`);
    const calendars = config.calendars.map((calendar, i) => ({
      id: calendar.id,
      ...this.checkCalendarFields(calendar, ['calendars', i]),
    }));
    this.checkDuplicates(
      calendars.map((c) => c.id),
      (i) => ['calendars', i, 'id'],
      'calendar id',
    );
    if (config.defaultCalendar !== undefined)
      this.checkCalendarRef(config.defaultCalendar, ['defaultCalendar']);
    const reps = config.reps.map((rep, i) => this.checkRep(rep, i));
    const queues = config.queues.map((queue, i) => {
      const id = this.salesforceId(queue.id, ['queues', i, 'id'], '00G', 'a queue id (00G…)');
      this.registerOwner('queue', queue.key, id, ['queues', i]);
      return { id, name: queue.name, ...(queue.key ? { key: queue.key } : {}) };
    });
    this.checkDuplicates(
      config.products.map((p) => p.name.toLowerCase()),
      (i) => ['products', i, 'name'],
      'product',
    );
    const defaultOwner =
      this.ownerRefs.get(config.defaultOwner) ?? this.ownerRefs.get(asId18(config.defaultOwner));
    if (!defaultOwner) {
      this.problem(
        ['defaultOwner'],
        `"${config.defaultOwner}" is not a known rep or queue (known: ${[...new Set([...config.reps, ...config.queues].map((o) => o.key ?? o.id))].join(', ')})`,
      );
    }
    const categories = this.checkCategories();
    const territories = config.territories.map((t, i) => this.checkTerritory(t, i, categories));
    this.checkDuplicates(
      config.territories.map((t) => t.id),
      (i) => ['territories', i, 'id'],
      'territory id',
    );
    return {
      name: config.name,
      ...(config.description ? { description: config.description } : {}),
      timeZone: config.timeZone,
      defaultOwner: defaultOwner ?? config.defaultOwner,
      ...(calendars.length > 0 ? { calendars } : {}),
      ...(config.defaultCalendar === undefined ? {} : { defaultCalendar: config.defaultCalendar }),
      reps,
      queues,
      products: config.products,
      categories,
      territories,
      ...(config.duplicates?.routeToExistingOwner
        ? { duplicates: { routeToExistingOwner: true, match: config.duplicates.match } }
        : {}),
    };
  }

  private checkRep(rep: TerritoryConfig['reps'][number], i: number): Rep {
    const id = this.salesforceId(rep.id, ['reps', i, 'id'], '005', 'a user id (005…)');
    this.registerOwner('rep', rep.key, id, ['reps', i]);
    if (rep.calendar !== undefined) this.checkCalendarRef(rep.calendar, ['reps', i, 'calendar']);
    const calendar = this.checkCalendarFields(rep, ['reps', i]);
    const repZone = this.repTimeZone(rep);
    rep.outOfOffice.forEach((window, w) => {
      const path = ['reps', i, 'outOfOffice', w];
      const zone = window.timeZone ?? repZone;
      if (window.timeZone && !isTimeZone(window.timeZone)) {
        this.problem([...path, 'timeZone'], `unknown time zone "${window.timeZone}"`);
        return;
      }
      const from = boundToEpochMs(window.from, zone, false);
      const to = boundToEpochMs(window.to, zone, true);
      const dateHelp = 'is not a date or date-time (2026-11-20, 2026-11-20T09:00, or with an offset)';
      if (from === undefined) this.problem([...path, 'from'], `"${window.from}" ${dateHelp}`);
      if (to === undefined) this.problem([...path, 'to'], `"${window.to}" ${dateHelp}`);
      if (from !== undefined && to !== undefined && from >= to) {
        this.problem(path, `the window ends (${window.to}) before it starts (${window.from})`);
      }
    });
    const location = rep.location ? this.checkLocation(rep.location, ['reps', i, 'location']) : undefined;
    return {
      id,
      ...(rep.key ? { key: rep.key } : {}),
      name: rep.name,
      active: rep.active,
      ...(location ? { location } : {}),
      outOfOffice: rep.outOfOffice,
      ...(rep.calendar === undefined ? {} : { calendar: rep.calendar }),
      ...calendar,
    };
  }

  /** The zone a rep's local times are in: their own, their calendar's, else the model's. */
  private repTimeZone(rep: TerritoryConfig['reps'][number]): string {
    const calendarId = rep.calendar ?? this.config.defaultCalendar;
    const calendar = this.config.calendars.find((c) => c.id === calendarId);
    const zone = rep.timeZone ?? calendar?.timeZone ?? this.config.timeZone;
    return isTimeZone(zone) ? zone : this.config.timeZone;
  }

  private checkCalendarRef(ref: string, path: ProblemPath): void {
    if (!this.config.calendars.some((c) => c.id === ref)) {
      const known = this.config.calendars.map((c) => c.id).join(', ') || 'none';
      this.problem(path, `unknown calendar "${ref}" (known: ${known})`);
    }
  }

  /** Time zone, working hours, holiday regions and days off of a calendar or a rep, normalised. */
  private checkCalendarFields(
    fields: Omit<TerritoryConfigCalendar, 'id'>,
    path: ProblemPath,
  ): CalendarFields {
    const out: { -readonly [K in keyof CalendarFields]: CalendarFields[K] } = {};
    if (fields.timeZone !== undefined) {
      if (!isTimeZone(fields.timeZone))
        this.problem([...path, 'timeZone'], `unknown time zone "${fields.timeZone}"`);
      out.timeZone = fields.timeZone;
    }
    if (fields.workingHours !== undefined) {
      const { hours, problems } = normaliseWorkingHours(fields.workingHours);
      for (const p of problems) {
        const at = [
          ...path,
          'workingHours',
          ...(p.key === undefined ? [] : [p.key]),
          ...(p.index === undefined ? [] : [p.index]),
        ];
        this.problem(at, p.message);
      }
      out.workingHours = hours;
    }
    if (fields.holidays !== undefined) {
      out.holidays = fields.holidays.map((raw, h) => {
        const region = normaliseRegion(raw);
        const at = [...path, 'holidays', h];
        if (!REGION_CODE.test(region))
          this.problem(at, `"${raw}" is not a country or region code (e.g. CA-ON, US-NY, GB)`);
        else if (this.options.holidays && !this.options.holidays.knows(region))
          this.problem(
            at,
            `no public holidays are known for "${raw}" (country-region codes such as CA-ON, US-NY)`,
          );
        return region;
      });
    }
    if (fields.daysOff !== undefined) {
      fields.daysOff.forEach((date, d) => {
        if (!isLocalDate(date)) this.problem([...path, 'daysOff', d], `"${date}" is not a date (2026-12-24)`);
      });
      out.daysOff = fields.daysOff;
    }
    return out;
  }

  /** Reps and queues share one namespace of keys and ids, so `defaultOwner` can name either. */
  private registerOwner(kind: 'rep' | 'queue', key: string | undefined, id: string, path: ProblemPath): void {
    if (this.ownerRefs.has(id)) this.problem([...path, 'id'], `duplicate id ${id}`);
    if (key !== undefined && this.ownerRefs.has(key))
      this.problem([...path, 'key'], `duplicate key "${key}"`);
    for (const ref of key === undefined ? [id] : [id, key]) {
      this.ownerRefs.set(ref, id);
      if (kind === 'rep') this.repRefs.set(ref, id);
    }
  }

  private salesforceId(raw: string, path: ProblemPath, prefix: string, what: string): string {
    if (!isSalesforceId(raw)) {
      this.problem(path, `"${raw}" is not a Salesforce id (15 or 18 characters)`);
      return raw;
    }
    if (!raw.startsWith(prefix)) this.problem(path, `"${raw}" should be ${what}`);
    return toId18(raw);
  }

  private checkLocation(location: Location, path: ProblemPath): Location {
    const hasLat = location.latitude !== undefined;
    if (hasLat !== (location.longitude !== undefined)) {
      this.problem(path, 'give both latitude and longitude, or neither');
    }
    if (!hasLat && location.postalCode === undefined)
      this.problem(path, 'needs latitude/longitude or a postalCode');
    return location;
  }

  private resolveRep(ref: string): string | undefined {
    return this.repRefs.get(ref) ?? this.repRefs.get(asId18(ref));
  }

  private knownReps(): string {
    return this.config.reps.map((r) => r.key ?? r.id).join(', ');
  }

  private checkDuplicates(values: readonly string[], pathOf: (i: number) => ProblemPath, what: string): void {
    const seen = new Set<string>();
    values.forEach((value, i) => {
      if (seen.has(value)) this.problem(pathOf(i), `duplicate ${what} "${value}"`);
      seen.add(value);
    });
  }

  private checkExpression(input: ExpressionInput, path: ProblemPath): Expression | undefined {
    if (typeof input === 'string') {
      const result = parseExpression(input);
      if (result.ok) return result.expression;
      for (const error of result.errors)
        this.problem(path, error.message, { line: error.line, column: error.column });
      return undefined;
    }
    const { expression, problems } = checkExpressionTree(input);
    for (const p of problems) this.problem(path, p.at ? `${p.at}: ${p.message}` : p.message);
    return problems.length === 0 ? expression : undefined;
  }

  private checkCategories(): Category[] {
    const { categories } = this.config;
    this.checkDuplicates(
      categories.map((c) => c.id),
      (i) => ['categories', i, 'id'],
      'category id',
    );
    const byId = new Map(categories.map((c) => [c.id, c]));
    categories.forEach((category, i) => {
      if (category.parent !== undefined && !byId.has(category.parent)) {
        this.problem(
          ['categories', i, 'parent'],
          `unknown parent category "${category.parent}" (known: ${[...byId.keys()].join(', ')})`,
        );
      }
    });
    const reported = new Set<string>();
    categories.forEach((category, i) => {
      const chain = [category.id];
      let current = category.parent === undefined ? undefined : byId.get(category.parent);
      while (current) {
        if (chain.includes(current.id)) {
          const cycle = [...chain.slice(chain.indexOf(current.id)), current.id];
          const key = [...new Set(cycle)].sort().join('>');
          if (!reported.has(key)) {
            reported.add(key);
            this.problem(['categories', i, 'parent'], `category cycle: ${cycle.join(' > ')}`);
          }
          break;
        }
        chain.push(current.id);
        current = current.parent === undefined ? undefined : byId.get(current.parent);
      }
    });
    return categories.map((category, i) => {
      const expression =
        category.expression === undefined
          ? undefined
          : this.checkExpression(category.expression, ['categories', i, 'expression']);
      return {
        id: category.id,
        name: category.name ?? category.id,
        ...(category.parent ? { parent: category.parent } : {}),
        ...(expression ? { expression } : {}),
      };
    });
  }

  private checkTerritory(t: TerritoryConfigTerritory, i: number, categories: readonly Category[]): Territory {
    const path: ProblemPath = ['territories', i];
    const label = `territory "${t.id}"`;
    if (t.category !== undefined && !categories.some((c) => c.id === t.category)) {
      this.problem(
        [...path, 'category'],
        `${label}: unknown category "${t.category}" (known: ${categories.map((c) => c.id).join(', ')})`,
      );
    }
    const expression =
      t.expression === undefined ? undefined : this.checkExpression(t.expression, [...path, 'expression']);
    const namedAccounts = t.namedAccounts
      ? this.checkNamedAccounts(t.namedAccounts, [...path, 'namedAccounts'])
      : undefined;
    if (t.expression === undefined && t.category === undefined && !namedAccounts && t.active) {
      this.warnings.push({
        path,
        message: `${label} has no expression, category or named accounts: it matches every lead`,
      });
    }
    const groups = this.checkGroups(t, path, label);
    const distribution = this.checkDistribution(t, groups, path, label);
    const whenNobodyAvailable = this.checkWhenNobodyAvailable(t, path, label);
    if (t.catchUp !== undefined && distribution.method !== 'even' && distribution.method !== 'weighted') {
      this.problem(
        [...path, 'catchUp'],
        `${label}: catchUp applies to even and weighted distribution only, not ${distribution.method} (remove it or change the method)`,
      );
    }
    return {
      id: t.id,
      name: t.name ?? t.id,
      ...(t.category ? { category: t.category } : {}),
      priority: t.priority,
      active: t.active,
      ...(expression ? { expression } : {}),
      ...(namedAccounts ? { namedAccounts } : {}),
      distribution,
      groups,
      ...(whenNobodyAvailable ? { whenNobodyAvailable } : {}),
      ...(t.catchUp ? { catchUp: t.catchUp } : {}),
      ...(t.accountOwnerFirst ? { accountOwnerFirst: true } : {}),
      ...(t.sla ? { sla: this.checkSla(t, path, label) } : {}),
    };
  }

  private checkSla(t: TerritoryConfigTerritory, path: ProblemPath, label: string): SlaPolicy {
    const sla = t.sla!;
    const policy: SlaPolicy = {
      firstTouchMinutes: sla.firstTouchMinutes,
      ...(sla.warnAt === undefined ? {} : { warnAt: sla.warnAt }),
      maxReroutes: sla.maxReroutes,
      escalateTo: sla.escalateTo,
    };
    if (sla.escalateTo.to !== 'queue' || sla.escalateTo.queue === undefined) return policy;
    const ref = sla.escalateTo.queue;
    const id = this.ownerRefs.get(ref) ?? this.ownerRefs.get(asId18(ref));
    if (id === undefined || !this.config.queues.some((q) => asId18(q.id) === id)) {
      this.problem(
        [...path, 'sla', 'escalateTo', 'queue'],
        `${label}: "${ref}" is not a queue of the model (known: ${this.config.queues.map((q) => q.key ?? q.id).join(', ') || 'none'})`,
      );
      return policy;
    }
    return { ...policy, escalateTo: { to: 'queue', queue: id } };
  }

  private checkWhenNobodyAvailable(
    t: TerritoryConfigTerritory,
    path: ProblemPath,
    label: string,
  ): Territory['whenNobodyAvailable'] {
    const policy = t.whenNobodyAvailable;
    if (policy?.policy !== 'queue' || policy.queue === undefined) return policy;
    const ref = policy.queue;
    const id = this.ownerRefs.get(ref) ?? this.ownerRefs.get(asId18(ref));
    const queue = id === undefined ? undefined : this.config.queues.find((q) => asId18(q.id) === id);
    if (!queue || id === undefined) {
      this.problem(
        [...path, 'whenNobodyAvailable', 'queue'],
        `${label}: "${ref}" is not a queue of the model (known: ${this.config.queues.map((q) => q.key ?? q.id).join(', ') || 'none'})`,
      );
      return policy;
    }
    return { policy: 'queue', queue: id };
  }

  private checkNamedAccounts(named: NamedAccounts, path: ProblemPath): NamedAccounts {
    if (named.accountIds.length + named.companies.length + named.domains.length === 0) {
      this.problem(path, 'list at least one of accountIds, companies, domains');
    }
    const accountIds = named.accountIds.map((id, j) => {
      if (isSalesforceId(id)) return toId18(id);
      this.problem([...path, 'accountIds', j], `"${id}" is not a Salesforce id`);
      return id;
    });
    named.companies.forEach((company, j) => {
      if (!normaliseCompanyName(company))
        this.problem([...path, 'companies', j], `"${company}" has no name left to match`);
    });
    const domains = named.domains.map((raw, j) => {
      const domain = normaliseDomain(raw);
      if (!domain) this.problem([...path, 'domains', j], `"${raw}" is not a domain (e.g. acme.com)`);
      else if (isSharedDomain(domain)) {
        this.problem(
          [...path, 'domains', j],
          `${domain} is a free email provider or a shared site; it would match anyone using it`,
        );
      }
      return domain ?? raw;
    });
    return { accountIds, companies: named.companies, domains };
  }

  private checkGroups(t: TerritoryConfigTerritory, path: ProblemPath, label: string): DistributionGroup[] {
    if (t.groups && t.participants)
      this.problem(path, `${label}: give either participants or groups, not both`);
    if (!t.groups && !t.participants) this.problem(path, `${label}: needs participants or groups`);
    const configured: { group: TerritoryConfigGroup; path: ProblemPath }[] = t.groups
      ? t.groups.map((group, g) => ({ group, path: [...path, 'groups', g] }))
      : [{ group: { id: 'main', participants: t.participants ?? [], active: true }, path }];
    this.checkDuplicates(
      configured.map((c) => c.group.id),
      (g) => [...path, 'groups', g, 'id'],
      `group id in ${label}`,
    );
    const groups = configured.map(({ group, path: groupPath }) => {
      const participants = group.participants.map((ref, p) => {
        const id = this.resolveRep(ref);
        if (!id) {
          this.problem(
            [...groupPath, 'participants', p],
            `${label}: participant "${ref}" is not a known rep (known: ${this.knownReps()})`,
          );
        }
        return id ?? ref;
      });
      this.checkDuplicates(participants, (p) => [...groupPath, 'participants', p], `participant in ${label}`);
      const location = group.location
        ? this.checkLocation(group.location, [...groupPath, 'location'])
        : undefined;
      return {
        id: group.id,
        name: group.name ?? group.id,
        active: group.active,
        participants,
        ...(group.weight === undefined ? {} : { weight: group.weight }),
        ...(group.factor === undefined ? {} : { factor: group.factor }),
        ...(location ? { location } : {}),
        ...(group.products ? { products: group.products } : {}),
      };
    });
    if (t.active && groups.length > 0 && !groups.some((g) => g.active)) {
      this.warnings.push({
        path,
        message: `${label} has no active group: its leads go to the default owner`,
      });
    }
    return groups;
  }

  private groupLocationPath(t: TerritoryConfigTerritory, path: ProblemPath, g: number): ProblemPath {
    return t.groups ? [...path, 'groups', g] : path;
  }

  /** A point for the group: its own location, else its only participant's. */
  private hasCoordinates(group: DistributionGroup): boolean {
    const reps = this.config.reps;
    const single =
      group.participants.length === 1 ? reps.find((r) => asId18(r.id) === group.participants[0]) : undefined;
    const location = group.location ?? single?.location;
    if (!location) return false;
    if (isGeoPoint(location.latitude, location.longitude)) return true;
    return locate(location, this.options.postalCentroid) !== undefined;
  }

  private checkDistribution(
    t: TerritoryConfigTerritory,
    groups: DistributionGroup[],
    path: ProblemPath,
    label: string,
  ): Distribution {
    const d = t.distribution;
    const at: ProblemPath = [...path, 'distribution'];
    const plugins = this.options.plugins;
    const needCoordinates = (why: string, only?: (g: DistributionGroup) => boolean) => {
      groups.forEach((group, g) => {
        if ((only === undefined || only(group)) && !this.hasCoordinates(group)) {
          this.problem(
            this.groupLocationPath(t, path, g),
            `${label}: group "${group.id}" has no coordinates (latitude/longitude, or a postal code with a known centroid); ${why}`,
          );
        }
      });
    };
    switch (d.method) {
      case 'even':
        return d;
      case 'weighted': {
        groups.forEach((group, g) => {
          if (group.weight === undefined) {
            this.problem(
              [...this.groupLocationPath(t, path, g), 'weight'],
              `${label}: weighted distribution needs a weight on group "${group.id}"`,
            );
          }
        });
        const total = groups.reduce((sum, g) => sum + (g.weight ?? 0), 0);
        if (Math.abs(total - 100) > 1e-9) {
          this.problem(
            at,
            `${label}: weighted percentages add up to ${round(total)}, not 100 (${groups.map((g) => `${g.id} ${g.weight ?? 0}`).join(', ')})`,
          );
        }
        return d;
      }
      case 'by-product': {
        const known = new Set(this.config.products.map((p) => p.name.toLowerCase()));
        const knownCategories = new Set(this.config.products.map((p) => p.category.toLowerCase()));
        groups.forEach((group, g) => {
          group.products?.forEach((association, a) => {
            const assocPath = [...this.groupLocationPath(t, path, g), 'products', a];
            if ((association.product === undefined) === (association.category === undefined)) {
              this.problem(assocPath, `${label}: give exactly one of product or category`);
            }
            if (association.product && known.size > 0 && !known.has(association.product.toLowerCase())) {
              this.problem(
                [...assocPath, 'product'],
                `${label}: unknown product "${association.product}" (known: ${this.config.products.map((p) => p.name).join(', ')})`,
              );
            }
            if (
              association.category &&
              knownCategories.size > 0 &&
              !knownCategories.has(association.category.toLowerCase())
            ) {
              this.problem(
                [...assocPath, 'category'],
                `${label}: unknown product category "${association.category}" (known: ${[...new Set(this.config.products.map((p) => p.category))].join(', ')})`,
              );
            }
          });
        });
        if (!groups.some((g) => g.products?.length))
          this.problem(at, `${label}: by-product needs groups with products`);
        needCoordinates(
          'a product radius needs them',
          (g) => g.products?.some((a) => a.radiusMiles !== undefined) ?? false,
        );
        return d;
      }
      case 'proximity': {
        needCoordinates(`proximity (${d.mode}) needs them`);
        if (d.mode === 'closest') return { method: 'proximity', mode: 'closest' };
        if (d.radiusMiles === undefined) this.problem(at, `${label}: radius distribution needs radiusMiles`);
        const rule = d.rule ?? 'least-gets-it';
        if (rule === 'custom') {
          if (!d.plugin) this.problem(at, `${label}: a custom radius rule needs plugin`);
          else if (plugins && !plugins.radiusRules?.[d.plugin]) {
            this.problem(
              [...at, 'plugin'],
              `${label}: no radius-rule plug-in "${d.plugin}" is registered (registered: ${Object.keys(plugins.radiusRules ?? {}).join(', ') || 'none'})`,
            );
          }
        }
        return {
          method: 'proximity',
          mode: 'radius',
          radiusMiles: d.radiusMiles ?? 0,
          rule,
          ...(d.plugin ? { plugin: d.plugin } : {}),
        };
      }
      case 'custom':
        if (plugins && !plugins.methods?.[d.plugin]) {
          this.problem(
            [...at, 'plugin'],
            `${label}: no distribution plug-in "${d.plugin}" is registered (registered: ${Object.keys(plugins.methods ?? {}).join(', ') || 'none'})`,
          );
        }
        return d;
    }
  }
}

function asId18(ref: string): string {
  return isSalesforceId(ref) ? toId18(ref) : ref;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
