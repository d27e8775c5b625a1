/**
 * Speed-to-lead: time from assignment to first touch in the owner's working minutes, per rep and
 * per territory, with the share of assignments that breached their SLA. For RevOps operators only:
 * reps never see each other's numbers.
 */
export interface SpeedRow {
  readonly ownerId: string;
  readonly territoryId: string;
  /** Set when the lead was touched. */
  readonly speedMinutes?: number;
  /** The SLA fell due before a touch (re-routed, escalated or touched late). */
  readonly breached: boolean;
}

export interface SpeedGroup {
  readonly id: string;
  readonly name: string;
  /** Assignments whose clock closed with a verdict (touched or breached). */
  readonly assignments: number;
  readonly touched: number;
  readonly p50?: number;
  readonly p90?: number;
  readonly breachRate: number;
}

export interface SpeedToLeadReport {
  readonly overall: SpeedGroup;
  readonly reps: readonly SpeedGroup[];
  readonly territories: readonly SpeedGroup[];
}

/** Nearest-rank percentile of a sorted list (undefined when empty). */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function group(id: string, name: string, rows: readonly SpeedRow[]): SpeedGroup {
  const speeds = rows
    .map((r) => r.speedMinutes)
    .filter((s): s is number => s !== undefined)
    .sort((a, b) => a - b);
  const breached = rows.filter((r) => r.breached).length;
  const p50 = percentile(speeds, 50);
  const p90 = percentile(speeds, 90);
  return {
    id,
    name,
    assignments: rows.length,
    touched: speeds.length,
    ...(p50 === undefined ? {} : { p50 }),
    ...(p90 === undefined ? {} : { p90 }),
    breachRate: rows.length === 0 ? 0 : breached / rows.length,
  };
}

function groupsBy(
  rows: readonly SpeedRow[],
  key: (r: SpeedRow) => string,
  nameOf: (id: string) => string,
): SpeedGroup[] {
  const by = new Map<string, SpeedRow[]>();
  for (const row of rows) {
    const list = by.get(key(row));
    if (list) list.push(row);
    else by.set(key(row), [row]);
  }
  return [...by]
    .map(([id, list]) => group(id, nameOf(id), list))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function speedToLeadReport(
  rows: readonly SpeedRow[],
  names: { rep: (id: string) => string; territory: (id: string) => string },
): SpeedToLeadReport {
  return {
    overall: group('all', 'All', rows),
    reps: groupsBy(rows, (r) => r.ownerId, names.rep),
    territories: groupsBy(rows, (r) => r.territoryId, names.territory),
  };
}
