/**
 * Issue 16, "CSV": a download link beside each table and chart of the page, in Debian's Chromium,
 * on the example (examples/us-china-2025.ndjson, imported through the CLI as `npm run example`
 * does). Each link is clicked (or activated with the keyboard), the file Chromium saves is read
 * and parsed with csv-parse (an independent reader), and its rows are checked against what the
 * page shows: 12 April 2025, US on China 145 in total, 20 on smartphones (8517.13; the
 * reciprocal line excludes them), from ../shared/fixtures/us-china-2025-facts.md.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Locator, Page } from 'playwright-core';
import { describeInBrowser, launchChromium, watchedPage } from '../support/chromium';
import { RunningApp } from '../support/running-app';
import { axeViolations } from '../support/axe';
import { importExample, recordGenerated } from '../support/example';

jest.setTimeout(90_000);

const US_CN = 'us-china-2025';

type Row = Record<string, string>;

/** What a click (or Enter) on a download link saved: the file's suggested name and its rows. */
async function download(
  page: Page,
  activate: () => Promise<void>,
): Promise<{ name: string; text: string; rows: Row[] }> {
  const [saved] = await Promise.all([page.waitForEvent('download'), activate()]);
  const path = await saved.path();
  const text = readFileSync(path, 'utf8');
  return {
    name: saved.suggestedFilename(),
    text,
    rows: parse<Row>(text, { columns: true, record_delimiter: '\r\n' }),
  };
}

const query = async (link: Locator) =>
  Object.fromEntries(new URL((await link.getAttribute('href'))!, 'http://page').searchParams);

