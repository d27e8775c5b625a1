import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ReassignmentWorkflow, TaskTokens } from '../../ports/reassignment.js';

/** The task is over (timed out, execution stopped or already answered): nothing left to tell it. */
const TASK_GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** Step Functions callbacks; SendTaskFailure's `cause` is capped at 32,768 characters. */
export class SfnTaskTokens implements TaskTokens {
  constructor(private readonly client: SFNClient = new SFNClient({})) {}

  async succeed(taskToken: string, output: Record<string, unknown>): Promise<void> {
    await this.ignoringGone(() =>
      this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    await this.ignoringGone(() =>
      this.client.send(new SendTaskFailureCommand({ taskToken, error, cause: cause.slice(0, 32_000) })),
    );
  }

  async heartbeat(taskToken: string): Promise<boolean> {
    return this.ignoringGone(async () => {
      await this.client.send(new SendTaskHeartbeatCommand({ taskToken }));
    });
  }

  private async ignoringGone(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (TASK_GONE.has((error as { name?: string }).name ?? '')) return false;
      throw error;
    }
  }
}

/** One execution per request, named by the request id, so a repeated start is a no-op. */
export class SfnReassignmentWorkflow implements ReassignmentWorkflow {
  constructor(
    private readonly stateMachineArn: string,
    private readonly client: SFNClient = new SFNClient({}),
  ) {}

  async start(requestId: string): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: requestId,
          input: JSON.stringify({ requestId }),
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
    }
  }
}
