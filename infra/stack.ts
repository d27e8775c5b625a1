import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RoutingTable } from './constructs/table.js';

/** One stack, one construct per capability. */
export class TerritoryRouterStack extends Stack {
  readonly routingTable: RoutingTable;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.routingTable = new RoutingTable(this, 'RoutingTable');
  }
}
