/**
 * The timeline page's reading fixes (issue 16, "Tried in Chromium as a data editor would"), in
 * Debian's Chromium against the real app, on the example (examples/us-china-2025.ndjson, imported
 * through the CLI as `npm run example` does: the opening in one request, the other 56
 * developments in one batch, so the false "90-day pause" report and its retraction are recorded
 * in the same millisecond).
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { describeInBrowser, launchChromium, watchedPage } from '../support/chromium';
import { RunningApp } from '../support/running-app';
import { axeViolations } from '../support/axe';
import { EXAMPLE, importExample, recordGenerated } from '../support/example';

jest.setTimeout(120_000);

const US_CN = 'us-china-2025';

const exampleLines = readFileSync(EXAMPLE, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map(
    (line) => JSON.parse(line) as { type: string; eventId: string; data: Record<string, unknown> },
  );
/** The false "90-day pause" report of 7 April and its retraction, one after the other in the batch. */
const PAUSE_REPORT = exampleLines.find(
  (d) => d.type === 'StatementMade' && d.data.speaker === 'Kevin Hassett',
)!.eventId;
const PAUSE_RETRACTION = exampleLines.find(
  (d) => d.type === 'DevelopmentRetracted' && d.data.targetEventId === PAUSE_REPORT,
)!.eventId;

type LogItem = { eventId: string; revision: number; recordedAt: string };

