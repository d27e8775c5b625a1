import { describe, expect, it } from 'vitest';
import {
  ConsoleNotifier,
  notifierFor,
  SlackWebhookNotifier,
} from '../../../shared/adapters/slack/notifier.js';

describe('notifierFor', () => {
  it('posts to Slack only for an https webhook URL', () => {
    expect(notifierFor('https://hooks.slack.com/services/T/B/x')).toBeInstanceOf(SlackWebhookNotifier);
  });

  it.each([
    ['no URL', undefined],
    ["the deployed secret's generated placeholder", 'q8Zk3LxV0pR7'],
    ['a plain-http URL', 'http://hooks.slack.com/services/T/B/x'],
  ])('prints to the console with %s', (_name, url) => {
    expect(notifierFor(url)).toBeInstanceOf(ConsoleNotifier);
  });
});
