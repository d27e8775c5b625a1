import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nextCheckAt, type SlaClock } from '../../domain/sla/index.js';
import type { ClockClose, ClosedClock, SlaClockStore } from '../../ports/sla.js';
import { conditionalWrite } from './conditions.js';
import { slaClockItem } from './items.js';
import { gsi1 } from './keys.js';
import { queryItems } from './query.js';

/** Sorts after every lead id in a GSI1 sort key `{time}#{leadId}`. */
const AFTER_ANY_LEAD = '#\uffff';

/**
 * SLA clocks (`SLA#{leadId}` / `CLOCK#{changeId}`). Intake, top-up and re-routes start them in their
 * assignment transaction (see DynamoAssignmentLedger); the sweeper reads the due ones from GSI1 and
 * closes them with conditional writes, so concurrent sweeps decide each clock once.
 */
export class DynamoSlaClocks implements SlaClockStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async due(now: string, limit: number): Promise<SlaClock[]> {
    const clocks: SlaClock[] = [];
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK <= :bound',
      ExpressionAttributeValues: {
        ':pk': gsi1.slaPending('', '').GSI1PK,
        ':bound': `${now}${AFTER_ANY_LEAD}`,
      },
      Limit: Math.min(limit, 1000),
    })) {
      const clock = slaClockItem.fromItem(item);
      // The index is eventually consistent: a clock closed a moment ago may still be listed.
      if (clock.status === 'pending') clocks.push(toClock(clock));
      if (clocks.length >= limit) break;
    }
    return clocks;
  }

  async markWarned(clock: SlaClock, at: string): Promise<boolean> {
    const next = gsi1.slaPending(nextCheckAt({ ...clock, warned: true }), clock.leadId);
    return this.update(clock, 'SET warned = :true, warnedAt = :at, GSI1SK = :sk', 'AND warned = :false', {
      ':true': true,
      ':false': false,
      ':at': at,
      ':sk': next.GSI1SK,
    });
  }

  async close(clock: SlaClock, outcome: ClockClose): Promise<boolean> {
    const closed = gsi1.slaClosed(outcome.at, clock.leadId);
    const common = {
      ':status': outcome.status,
      ':at': outcome.at,
      ':pk': closed.GSI1PK,
      ':sk': closed.GSI1SK,
    };
    if (outcome.status === 'touched') {
      return this.update(
        clock,
        'SET #status = :status, closedAt = :at, touchedAt = :touchedAt, touchedBy = :by, speedMinutes = :speed, breached = :late, GSI1PK = :pk, GSI1SK = :sk',
        '',
        {
          ...common,
          ':touchedAt': outcome.touchedAt,
          ':by': outcome.by,
          ':speed': outcome.speedMinutes,
          ':late': outcome.late,
        },
      );
    }
    return this.update(
      clock,
      'SET #status = :status, closedAt = :at, closeReason = :why, GSI1PK = :pk, GSI1SK = :sk',
      '',
      { ...common, ':why': outcome.why },
    );
  }

  async postpone(clock: SlaClock, until: string): Promise<void> {
    await this.update(clock, 'SET GSI1SK = :sk', '', { ':sk': gsi1.slaPending(until, clock.leadId).GSI1SK });
  }

  async closedSince(since: string): Promise<ClosedClock[]> {
    const out: ClosedClock[] = [];
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK >= :since',
      ExpressionAttributeValues: { ':pk': gsi1.slaClosed('', '').GSI1PK, ':since': since },
    })) {
      const c = slaClockItem.fromItem(item);
      if (c.status === 'pending' || c.closedAt === undefined) continue;
      out.push({
        leadId: c.leadId,
        ownerId: c.ownerId,
        territoryId: c.territoryId,
        assignedAt: c.assignedAt,
        closedAt: c.closedAt,
        status: c.status,
        ...(c.speedMinutes === undefined ? {} : { speedMinutes: c.speedMinutes }),
        breached: c.breached === true,
      });
    }
    return out;
  }

  /** One conditional update of a pending clock; false when it was no longer pending (or the extra condition failed). */
  private async update(
    clock: SlaClock,
    expression: string,
    extraCondition: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    const written = await conditionalWrite(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: slaClockItem.key(clock.leadId, clock.changeId),
          UpdateExpression: expression,
          ConditionExpression: `#status = :pending ${extraCondition}`.trim(),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending', ...values },
        }),
      ),
    );
    return written.ok;
  }
}

function toClock(c: ReturnType<typeof slaClockItem.fromItem>): SlaClock {
  return {
    leadId: c.leadId,
    changeId: c.changeId,
    ownerId: c.ownerId,
    territoryId: c.territoryId,
    assignedAt: c.assignedAt,
    ...(c.warnAt === undefined ? {} : { warnAt: c.warnAt }),
    dueAt: c.dueAt,
    warned: c.warned,
    reroutes: c.reroutes,
    previousOwners: c.previousOwners,
    policy: c.policy,
    routedLead: c.routedLead,
    status: c.status,
  };
}
