import type { Notification, Notifier } from '../../ports/notifier.js';
import { SlackNotifyError } from './notifier.js';

const TIMEOUT_MS = 5000;

/**
 * Messages through `chat.postMessage` with a bot token (needed for interactive buttons to reach
 * this app); unfurling off, like the webhook notifier.
 */
export class SlackChatNotifier implements Notifier {
  constructor(
    private readonly token: () => string,
    private readonly channel: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async notify(message: Notification): Promise<void> {
    const response = await this.fetchFn('https://slack.com/api/chat.postMessage', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${this.token()}` },
      body: JSON.stringify({
        channel: this.channel,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks } : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // The Web API answers 200 with `ok: false` on errors.
    const body = (await response.json().catch(() => ({}))) as { ok?: boolean; error?: string };
    if (!response.ok || body.ok !== true) {
      throw new SlackNotifyError(`chat.postMessage failed: ${response.status} ${body.error ?? ''}`.trim());
    }
  }
}
