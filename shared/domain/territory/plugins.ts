import type { DistributionSnapshot } from './distribution-state.js';
import type { GeoPoint } from './geo.js';
import type { Lead } from './lead.js';

/**
 * Plug-ins extend distribution without touching the core: a custom method ranks a territory's
 * eligible participants; a custom radius rule ranks its groups. Both are pure functions
 * registered by name and referred to from the config (`plugin: name`).
 */
export interface CustomDistributionInput {
  readonly territoryId: string;
  readonly lead: Lead;
  readonly leadLocation?: GeoPoint;
  /** Eligible participants only (inactive, out-of-office and at-capacity reps are already skipped). */
  readonly participants: readonly {
    readonly repId: string;
    readonly repName: string;
    readonly groupId: string;
    /** Leads this rep has received in this territory. */
    readonly leads: number;
    readonly distanceMiles?: number;
  }[];
  readonly snapshot: DistributionSnapshot;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface CustomDistributionResult {
  /** Rep ids, best first; reps left out are not candidates. */
  readonly order: readonly string[];
  /** Why, for the audit reason (e.g. "highest rating first"). */
  readonly explanation: string;
  /** Turn counters the plug-in wants stored with the decision. */
  readonly setTurns?: Readonly<Record<string, number>>;
}

export type CustomDistribution = (input: CustomDistributionInput) => CustomDistributionResult;

export interface RadiusRuleInput {
  readonly territoryId: string;
  readonly lead: Lead;
  /** The groups the rule decides among (those inside the radius, or all when none is). */
  readonly groups: readonly {
    readonly groupId: string;
    readonly groupName: string;
    readonly leads: number;
    readonly factor: number;
    readonly distanceMiles?: number;
  }[];
  readonly snapshot: DistributionSnapshot;
}

export interface RadiusRuleResult {
  /** Group ids, best first. */
  readonly order: readonly string[];
  readonly explanation: string;
}

export type CustomRadiusRule = (input: RadiusRuleInput) => RadiusRuleResult;

export interface DistributionPlugins {
  readonly methods?: Readonly<Record<string, CustomDistribution>>;
  readonly radiusRules?: Readonly<Record<string, CustomRadiusRule>>;
}

/** Plug-ins shipped with the project; a deployment may register more beside them. */
export const BUILT_IN_PLUGINS: DistributionPlugins = {
  methods: {
    /** The participant with the fewest leads in this territory; ties keep the listed order. */
    'fewest-leads': ({ participants }) => ({
      order: [...participants].sort((a, b) => a.leads - b.leads).map((p) => p.repId),
      explanation: 'fewest leads first',
    }),
  },
  radiusRules: {
    /** The nearest group, then the next nearest. */
    nearest: ({ groups }) => ({
      order: [...groups]
        .sort(
          (a, b) =>
            (a.distanceMiles ?? Number.POSITIVE_INFINITY) - (b.distanceMiles ?? Number.POSITIVE_INFINITY),
        )
        .map((g) => g.groupId),
      explanation: 'nearest group first',
    }),
  },
};