describeInBrowser('the timeline page, in Chromium: reading fixes (issue 16)', () => {
  let app: RunningApp;
  let browser: Browser;
  let log: LogItem[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await RunningApp.start();
    await importExample(app.baseUrl, US_CN);
    const answer = await fetch(
      `${app.baseUrl}/negotiations/${US_CN}/events?includeRetracted=true&limit=1000`,
    );
    log = ((await answer.json()) as { items: LogItem[] }).items;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
    pageErrors.length = 0;
  });

  /**
   * The page at `path`; `today` sets the browser's clock (the page's "today"), `expectedStatus`
   * lists the HTTP errors a test provokes on purpose.
   */
  async function open(
    path: string,
    {
      viewport = { width: 1280, height: 900 },
      today,
      expected = [],
    }: { viewport?: BrowserContextOptions['viewport']; today?: string; expected?: RegExp[] } = {},
  ): Promise<Page> {
    const page = await watchedPage(browser, pageErrors, {
      viewport,
      expectedFailure: (said) => expected.some((e) => e.test(said)),
    });
    if (today) await page.clock.setFixedTime(new Date(today));
    await page.goto(app.baseUrl + path);
    return page;
  }

  const statusSays = (page: Page, text: string) =>
    page.locator('#status', { hasText: text }).waitFor({ timeout: 10_000 });
  const total = (page: Page, key: string) => page.locator(`[data-pair="${key}"] .total-value`);

  describe('1. "As known on" offers the moments something was recorded', () => {
    let page: Page;
    beforeAll(async () => {
      page = await open(`/?negotiation=${US_CN}&asOf=2025-04-10`);
      await statusSays(page, 'end of 10 Apr 2025, as known now');
    });
    afterAll(() => page.context().close());

    it('switched on, it lands on the last moment something was recorded, to the millisecond, and empties nothing', async () => {
      const last = log
        .map((d) => d.recordedAt)
        .sort()
        .pop()!;
      await page.locator('#known-at-toggle').check();
      const iso = new Date(last).toISOString();
      await statusSays(page, `as known on ${Number(iso.slice(8, 10))} `);
      await expect(page.locator('#status').textContent()).resolves.toContain(
        `${iso.slice(11, 23)} UTC`,
      );
      await expect(total(page, 'US-CN').textContent()).resolves.toBe('145');
      await expect(page.locator('#known-at').inputValue()).resolves.toBe(
        iso.slice(0, 23).replace('T', ' '),
      );
      expect(new URL(page.url()).searchParams.get('knownAt')).toBe(iso);
    });

    it('offers every moment something was recorded, to the millisecond, latest first, with the revisions recorded then', async () => {
      const moments = [...new Set(log.map((d) => new Date(d.recordedAt).toISOString()))]
        .sort()
        .reverse();
      const offered = await page
        .locator('#known-at-moment option')
        .evaluateAll((options) =>
          options.map((o) => o.getAttribute('value') ?? '').filter(Boolean),
        );
      expect(offered).toEqual(moments);
      await expect(page.locator('#known-at-moment').inputValue()).resolves.toBe(moments[0]);
      const opening = log.find((d) => d.revision === 0)!;
      await expect(
        page
          .locator(`#known-at-moment option[value="${new Date(opening.recordedAt).toISOString()}"]`)
          .textContent(),
      ).resolves.toMatch(/\.\d{3} UTC: 1 development \(revision 0\)$/);
    });

    it('choosing the moment the negotiation was opened shows it known, with nothing else yet', async () => {
      const opening = new Date(log.find((d) => d.revision === 0)!.recordedAt).toISOString();
      await page.locator('#known-at-moment').selectOption(opening);
      await statusSays(page, `${opening.slice(11, 23)} UTC`);
      await expect(page.locator('#tariffs').textContent()).resolves.toContain('No tariff recorded');
      await expect(page.locator('#as-of-range').getAttribute('max')).resolves.not.toBe('0');
    });

    it('the report and its same-millisecond retraction are told apart by their revisions', async () => {
      await page.locator('#known-at-toggle').uncheck();
      await statusSays(page, 'as known now');
      await page.locator('#as-of-date').fill('2025-04-07');
      await statusSays(page, 'end of 7 Apr 2025');
      const report = log.find((d) => d.eventId === PAUSE_REPORT)!;
      const retraction = log.find((d) => d.eventId === PAUSE_RETRACTION)!;
      expect(report.recordedAt).toBe(retraction.recordedAt);
      const recorded = (id: string) =>
        page.locator(`#timeline [data-event-id="${id}"] .recorded`).textContent();
      const at = new Date(report.recordedAt).toISOString();
      await expect(recorded(PAUSE_REPORT)).resolves.toContain(
        `${at.slice(11, 23)} UTC (revision ${report.revision})`,
      );
      await expect(recorded(PAUSE_RETRACTION)).resolves.toContain(
        `${at.slice(11, 23)} UTC (revision ${retraction.revision})`,
      );
      expect(retraction.revision).toBe(report.revision + 1);
    });

    it('passes axe with the moments offered', async () => {
      await page.locator('#known-at-toggle').check();
      await statusSays(page, 'as known on');
      await expect(axeViolations(page)).resolves.toEqual([]);
    });
  });
  describe('2. typing a date in the date field', () => {
    it('typed digit by digit (04 04 2025), lands on 4 April 2025, not clamped to the first day on the first year digit', async () => {
      const page = await open(`/?negotiation=${US_CN}&asOf=2025-06-10`);
      await statusSays(page, 'end of 10 Jun 2025');
      await page.locator('#as-of-date').focus();
      // 4 April: the same typed in day-month-year and month-day-year order, whichever the browser shows.
      await page.keyboard.type('04042025', { delay: 30 });
      await statusSays(page, 'end of 4 Apr 2025');
      await expect(page.locator('#as-of-date').inputValue()).resolves.toBe('2025-04-04');
      // Fentanyl 20 alone: the 10% baseline came on 5 April.
      await expect(total(page, 'US-CN').textContent()).resolves.toBe('20');
      // Leaving the field keeps the day typed.
      await page.keyboard.press('Tab');
      await expect(page.locator('#as-of-date').inputValue()).resolves.toBe('2025-04-04');
      expect(new URL(page.url()).searchParams.get('asOf')).toBe('2025-04-04');
      await page.context().close();
    });
  });
  describe('3. today is marked and is where the page opens', () => {
    let page: Page;
    beforeAll(async () => {
      // The browser's clock on 1 June 2025: the example runs on to scheduled days after it
      // (the Geneva rate's reversion on 12 August 2025, the extensions' ends in November).
      page = await open(`/?negotiation=${US_CN}`, { today: '2025-06-01T12:00:00Z' });
      await statusSays(page, 'end of 1 Jun 2025');
    });
    afterAll(() => page.context().close());

    it('opens on today, says so and marks it under the slider; the span’s end is said to be to come', async () => {
      await expect(page.locator('#as-of-date').inputValue()).resolves.toBe('2025-06-01');
      await expect(page.locator('#status').textContent()).resolves.toContain('This is today.');
      await expect(page.locator('#range-today').textContent()).resolves.toBe('Today, 1 Jun 2025');
      await expect(page.locator('#range-today').isVisible()).resolves.toBe(true);
      await expect(page.locator('#range-end').textContent()).resolves.toMatch(
        /\(scheduled, to come\)$/,
      );
      // 10% (Geneva) + fentanyl 20 on 1 June 2025.
      await expect(total(page, 'US-CN').textContent()).resolves.toBe('30');
      // The reversion to 34% on 12 August is scheduled and after today: to come.
      await expect(
        page.locator('[data-pair="US-CN"] .scheduled li', { hasText: '12 Aug 2025' }).textContent(),
      ).resolves.toContain('to come');
    });

    it('a scheduled day after today is said to be still to come', async () => {
      await page.locator('#as-of-date').fill('2025-08-20');
      await statusSays(page, 'end of 20 Aug 2025');
      await expect(page.locator('#status').textContent()).resolves.toContain(
        '20 Aug 2025 is still to come: this is what is scheduled for it',
      );
    });

    it('"Latest" lands on today, never on the last scheduled day', async () => {
      await page.locator('#latest').click();
      await statusSays(page, 'end of 1 Jun 2025');
      await expect(page.locator('#as-of-date').inputValue()).resolves.toBe('2025-06-01');
      expect(new URL(page.url()).searchParams.get('asOf')).toBe('2025-06-01');
    });

    it('passes axe with today marked', async () => {
      await expect(axeViolations(page)).resolves.toEqual([]);
    });
  });
  describe('4. effective dates are steps of the slider and of Previous/Next', () => {
    let page: Page;
    /** The days something happened or took effect, as the page should step through them. */
    let changeDays: string[];
    beforeAll(async () => {
      const answer = await fetch(
        `${app.baseUrl}/negotiations/${US_CN}/events?includeRetracted=true&limit=1000`,
      );
      const items = (
        (await answer.json()) as {
          items: { occurredAt: string; retracted: boolean; data: Record<string, unknown> }[];
        }
      ).items;
      const days = new Set<string>();
      for (const d of items.filter((item) => !item.retracted))
        for (const t of [d.occurredAt, d.data.effectiveAt, d.data.until, d.data.scheduledFor])
          if (typeof t === 'string') days.add(t.slice(0, 10));
      changeDays = [...days].sort();
      page = await open(`/?negotiation=${US_CN}&asOf=2025-04-09`, {
        today: '2026-12-01T12:00:00Z',
      });
      await statusSays(page, 'end of 9 Apr 2025');
    });
    afterAll(() => page.context().close());

    it('"Next development" from 9 April 2025 reaches 10 April, when 145% took effect, though nothing was reported that day', async () => {
      expect(changeDays).toContain('2025-04-10');
      await page.locator('#next-development').click();
      await statusSays(page, 'end of 10 Apr 2025');
      await expect(total(page, 'US-CN').textContent()).resolves.toBe('145');
      await page.locator('#previous-development').click();
      await statusSays(page, 'end of 9 Apr 2025');
    });

    it('the slider stops on those days only: one key press goes to the next day something happened or took effect', async () => {
      await page.locator('#as-of-range').focus();
      await page.keyboard.press('ArrowRight');
      await statusSays(page, 'end of 10 Apr 2025');
      const next = changeDays.find((d) => d > '2025-04-10')!;
      await page.keyboard.press('ArrowRight');
      await expect(page.locator('#as-of-date').inputValue()).resolves.toBe(next);
      await expect(page.locator('#as-of-range').getAttribute('aria-valuetext')).resolves.toBe(
        `${Number(next.slice(8, 10))} ${new Date(`${next}T00:00:00Z`).toLocaleDateString('en-GB', { month: 'short', timeZone: 'UTC' })} ${next.slice(0, 4)}`,
      );
      const max = Number(await page.locator('#as-of-range').getAttribute('max'));
      expect(max + 1).toBeLessThanOrEqual(changeDays.length + 3);
      expect(max + 1).toBeGreaterThanOrEqual(changeDays.length);
    });
  });
  describe('5. a shared link to a negotiation not recorded here', () => {
    it('says so, shows no other negotiation, and loads one only when chosen', async () => {
      const asked: string[] = [];
      const page = await open(`/?negotiation=no-such-talks&asOf=2025-04-10`);
      page.on('request', (request) => asked.push(new URL(request.url()).pathname));
      const notice = page.locator('#notice');
      await notice.waitFor({ state: 'visible' });
      await expect(notice.textContent()).resolves.toContain('“no-such-talks”');
      await expect(page.locator('#negotiation').inputValue()).resolves.toBe('');
      await expect(page.locator('[data-pair]').count()).resolves.toBe(0);
      expect(asked.filter((path) => path.startsWith(`/negotiations/${US_CN}`))).toEqual([]);
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.locator('#negotiation').selectOption(US_CN);
      await statusSays(page, 'State of play');
      await expect(notice.isHidden()).resolves.toBe(true);
      await expect(page.locator('#negotiation option[value=""]').count()).resolves.toBe(0);
      await page.context().close();
    });
  });
  describe('6. readable measure names and one date format', () => {
    let page: Page;
    beforeAll(async () => {
      page = await open(`/?negotiation=${US_CN}&asOf=2025-04-10`);
      await statusSays(page, 'end of 10 Apr 2025');
    });
    afterAll(() => page.context().close());

    it('names measures in words, not slugs: "Fentanyl (IEEPA)", "Section 232 …"', async () => {
      const lines = await page.locator('[data-pair="US-CN"] .lines li .measure').allTextContents();
      expect(lines).toEqual(expect.arrayContaining(['Fentanyl (IEEPA)', 'Reciprocal']));
      // What the page shows of the record (the recording form's hints name slugs on purpose).
      const shown = await page.locator('#state, #deadlines, #timeline').allTextContents();
      expect(shown.join(' ')).not.toMatch(/fentanyl.ieepa/i);
      expect(shown.join(' ')).toContain('fentanyl (IEEPA)');
      await page.locator('#as-of-date').fill('2025-06-10');
      await statusSays(page, 'end of 10 Jun 2025');
      await expect(
        page
          .locator(
            '[data-pair="US-CN"] .lines li[data-measure="section-232-steel-aluminium"] .measure',
          )
          .textContent(),
      ).resolves.toBe('Section 232 steel aluminium');
    });

    it('"As known on" is read and shown in UTC to the millisecond, never in local 12-hour time; a moment it cannot read is said beside it', async () => {
      await page.locator('#known-at-toggle').check();
      await statusSays(page, 'as known on');
      const shown = await page.locator('#known-at').inputValue();
      expect(shown).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
      await page.locator('#known-at').fill('yesterday');
      await page.locator('#known-at').press('Enter');
      await page.locator('#known-at').dispatchEvent('change');
      await expect(page.locator('#known-at-error').textContent()).resolves.toContain(
        '“yesterday” is not a moment',
      );
      await expect(page.locator('#known-at').getAttribute('aria-invalid')).resolves.toBe('true');
      await page.locator('#known-at').fill(shown);
      await page.locator('#known-at').dispatchEvent('change');
      await expect(page.locator('#known-at-error').textContent()).resolves.toBe('');
      await page.locator('#known-at-toggle').uncheck();
      await statusSays(page, 'as known now');
    });

    it('writes every date it shows one way: "10 Jun 2025", times in UTC; no 06/10/2025, no AM/PM', async () => {
      const text = (await page.locator('body').innerText()) ?? '';
      expect(text).not.toMatch(/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/);
      expect(text).not.toMatch(/\b(AM|PM)\b/);
      expect(text).toMatch(/\b10 Jun 2025\b/);
    });
  });
  describe('7. the chart: readable ticks with years, values on hover and focus, a dated marker', () => {
    let page: Page;
    beforeAll(async () => {
      page = await open(`/?negotiation=${US_CN}&asOf=2025-04-10`);
      await statusSays(page, 'end of 10 Apr 2025');
      await page.locator('[data-pair="US-CN"] svg.step-chart').waitFor();
    });
    afterAll(() => page.context().close());
    const chart = () => page.locator('[data-pair="US-CN"] svg.step-chart');

    it('is drawn at its own size, not stretched: one unit of the drawing is one pixel', async () => {
      const box = await chart().boundingBox();
      const viewBox = (await chart().getAttribute('viewBox'))!.split(' ').map(Number);
      expect(box!.width / viewBox[2]!).toBeCloseTo(1, 1);
      expect(box!.height / viewBox[3]!).toBeCloseTo(1, 1);
      await expect(chart().getAttribute('preserveAspectRatio')).resolves.toBeNull();
      const fontSize = await page.evaluate<number>(
        `parseFloat(getComputedStyle(document.querySelector('[data-pair="US-CN"] svg.step-chart text.tick')).fontSize)`,
      );
      expect(fontSize).toBeGreaterThanOrEqual(12);
    });

    it('ticks the date axis with months and years', async () => {
      const ticks = await chart().locator('text.date-tick').allTextContents();
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      for (const tick of ticks)
        expect(tick).toMatch(/^((Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) )?\d{4}$/);
      expect(ticks).toContain('Jan 2026');
    });

    it('dates the marker and gives the level then', async () => {
      await expect(chart().locator('text.as-of-label').textContent()).resolves.toBe(
        '10 Apr 2025: 145%',
      );
    });

    it('gives a step’s value and date on keyboard focus and on hover', async () => {
      const step = chart().locator('.step-point[aria-label="145% from 10 Apr 2025 04:01 UTC"]');
      await expect(step.locator('.value').isVisible()).resolves.toBe(false);
      await step.focus();
      await expect(step.locator('.value').isVisible()).resolves.toBe(true);
      await expect(step.locator('.value').textContent()).resolves.toBe(
        '145% from 10 Apr 2025 04:01 UTC',
      );
      await page.locator('#status').focus();
      const other = chart().locator('.step-point').first();
      const dot = (await other.locator('circle.dot').boundingBox())!;
      await page.mouse.move(dot.x + dot.width / 2, dot.y + dot.height / 2);
      await expect(other.locator('.value').isVisible()).resolves.toBe(true);
    });

    it('passes axe', async () => {
      await expect(axeViolations(page)).resolves.toEqual([]);
    });
  });
  describe('8. a 5,000-development negotiation: lists page or collapse; the first load is small', () => {
    const LARGE = 'generated-5000';
    /** Every response of the first load: path and bytes of its body (uncompressed). */
    const responses: { url: string; bytes: number }[] = [];
    let page: Page;
    beforeAll(async () => {
      await recordGenerated(app, { events: 5000, seed: 16, negotiationId: LARGE });
      const context = await browser.newContext({
        timezoneId: 'UTC',
        viewport: { width: 1280, height: 900 },
        locale: 'en-GB',
      });
      page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('response', async (response) => {
        const body = await response.body().catch(() => Buffer.alloc(0));
        responses.push({ url: response.url(), bytes: body.length });
      });
      await page.goto(`${app.baseUrl}/?negotiation=${LARGE}`, { waitUntil: 'networkidle' });
      await statusSays(page, 'State of play');
      await page.waitForLoadState('networkidle');
    });
    afterAll(() => page?.context().close());

    it('fetches under 300 KB on the first load (every response counted, uncompressed), and not the log', () => {
      const total = responses.reduce((sum, r) => sum + r.bytes, 0);
      const byPath = responses.map(
        (r) => `${r.bytes} ${new URL(r.url).pathname}${new URL(r.url).search.slice(0, 60)}`,
      );
      console.log(
        `first load: ${total} bytes in ${responses.length} responses\n${byPath.join('\n')}`,
      );
      expect(total).toBeLessThan(300 * 1024);
      expect(responses.filter((r) => new URL(r.url).pathname.endsWith('/events'))).toEqual([]);
    });

    it('lists page or collapse: the agreements, asked once scrolled to, show 10 and a button for all', async () => {
      const state = (await (
        await fetch(
          `${app.baseUrl}/negotiations/${LARGE}/state?asOf=${await page.locator('#as-of-date').inputValue()}`,
        )
      ).json()) as { agreements: unknown[] };
      expect(state.agreements.length).toBeGreaterThan(10);
      await page.locator('#agreements').scrollIntoViewIfNeeded();
      const button = page.locator('#agreements button.show-all');
      await button.waitFor();
      await expect(page.locator('#agreements > ul > li').count()).resolves.toBe(10);
      await expect(button.textContent()).resolves.toBe(
        `Show all ${state.agreements.length} agreements`,
      );
      await expect(button.getAttribute('aria-expanded')).resolves.toBe('false');
      await button.click();
      await expect(page.locator('#agreements > ul > li').count()).resolves.toBe(
        state.agreements.length,
      );
      await expect(
        page.locator('#agreements button.show-all').getAttribute('aria-expanded'),
      ).resolves.toBe('true');
      const focused = await page.evaluate<string | null>(
        "document.activeElement?.getAttribute('data-list') ?? null",
      );
      expect(focused).toBe('agreements');
    });

    it('the developments are loaded when asked for', async () => {
      await page.locator('#load-developments').click();
      await page.locator('#timeline li.development').first().waitFor();
      await expect(page.locator('#timeline li.development').count()).resolves.toBeGreaterThan(10);
    });

    it('passes axe', async () => {
      await expect(axeViolations(page)).resolves.toEqual([]);
    });
  });

  describe('8. on a phone', () => {
    it('the state of play comes first: the first tariff figure is on the first screen', async () => {
      const page = await open(`/?negotiation=${US_CN}&asOf=2025-04-10`, {
        viewport: { width: 375, height: 740 },
      });
      await statusSays(page, 'end of 10 Apr 2025');
      const figure = await page.locator('.total-value').first().boundingBox();
      expect(figure!.y + figure!.height).toBeLessThan(740);
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await page.context().close();
    });
  });
  describe('the rest of the list: headline, chart tables, timeline days, since you last looked', () => {
    it('a headline total says the lines on selected goods it does not count (China on 10 March 2025: 0%, its lines all on selected goods)', async () => {
      const page = await open(`/?negotiation=${US_CN}&asOf=2025-03-10`);
      await statusSays(page, 'end of 10 Mar 2025');
      const card = page.locator('[data-pair="CN-US"]');
      const selected = await card.locator('.lines li.selected-goods').count();
      expect(selected).toBeGreaterThan(0);
      await expect(card.locator('.total-note').textContent()).resolves.toBe(
        ` (and ${selected} line${selected === 1 ? '' : 's'} on selected goods, not in this total)`,
      );
      await page.context().close();
    });

    it('an open chart table stays open, and the focus in it stays, when the day changes', async () => {
      const page = await open(`/?negotiation=${US_CN}&asOf=2025-04-10`);
      await statusSays(page, 'end of 10 Apr 2025');
      const summary = page.locator('[data-pair="US-CN"] .chart details summary');
      await summary.click();
      await page.locator('#next-development').click();
      await statusSays(page, 'end of 11 Apr 2025');
      await expect(
        page.locator('[data-pair="US-CN"] .chart details').getAttribute('open'),
      ).resolves.toBe('');
      await summary.focus();
      await page.evaluate("document.getElementById('next-development').click()");
      await statusSays(page, 'end of 1');
      await page.waitForFunction("!document.body.classList.contains('busy')");
      await expect(
        page.evaluate<boolean>(
          `document.activeElement?.matches('[data-pair="US-CN"] .chart details summary') === true`,
        ),
      ).resolves.toBe(true);
      await page.context().close();
    });

    it('a timeline item goes to its day', async () => {
      const page = await open(`/?negotiation=${US_CN}&asOf=2025-04-10`);
      await statusSays(page, 'end of 10 Apr 2025');
      await page.locator(`#timeline [data-event-id="${PAUSE_REPORT}"] button.go-to-day`).click();
      await statusSays(page, 'end of 7 Apr 2025');
      await expect(page.locator('#as-of-date').inputValue()).resolves.toBe('2025-04-07');
      await page.context().close();
    });

    it('"Since you last looked" lists the developments, and a reload keeps the visit it compares with', async () => {
      const page = await open(`/?negotiation=${US_CN}&asOf=2025-04-10`);
      await statusSays(page, 'end of 10 Apr 2025');
      await page.evaluate(
        "localStorage.setItem('parley:last-visit:us-china-2025', '2025-10-01T00:00:00.000Z')",
      );
      await page.reload();
      await page.locator('#since-body .since-developments li').first().waitFor();
      await expect(page.locator('#since-body').textContent()).resolves.toContain(
        'Your last visit: 1 Oct 2025',
      );
      const listed = await page.locator('#since-body .since-developments li').count();
      expect(listed).toBeGreaterThan(0);
      await page.reload();
      await page.locator('#since-body .since-developments li').first().waitFor();
      await expect(page.locator('#since-body').textContent()).resolves.toContain(
        'Your last visit: 1 Oct 2025',
      );
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.context().close();
    });
  });
  describe('the talks panel', () => {
    it('says when talks began: no round before the April embassy talks, then "April 2025" (the first round, known by month)', async () => {
      const page = await open(`/?negotiation=${US_CN}&asOf=2025-03-10`);
      await statusSays(page, 'end of 10 Mar 2025');
      await expect(page.locator('#talks .talks-began').textContent()).resolves.toBe(
        'no round held yet',
      );
      await page.locator('#as-of-date').fill('2025-06-10');
      await statusSays(page, 'end of 10 Jun 2025');
      await expect(page.locator('#talks .talks-began').textContent()).resolves.toBe('April 2025');
      await page.context().close();
    });
  });
  describe('layout shift', () => {
    it('loading the page for a returning reader shifts its layout little (cumulative layout shift under 0.1 on a desktop)', async () => {
      const context = await browser.newContext({
        timezoneId: 'UTC',
        viewport: { width: 1280, height: 900 },
        locale: 'en-GB',
      });
      const page = await context.newPage();
      // A returning reader ("Since you last looked" has something to say); the shifts summed
      // as they come (PerformanceObserver, layout-shift entries without recent input).
      await page.addInitScript(
        "localStorage.setItem('parley:last-visit:us-china-2025', '2025-04-01T00:00:00.000Z');" +
          'window.cls = 0; new PerformanceObserver((list) => { for (const e of list.getEntries()) ' +
          "if (!e.hadRecentInput) window.cls += e.value; }).observe({ type: 'layout-shift', buffered: true });",
      );
      await page.goto(`${app.baseUrl}/?negotiation=${US_CN}&asOf=2025-04-10`, {
        waitUntil: 'networkidle',
      });
      await statusSays(page, 'end of 10 Apr 2025');
      await page.waitForTimeout(500);
      const cls = await page.evaluate<number>('window.cls');
      console.log(`cumulative layout shift: ${cls}`);
      expect(cls).toBeLessThan(0.1);
      await context.close();
    });
  });
});
