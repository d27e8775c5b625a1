import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Custom metrics the functions publish with Powertools (embedded metric format). */
export const METRICS_NAMESPACE = 'TerritoryRouter';

/**
 * One SNS topic for every alarm, and helpers so each capability states what must never go
 * unnoticed: function errors and throttles, messages in a DLQ, an ageing outbox, failed writes.
 */
export class Observability extends Construct {
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: { alarmEmail?: string | undefined }) {
    super(scope, id);
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Territory Router alarms',
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
  }

  functionAlarms(fn: IFunction, name: string): void {
    this.alarm(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(5) }), 1, `${name} threw errors`);
    this.alarm(
      `${name}Throttles`,
      fn.metricThrottles({ period: Duration.minutes(5) }),
      1,
      `${name} was throttled`,
    );
  }

  dlqAlarm(queue: IQueue, name: string): void {
    this.alarm(
      `${name}Depth`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      1,
      `${name} holds failed batches: inspect and redrive`,
    );
  }

  /** A custom metric from METRICS_NAMESPACE (service dimension as Powertools publishes it). */
  customMetric(metricName: string, statistic: 'Maximum' | 'Sum'): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: 'territory-router' },
      statistic,
      period: Duration.minutes(5),
    });
  }

  alarm(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    return alarm;
  }
}
