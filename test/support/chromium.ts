import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium: browser downloads are not reachable here. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

// On a laptop without chromium the browser suites are skipped; in CI a missing browser fails them.
export const describeInBrowser =
  hasChromium || process.env.CI === 'true' ? describe : describe.skip;

export function launchChromium(): Promise<Browser> {
  if (!hasChromium) {
    throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (.ci/run does).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30_000,
    // Without the background-networking flags Chromium keeps dialling Google's hosts, which
    // this machine's closed network refuses.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}
