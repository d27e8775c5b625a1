/** The constraints admit no plan: each reason is a sentence with the numbers that clash. */
export class PlanInfeasibleError extends Error {
  override readonly name = 'PlanInfeasibleError';

  constructor(
    readonly reasons: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `No territory plan satisfies the constraints:\n${reasons.map((r) => `  - ${r}`).join('\n')}`,
      options,
    );
  }
}

/** Input the planner cannot use (bad options, duplicate ids); not a constraint clash. */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';

  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`Invalid planning input:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
  }
}
