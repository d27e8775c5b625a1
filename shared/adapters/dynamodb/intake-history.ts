import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Lead } from '../../domain/territory/lead.js';
import type { IntakeHistory } from '../../ports/intake-history.js';
import { auditItem } from './items.js';
import { gsi1 } from './keys.js';
import { queryItems } from './query.js';

/** Intake's audit records by time (GSI1 `AUDIT#intake`), newest window first read oldest-first. */
export class DynamoIntakeHistory implements IntakeHistory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async routedLeads({ since, limit }: { since: Date; limit: number }): Promise<Lead[]> {
    const leads: Lead[] = [];
    const seen = new Set<string>();
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK >= :since',
      ExpressionAttributeValues: {
        ':pk': gsi1.auditBySource('intake', '', '').GSI1PK,
        ':since': since.toISOString(),
      },
    })) {
      const { recordId, routedLead } = auditItem.fromItem(item);
      // A lead routed twice (default owner, then a top-up) is one lead to replay.
      if (!routedLead || seen.has(recordId)) continue;
      seen.add(recordId);
      leads.push({ ...routedLead, Id: recordId });
      if (leads.length >= limit) break;
    }
    return leads;
  }
}
