import { existsSync } from 'node:fs';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
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

export interface WatchedPageOptions extends Pick<
  BrowserContextOptions,
  'viewport' | 'acceptDownloads'
> {
  /** Playwright's default timeout for the page's waits (10 s unless told). */
  timeout?: number;
  /** Whether answers of 400 or more count as errors (yes unless told). */
  watchAnswers?: boolean;
  /** An answer of 400 or more the test expects (`"404 http://…"`), not counted as an error. */
  expectedFailure?: (said: string) => boolean;
}

/**
 * A new page as a reader in London sees it (UTC, en-GB, 1280×900 unless told) whose errors are
 * pushed onto `errors`: uncaught ones, console errors, and answers of 400 or more. Chromium also
 * logs each failed request as a console error ("Failed to load resource"): those are counted by
 * their answer instead, so that an expected failure can be let through.
 */
export async function watchedPage(
  browser: Browser,
  errors: string[],
  options: WatchedPageOptions = {},
): Promise<Page> {
  const { timeout = 10_000, watchAnswers = true, expectedFailure, ...context } = options;
  const page = await (
    await browser.newContext({
      timezoneId: 'UTC',
      locale: 'en-GB',
      viewport: { width: 1280, height: 900 },
      ...context,
    })
  ).newPage();
  page.setDefaultTimeout(timeout);
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  if (watchAnswers) {
    page.on('response', (response) => {
      const said = `${response.status()} ${response.url()}`;
      if (response.status() >= 400 && !expectedFailure?.(said)) errors.push(said);
    });
  }
  return page;
}