describeInBrowser('CSV downloads from the page, in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await RunningApp.start();
    await importExample(app.baseUrl, US_CN);
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

  async function open(path: string, statusText: string): Promise<Page> {
    const page = await watchedPage(browser, pageErrors, { acceptDownloads: true });
    await page.goto(app.baseUrl + path);
    await page.locator('#status', { hasText: statusText }).waitFor();
    return page;
  }

  describe('the timeline page on 12 April 2025, product 8517.13', () => {
    let page: Page;
    beforeAll(async () => {
      page = await open(
        `/?negotiation=${US_CN}&asOf=2025-04-12&product=8517.13`,
        'rates for product 8517.13',
      );
    });
    afterAll(() => page.context().close());

    it('the tariffs: the link says the day and product; the file, clicked, holds US on China 145 and 20 for the product, as the page shows', async () => {
      const link = page.getByRole('link', {
        name: 'Download CSV of the tariffs on 12 Apr 2025, with the rate of product 8517.13',
      });
      await expect(query(link)).resolves.toEqual({
        asOf: '2025-04-12',
        product: '8517.13',
        format: 'csv',
      });
      const file = await download(page, () => link.click());
      expect(file.name).toBe(`${US_CN}-tariffs.csv`);
      const usCn = file.rows.filter((r) => r.imposedBy === 'US' && r.appliedTo === 'CN');
      const shownTotal = await page.locator('[data-pair="US-CN"] .total-value').textContent();
      const shownProduct = await page
        .locator('[data-pair="US-CN"] .applicable-value')
        .textContent();
      expect(shownTotal).toBe('145');
      expect(usCn.length).toBeGreaterThan(0);
      for (const row of usCn) {
        expect(row.total).toBe(shownTotal);
        expect(row.product).toBe('8517.13');
        expect(row.productRate).toBe(shownProduct);
      }
      // The lines in force, as listed on the page (fentanyl and the reciprocal line among them).
      const inForce = usCn.filter((r) => r.list === 'measures').map((r) => r.measure);
      const shownLines = await page
        .locator('[data-pair="US-CN"] .lines li')
        .evaluateAll((items) => items.map((li) => li.getAttribute('data-measure')));
      expect(inForce.sort()).toEqual([...shownLines].sort());
      expect(inForce).toEqual(expect.arrayContaining(['fentanyl-ieepa', 'reciprocal']));
    });

    it('each chart: a link under it whose file has one row per step the chart draws, with the same totals', async () => {
      const chartLink = page.getByRole('link', {
        name: 'Download CSV of the chart: the total of United States on China over time, with the rate of product 8517.13',
      });
      await expect(query(chartLink)).resolves.toEqual({
        imposedBy: 'US',
        appliedTo: 'CN',
        product: '8517.13',
        format: 'csv',
      });
      await page.locator('[data-chart="US-CN"] .step-point').first().waitFor();
      const drawn = await page
        .locator('[data-chart="US-CN"] .step-point')
        .evaluateAll((points) => points.map((p) => p.getAttribute('aria-label')));
      const file = await download(page, () => chartLink.click());
      expect(file.name).toBe(`${US_CN}-tariff-history.csv`);
      expect(file.rows.map((r) => `${r.total}%`)).toEqual(drawn.map((d) => d!.split(' ')[0]));
      expect(file.rows.find((r) => r.at === '2025-04-10T04:01:00.000Z')?.total).toBe('145');
      expect(new Set(file.rows.map((r) => r.product))).toEqual(new Set(['8517.13']));
      // One link under each pair's chart.
      expect(await page.locator('.pair a[download]').count()).toBe(
        await page.locator('.pair').count(),
      );
    });

    it('Coming up: reached with Tab and saved with Enter; its rows are the list’s items, in order', async () => {
      const link = page.getByRole('link', {
        name: 'Download CSV of what is coming up after 12 Apr 2025',
      });
      await expect(query(link)).resolves.toEqual({ asOf: '2025-04-12', format: 'csv' });
      // Keyboard: from the control before it, Tab lands on the link; Enter downloads.
      await page.locator('#product-apply').focus();
      let tabs = 0;
      while (
        !(await page.evaluate<boolean>(
          "document.activeElement?.closest('#deadlines-csv')?.tagName === 'DIV'",
        )) &&
        tabs++ < 40
      )
        await page.keyboard.press('Tab');
      expect(tabs).toBeLessThan(40);
      const file = await download(page, () => page.keyboard.press('Enter'));
      expect(file.name).toBe(`${US_CN}-deadlines.csv`);
      const shown = await page
        .locator('#deadlines li')
        .evaluateAll((items) =>
          items.map((li) => `${li.getAttribute('data-at')} ${li.getAttribute('data-kind')}`),
        );
      expect(shown.length).toBeGreaterThan(0);
      expect(file.rows.map((r) => `${r.at} ${r.kind}`)).toEqual(shown);
    });

    it('the log: its first page of 1,000 (every development of the example), retracted reports included, oldest first', async () => {
      const link = page.locator('#timeline-csv a[download]');
      await expect(link.textContent()).resolves.toBe('Download CSV of the log, every development');
      await expect(query(link)).resolves.toEqual({
        includeRetracted: 'true',
        limit: '1000',
        format: 'csv',
      });
      const file = await download(page, () => link.click());
      expect(file.name).toBe(`${US_CN}-events.csv`);
      const summary = (await (
        await app.get(`/negotiations/${US_CN}`)
      ).body) as {
        eventCount: number;
      };
      expect(file.rows).toHaveLength(summary.eventCount);
      expect(file.rows.some((r) => r.type === 'DevelopmentRetracted')).toBe(true);
      const times = file.rows.map((r) => r.occurredAt);
      expect(times).toEqual([...times].sort());
    });

    it('the links follow the page: "Only confirmed", "as goods entered that day owe" and another day are in their addresses and words', async () => {
      await page.locator('#min-evidence-confirmed').check();
      await page.locator('#status', { hasText: 'counting only confirmed' }).waitFor();
      const link = page.locator('#tariffs-csv a');
      await expect(link.textContent()).resolves.toBe(
        'Download CSV of the tariffs on 12 Apr 2025, with the rate of product 8517.13, only confirmed reports',
      );
      await expect(query(link)).resolves.toEqual({
        asOf: '2025-04-12',
        product: '8517.13',
        minEvidence: 'confirmed',
        format: 'csv',
      });
      await page.locator('#basis-entered').check();
      await page.locator('#status', { hasText: 'as goods entered that day owe' }).waitFor();
      await expect(query(link)).resolves.toMatchObject({ effectiveOn: '2025-04-12' });
      await expect(query(link)).resolves.not.toHaveProperty('asOf');
      await page.locator('#basis-announced').check();
      await page.locator('#min-evidence-all').check();
      await page.locator('#as-of-date').fill('2025-04-10');
      await page.locator('#status', { hasText: /10 Apr 2025, as known now; rates/ }).waitFor();
      await expect(link.textContent()).resolves.toBe(
        'Download CSV of the tariffs on 10 Apr 2025, with the rate of product 8517.13',
      );
      await expect(page.locator('#deadlines-csv a').textContent()).resolves.toBe(
        'Download CSV of what is coming up after 10 Apr 2025',
      );
      await page.locator('#as-of-date').fill('2025-04-12');
      await page.locator('#status', { hasText: /12 Apr 2025, as known now; rates/ }).waitFor();
    });

    it('has no accessibility violations with the links shown (axe, WCAG 2.1 A and AA, light and dark)', async () => {
      expect(await page.locator('a[download]').count()).toBeGreaterThanOrEqual(5);
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.emulateMedia({ colorScheme: 'light' });
    });
  });

  describe('the all-negotiations page on 12 April 2025, product 8517.13', () => {
    let page: Page;
    beforeAll(async () => {
      page = await open('/all.html?asOf=2025-04-12&product=8517.13', 'rates for product 8517.13');
    });
    afterAll(() => page.context().close());

    it('the tariffs of every negotiation: the file’s US on China row says 145 and 20, as the table does', async () => {
      const link = page.getByRole('link', {
        name: 'Download CSV of the tariffs on 12 Apr 2025, with the rate of product 8517.13, every negotiation',
      });
      await expect(query(link)).resolves.toEqual({
        asOf: '2025-04-12',
        product: '8517.13',
        format: 'csv',
      });
      const file = await download(page, () => link.click());
      const usCn = file.rows.filter(
        (r) => r.negotiationId === US_CN && r.imposedBy === 'US' && r.appliedTo === 'CN',
      );
      expect(usCn.length).toBeGreaterThan(0);
      const shown = await page.evaluate<string[]>(`
        [...document.querySelectorAll('#tariffs-table tbody tr')].map((tr) =>
          [...tr.querySelectorAll('th, td')].slice(0, 4).map((cell) => cell.textContent.trim()).join(' | '))
      `);
      const shownUsCn = shown.find((t) => t.includes('US → CN'))!;
      for (const row of usCn) expect(shownUsCn).toContain(`| ${row.total}% | ${row.productRate}%`);
      expect(usCn[0]).toMatchObject({ total: '145', productRate: '20' });
    });

    it('what is coming up, every negotiation: its file has the list’s rows; axe finds no violation', async () => {
      const link = page.getByRole('link', {
        name: 'Download CSV of what is coming up after 12 Apr 2025, every negotiation',
      });
      const file = await download(page, () => link.click());
      const shown = await page.locator('#deadlines li').count();
      expect(file.rows).toHaveLength(shown);
      expect(file.rows.every((r) => r.negotiationId === US_CN)).toBe(true);
      await expect(axeViolations(page)).resolves.toEqual([]);
    });
  });

  describe('a negotiation of more than 1,000 developments: the log’s link says more follow', () => {
    const LARGE = 'generated-1200';
    let page: Page;
    beforeAll(async () => {
      await recordGenerated(app, { events: 1200, seed: 7, negotiationId: LARGE });
      page = await open(`/?negotiation=${LARGE}`, 'State of play');
    });
    afterAll(() => page.context().close());

    it('gives the first 1,000 and names the command that writes every page', async () => {
      const { eventCount } = (await app.get(`/negotiations/${LARGE}`)).body as {
        eventCount: number;
      };
      expect(eventCount).toBeGreaterThan(1000);
      const link = page.locator('#timeline-csv a[download]');
      await expect(link.textContent()).resolves.toBe(
        `Download CSV of the log: the first 1,000 of ${eventCount.toLocaleString('en-GB')} developments`,
      );
      await expect(page.locator('#timeline-csv').textContent()).resolves.toContain(
        `More follow: the whole log, every page in one file, with the command line: npx parley export ${LARGE} --csv`,
      );
      const file = await download(page, () => link.click());
      expect(file.rows).toHaveLength(1000);
    });
  });
});
