import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless, with everything that would reach for the network turned off
 * (this machine has none beyond loopback; without these flags Chromium keeps retrying).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
