import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium; .ci/run installs it). Never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, and quiet on a machine with no network but loopback. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless; without it a browser test fails loudly, saying how to install it. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium; .ci/run does it), ` +
        'or set PARLEY_SKIP_BROWSER_TESTS=1 to skip this test',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/**
 * `describe` for browser tests. Without Chromium they fail loudly, unless
 * PARLEY_SKIP_BROWSER_TESTS=1 asks to skip them: then one plain line says what was skipped.
 */
export function describeInBrowser(name: string, tests: () => void): void {
  if (!existsSync(CHROMIUM) && process.env.PARLEY_SKIP_BROWSER_TESTS === '1') {
    console.log(`SKIPPED ${name}: ${CHROMIUM} is missing (PARLEY_SKIP_BROWSER_TESTS=1)`);
    describe.skip(name, tests);
    return;
  }
  describe(name, tests);
}
