/**
 * The timeline page in a real browser: Debian's Chromium, headless, driven by playwright-core,
 * against the real app loaded with the example (examples/us-china-2025.ndjson, through the CLI
 * as `npm run example` does it).
 *
 * Expected levels, from ../shared/fixtures/us-china-2025-facts.md and the example's data:
 * - 9 April 2025 (end of day): US on CN = fentanyl 20 + reciprocal 84 (in force 04:01Z on 9 April;
 *   the 125% announced that day applies from 04:01Z on 10 April, so it is only scheduled) = 104.
 *   CN on US = 0 on all goods: its 34% and 84% both start on 10 April (scheduled); the February
 *   and March lines cover selected goods only and are not in the total.
 * - 10 April 2025 (a date-only asOf is the END of the day, CONTRACT.md): US on CN = 20 + 125 = 145;
 *   CN on US = 84 (12:01 Beijing time = 04:01Z on 10 April, later than the 34% of that day).
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RecordingClock, SqliteEventStore } from '@parley/event-store';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../apps/api/src/app.factory';
import { describeInBrowser, launchChromium, watchedPage } from '../support/chromium';
import { checkedFetch as fetch } from '../support/documented-answers';
import { EXAMPLE, importExample } from '../support/example';

const NEGOTIATION = 'us-china-2025';

/** The example's developments, to find the ones the test refers to by what they say. */
const exampleLines = readFileSync(EXAMPLE, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map(
    (line) => JSON.parse(line) as { type: string; eventId?: string; data: Record<string, unknown> },
  );
const eventIdOf = (predicate: (d: (typeof exampleLines)[number]) => boolean): string => {
  const found = exampleLines.find(predicate);
  if (!found?.eventId) throw new Error('the example lacks a development this test relies on');
  return found.eventId;
};
/** The false "90-day pause" report of 7 April, retracted in the example itself. */
const PAUSE_REPORT = eventIdOf(
  (d) => d.type === 'StatementMade' && d.data.speaker === 'Kevin Hassett',
);
/** China's 84% of 9 April, which this test retracts later to see "as known on" at work. */
const CN_84 = eventIdOf(
  (d) => d.type === 'TariffChanged' && d.data.imposedBy === 'CN' && d.data.rate === 84,
);

/** The April embassy talks (contract v1.1): dated 2025-04, disputed by China on 24 April. */
const APRIL_TALKS = eventIdOf(
  (d) => d.type === 'TalksHeld' && (d as { occurredAt?: string }).occurredAt === '2025-04',
);
/** Trump's threat of 10 October 2025: 100% from 1 November, withdrawn on 30 October. */
const THREAT_100 = eventIdOf(
  (d) =>
    d.type === 'TariffChanged' &&
    (d as { modality?: string }).modality === 'threatened' &&
    d.data.rate === 100,
);

jest.setTimeout(90_000);

describeInBrowser('the timeline page, in Chromium, on the example', () => {
  let dir: string;
  let app: NestFastifyApplication;
  let baseUrl: string;
  let browser: Browser;
  /** The tracker's clock for recordedAt: the example is recorded on 1 December 2025. */
  let storeNow = new Date('2025-12-01T00:00:00.000Z');
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-ui-'));
    const dbPath = join(dir, 'parley.db');
    const store = new SqliteEventStore({
      path: dbPath,
      clock: new RecordingClock({
        wall: () => storeNow.getTime(),
        monotonic: () => storeNow.getTime(),
        log: () => undefined,
      }),
    });
    app = await createApp({
      config: { port: 0, host: '127.0.0.1', store: { kind: 'sqlite', path: dbPath } },
      store,
      logger: ['error'],
    });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    await importExample(baseUrl, NEGOTIATION);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
    pageErrors.length = 0;
  });

  async function openPage(path = '/', viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await watchedPage(browser, pageErrors, {
      viewport,
      timeout: 30_000, // Playwright's own default, which these tests have always had
      // The one expected failure: a state asked "as known" before anything was recorded (404).
      expectedFailure: (said) =>
        said.startsWith('404 ') &&
        new URL(said.slice(4)).searchParams.get('knownAt')?.startsWith('2025-06-01') === true,
    });
    await page.goto(baseUrl + path);
    await page.locator('[data-pair="US-CN"] .total-value').waitFor();
    return page;
  }

  const total = (page: Page, pair: string) => page.locator(`[data-pair="${pair}"] .total-value`);
  const statusSays = (page: Page, text: string) =>
    page.locator('#status', { hasText: text }).waitFor({ timeout: 10_000 });
  const development = (page: Page, eventId: string) =>
    page.locator(`li.development[data-event-id="${eventId}"]`);

  describe('replaying to a day', () => {
    let page: Page;
    beforeAll(async () => {
      page = await openPage();
    });
    afterAll(() => page.context().close());

    it('offers the example negotiation', async () => {
      await expect(page.locator('#negotiation option:checked').textContent()).resolves.toContain(
        'US–China trade and fentanyl talks, 2025',
      );
    });

    it('on 9 April 2025 shows the US at 104% on China and China at 0% on all US goods, its 84% scheduled', async () => {
      await page.locator('#as-of-date').fill('2025-04-09');
      await statusSays(page, 'end of 9 Apr 2025');
      await expect(total(page, 'US-CN').textContent()).resolves.toBe('104');
      await expect(total(page, 'CN-US').textContent()).resolves.toBe('0');
      await expect(page.locator('[data-pair="CN-US"] .scheduled').textContent()).resolves.toContain(
        'retaliation 84%',
      );
    });

    it('moved one day on with the keyboard, on 10 April 2025 shows 145% and 84%', async () => {
      await page.locator('#as-of-range').focus();
      await page.keyboard.press('ArrowRight');
      await statusSays(page, 'end of 10 Apr 2025');
      await expect(page.locator('#as-of-date').inputValue()).resolves.toBe('2025-04-10');
      await expect(total(page, 'US-CN').textContent()).resolves.toBe('145');
      await expect(total(page, 'CN-US').textContent()).resolves.toBe('84');
      const usLines = await page.locator('[data-pair="US-CN"] .lines li').allTextContents();
      expect(usLines.join(' | ')).toMatch(/Fentanyl \(IEEPA\) 20%.*Reciprocal 125%/);
    });

    it('draws each pair’s total over time as a step chart, marked at the chosen day', async () => {
      const chart = page.locator('[data-pair="US-CN"] svg.step-chart');
      await chart.waitFor();
      await expect(chart.locator('desc').textContent()).resolves.toContain(
        '145% from 10 Apr 2025 04:01 UTC',
      );
      await expect(chart.locator('line.as-of').count()).resolves.toBe(1);
    });

    it('lists the developments up to that day with their source and attribution', async () => {
      const item = page.locator('li.development', {
        hasText: 'US raises the reciprocal tariff on Chinese goods to 125%',
      });
      await expect(item.locator('.source').textContent()).resolves.toMatch(
        /The White House, Executive Order 14266 · document/,
      );
      await expect(page.locator('li.development', { hasText: 'Geneva' }).count()).resolves.toBe(0);
    });

    it('strikes through the retracted "90-day pause" report and says why', async () => {
      const item = development(page, PAUSE_REPORT);
      await expect(item.getAttribute('class')).resolves.toContain('retracted');
      const decoration = await page.evaluate<string>(
        `getComputedStyle(document.querySelector('li[data-event-id="${PAUSE_REPORT}"] .summary del')).textDecorationLine`,
      );
      expect(decoration).toContain('line-through');
      await expect(item.locator('.retraction-note').textContent()).resolves.toContain('fake news');
    });

    it('labels every control', async () => {
      // Browser-side code as a string: this file is type-checked without the DOM library.
      const unlabelled = await page.evaluate<string[]>(`
        [...document.querySelectorAll('input, select, button')]
          .filter((el) => !(el.labels && el.labels.length > 0) && !el.getAttribute('aria-label') && !el.textContent.trim())
          .map((el) => el.outerHTML)
      `);
      expect(unlabelled).toEqual([]);
    });
  });

  describe('contract v1.1 on the example: threats, rough dates, evidence', () => {
    let page: Page;
    beforeAll(async () => {
      page = await openPage(`/?negotiation=${NEGOTIATION}&asOf=2025-10-15`);
      await statusSays(page, 'end of 15 Oct 2025');
    });
    afterAll(() => page.context().close());

    it('on 15 October 2025 lists the 100% threat under Threatened, not scheduled, the total still 30', async () => {
      const pair = page.locator('[data-pair="US-CN"]');
      await expect(pair.locator('.total-value').textContent()).resolves.toBe('30');
      await expect(
        pair.locator(`.not-decided.threatened li[data-event-id="${THREAT_100}"]`).textContent(),
      ).resolves.toContain('Threat 100 100% on all goods from 1 Nov 2025');
      await expect(pair.locator('.scheduled li', { hasText: 'threat' }).count()).resolves.toBe(0);
    });

    it('on 31 October 2025, after it was withdrawn, lists no threat', async () => {
      await page.locator('#as-of-date').fill('2025-10-31');
      await statusSays(page, 'end of 31 Oct 2025');
      await expect(page.locator('[data-pair="US-CN"] .not-decided').count()).resolves.toBe(0);
      await expect(
        development(page, THREAT_100).locator('.badge.modality').textContent(),
      ).resolves.toBe('Threatened');
    });

    it('dates the April embassy talks "April 2025" and shows them disputed by China', async () => {
      const talks = development(page, APRIL_TALKS);
      await expect(talks.locator('time').textContent()).resolves.toBe('April 2025');
      await expect(talks.locator('.evidence').getAttribute('data-evidence')).resolves.toBe(
        'disputed',
      );
      await expect(talks.locator('.evidence').textContent()).resolves.toContain(
        'disputed by China',
      );
    });

    it('shows the Wang visit as under consideration, not as an open proposal', async () => {
      await expect(
        page.locator('#proposals .not-decided.considered li[data-proposal="wang-visit"]').count(),
      ).resolves.toBe(1);
    });
  });

  describe('after a later retraction, "as known on" shows what was believed before it', () => {
    let page: Page;
    beforeAll(async () => {
      storeNow = new Date('2025-12-02T00:00:00.000Z');
      const answer = await fetch(`${baseUrl}/negotiations/${NEGOTIATION}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'DevelopmentRetracted',
          occurredAt: '2025-04-10',
          data: { targetEventId: CN_84, reason: 'Test: suppose the 84% report had been wrong' },
        }),
      });
      expect(answer.status).toBe(201);
      page = await openPage(`/?negotiation=${NEGOTIATION}&asOf=2025-04-10`);
      await statusSays(page, 'end of 10 Apr 2025, as known now');
    });
    afterAll(() => page.context().close());

    it('as known now: China’s level falls back to its 34% and the 84% report is struck through', async () => {
      await expect(total(page, 'CN-US').textContent()).resolves.toBe('34');
      await expect(development(page, CN_84).getAttribute('class')).resolves.toContain('retracted');
      await expect(development(page, CN_84).locator('del').count()).resolves.toBeGreaterThan(0);
    });

    it('as known on 1 December 2025, before the retraction: 84% and not struck through', async () => {
      await page.locator('#known-at-toggle').check();
      await page.locator('#known-at').fill('2025-12-01T12:00:00');
      await page.locator('#known-at').dispatchEvent('change');
      await statusSays(page, 'as known on 1 Dec 2025 12:00:00.000 UTC');
      await expect(total(page, 'CN-US').textContent()).resolves.toBe('84');
      await expect(total(page, 'US-CN').textContent()).resolves.toBe('145');
      await expect(development(page, CN_84).getAttribute('class')).resolves.not.toContain(
        'retracted',
      );
      await expect(development(page, CN_84).locator('del').count()).resolves.toBe(0);
      expect(new URL(page.url()).searchParams.get('knownAt')).toBe('2025-12-01T12:00:00.000Z');
    });

    it('switched off again: back to what is known now', async () => {
      await page.locator('#known-at-toggle').uncheck();
      await statusSays(page, 'as known now');
      await expect(total(page, 'CN-US').textContent()).resolves.toBe('34');
    });

    it('as known before anything was recorded: says so instead of showing a state', async () => {
      await page.locator('#known-at-toggle').check();
      await page.locator('#known-at').fill('2025-06-01T00:00:00');
      await page.locator('#known-at').dispatchEvent('change');
      await statusSays(page, 'Nothing about this negotiation had been recorded by 1 Jun 2025');
      await expect(page.locator('#tariffs').textContent()).resolves.toContain('No tariff recorded');
    });
  });

  describe('since you last looked', () => {
    it('says what changed since the visit remembered in this browser', async () => {
      const first = await openPage(`/?negotiation=${NEGOTIATION}`);
      await expect(first.locator('#since-body').textContent()).resolves.toContain('first visit');
      // Pretend the last visit was on 1 May 2025.
      await first.evaluate(
        "localStorage.setItem('parley:last-visit:us-china-2025', '2025-05-01T00:00:00.000Z')",
      );
      await first.reload();
      const since = first.locator('#since-body');
      await since.locator('.changes').waitFor();
      const text = (await since.textContent()) ?? '';
      expect(text).toContain('Your last visit: 1 May 2025');
      // Now, as the page asks: fentanyl 10 + reciprocal 10 from 10 November 2025, and the
      // reciprocal back to 34 from 05:01Z on 10 November 2026 (the 4 November extension's expiry).
      const usNow = Date.now() >= Date.parse('2026-11-10T05:01:00Z') ? 44 : 20;
      expect(text).toContain(`United States on China: 145% → ${usNow}%`);
      expect(text).toContain('Talks: stalled → agreement reached');
      expect(text).toMatch(/Recorded since, about earlier dates/);
      await first.context().close();
    });
  });

  describe('on a phone', () => {
    it('fits the screen without scrolling sideways and keeps the controls usable', async () => {
      const page = await openPage(`/?negotiation=${NEGOTIATION}&asOf=2025-04-10`, {
        width: 375,
        height: 740,
      });
      await statusSays(page, 'end of 10 Apr 2025');
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
      const slider = await page.locator('#as-of-range').boundingBox();
      expect(slider?.width).toBeGreaterThan(250);
      await page.context().close();
    });
  });
});
