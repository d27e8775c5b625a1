import type { Notification, Notifier } from '../../ports/notifier.js';

/** Slack answers within a few seconds or not at all; a run must not hang on it. */
const TIMEOUT_MS = 5000;

export class SlackNotifyError extends Error {
  override name = 'SlackNotifyError';
}

/**
 * Messages to a Slack incoming webhook. Link previews are off: Slack's unfurler fetches every
 * posted URL, and nothing we post should be fetched on our behalf.
 */
export class SlackWebhookNotifier implements Notifier {
  constructor(
    private readonly webhookUrl: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async notify(message: Notification): Promise<void> {
    const response = await this.fetchFn(this.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks } : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new SlackNotifyError(
        `Slack webhook answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
      );
    }
  }
}

/** Locally (no webhook configured) messages go to the console, as the README promises. */
export class ConsoleNotifier implements Notifier {
  constructor(private readonly write: (line: string) => void = (line) => console.log(line)) {}

  async notify(message: Notification): Promise<void> {
    this.write(`[slack] ${message.text.replace(/\n/g, '\n        ')}`);
  }
}

/** Slack when a webhook URL is configured, else the console. */
export function notifierFor(webhookUrl: string | undefined, write?: (line: string) => void): Notifier {
  // The deployed secret starts as a placeholder until someone stores a real webhook in it.
  return webhookUrl?.startsWith('https://')
    ? new SlackWebhookNotifier(webhookUrl)
    : new ConsoleNotifier(write);
}
