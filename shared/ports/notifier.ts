/** Messages to people (Slack in AWS, the console locally). */
export interface Notification {
  /** Plain text, a few lines; never lead records. */
  text: string;
  /** Slack Block Kit layout (buttons, sections); `text` stays the fallback other channels print. */
  blocks?: ReadonlyArray<Record<string, unknown>>;
}

export interface Notifier {
  notify(message: Notification): Promise<void>;
}
