/**
 * The timeline page and contract v1.1 "Tariffs as goods pay them" / "Across negotiations"
 * (issue 14), in Debian's Chromium, on the example (examples/us-china-2025.ndjson, imported
 * through the CLI as `npm run example` does) and a small second negotiation posted here.
 *
 * Expected answers, from ../shared/fixtures/us-china-2025-facts.md and the example's data:
 * - Coming up as of 1 August 2025: the Geneva 10% reverts to 34% at 2025-08-12T04:01Z; as of
 *   15 October: the 100% threat for 1 November, then the first extension's end on 10 November.
 * - 12 April 2025, product 8517.13 (smartphones, excluded from the reciprocal line back-dated to
 *   5 April): US on China pays 20 (fentanyl alone) beside the headline 145.
 * - 10 June 2025, product 7208 (steel): Section 232 50 + fentanyl 20 = 70, reciprocal displaced.
 * - 7 April 2025, product 8471 (computers): as announced by then 30 (fentanyl 20 + the 10%
 *   baseline; the exclusion came on 11 April); as goods entered that day owe, as finally
 *   decided, 20, the reciprocal line marked retroactive.
 */
import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, launchChromium, watchedPage } from '../support/chromium';
import { negotiation } from '../support/requests';
import { RunningApp } from '../support/running-app';
import { axeViolations } from '../support/axe';
import { importExample } from '../support/example';

jest.setTimeout(90_000);

const US_CN = 'us-china-2025';
const US_EU = 'us-eu-2025';

describeInBrowser('the timeline page, in Chromium: tariffs as goods pay them', () => {
  let app: RunningApp;
  let browser: Browser;
  const pageErrors: string[] = [];
  /** Every API request the pages made, to check what was (not) asked. */
  const asked: URL[] = [];

  beforeAll(async () => {
    app = await RunningApp.start();
    await importExample(app.baseUrl, US_CN);
    // A second negotiation, for the view across negotiations and a next round of talks.
    const opened = await app.post(
      '/negotiations',
      negotiation({
        id: US_EU,
        title: 'US–EU trade talks, 2025',
        openedAt: '2025-03-01',
        parties: [
          { code: 'US', name: 'United States' },
          { code: 'EU', name: 'European Union' },
        ],
      }),
    );
    expect(opened.status).toBe(201);
    const recorded = await app.post(`/negotiations/${US_EU}/events/batch`, {
      events: [
        {
          type: 'TariffChanged',
          occurredAt: '2025-04-02',
          source: { name: 'The White House', attribution: 'document' },
          data: {
            imposedBy: 'US',
            appliedTo: 'EU',
            measure: 'reciprocal',
            rate: 20,
            coverage: 'all-goods',
            effectiveAt: '2025-04-09T04:01:00Z',
          },
        },
        {
          type: 'TalksScheduled',
          occurredAt: '2025-04-02',
          source: { name: 'European Commission', attribution: 'official-statement' },
          data: { scheduledFor: '2025-04-14', venue: 'Washington', participants: ['US', 'EU'] },
        },
      ],
    });
    expect({ status: recorded.status, body: recorded.body }).toMatchObject({ status: 201 });
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

  async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await watchedPage(browser, pageErrors, { viewport });
    page.on('request', (request) => asked.push(new URL(request.url())));
    await page.goto(app.baseUrl + path);
    return page;
  }

  /** The timeline page, waited for until its status line says the day. */
  async function openTimeline(query: string, statusText: string): Promise<Page> {
    const page = await open(`/?negotiation=${US_CN}&${query}`);
    await statusSays(page, statusText);
    return page;
  }

  const statusSays = (page: Page, text: string) =>
    page.locator('#status', { hasText: text }).waitFor({ timeout: 10_000 });
  const pair = (page: Page, key: string) => page.locator(`[data-pair="${key}"]`);
  const comingUp = (page: Page) => page.locator('#deadlines li');

  async function enterProduct(page: Page, code: string): Promise<void> {
    await page.locator('#product').fill(code);
    await page.locator('#product').press('Enter');
  }

  describe('Coming up', () => {
    let page: Page;
    beforeAll(async () => {
      page = await openTimeline('asOf=2025-08-01', 'end of 1 Aug 2025');
    });
    afterAll(() => page.context().close());

    it('as of 1 August 2025: first, the Geneva rate reverting to 34% on 12 August, in words, with its date', async () => {
      const first = comingUp(page).first();
      await expect(first.textContent()).resolves.toBe(
        '12 Aug 2025 04:01 UTC: US reciprocal tariff on CN reverts to 34% (the temporary rate expires)',
      );
      await expect(first.getAttribute('data-kind')).resolves.toBe('tariff-change');
      await expect(first.locator('time').getAttribute('datetime')).resolves.toBe(
        '2025-08-12T04:01:00.000Z',
      );
    });

    it('as of 15 October 2025: the 100% threat for 1 November as a threat, then the extension’s end', async () => {
      await page.locator('#as-of-date').fill('2025-10-15');
      await statusSays(page, 'end of 15 Oct 2025');
      const items = await comingUp(page).allTextContents();
      expect(items.slice(0, 2)).toEqual([
        '1 Nov 2025: US threatens 100% on goods from CN (threat 100; a threat, not decided)',
        '10 Nov 2025 05:01 UTC: US reciprocal tariff on CN reverts to 34% (the temporary rate expires)',
      ]);
      await expect(comingUp(page).first().getAttribute('data-kind')).resolves.toBe('tariff-threat');
    });

    it('as of 13 May 2025: the Geneva agreement taking effect and both sides’ cuts', async () => {
      await page.locator('#as-of-date').fill('2025-05-13');
      await statusSays(page, 'end of 13 May 2025');
      const items = await comingUp(page).allTextContents();
      expect(items).toEqual([
        '14 May 2025: Agreement of US and CN takes effect: Geneva joint statement: both sides cut their tariffs for 90 days',
        '14 May 2025 04:01 UTC: US reciprocal tariff on CN becomes 10%',
        '14 May 2025 04:01 UTC: CN retaliation tariff on US becomes 10%',
        '12 Aug 2025 04:01 UTC: US reciprocal tariff on CN reverts to 34% (the temporary rate expires)',
      ]);
    });

    it('as of 3 April 2025: the baseline, and a trade measure’s change in words', async () => {
      await page.locator('#as-of-date').fill('2025-04-03');
      await statusSays(page, 'end of 3 Apr 2025');
      const items = await comingUp(page).allTextContents();
      expect(items[0]).toBe('5 Apr 2025 04:01 UTC: US reciprocal tariff on CN becomes 10%');
      expect(items).toContain('2 May 2025 04:01 UTC: US de minimis exemption for CN, HK: revoked');
    });

    it('the next round of talks (the second negotiation, posted here)', async () => {
      const other = await open(`/?negotiation=${US_EU}&asOf=2025-04-03`);
      await statusSays(other, 'end of 3 Apr 2025');
      await expect(comingUp(other).allTextContents()).resolves.toEqual([
        '9 Apr 2025 04:01 UTC: US reciprocal tariff on EU becomes 20%',
        '14 Apr 2025: Next round of talks',
      ]);
      await other.context().close();
    });
  });

  describe('a product field: what one product pays, beside the headline total', () => {
    let page: Page;
    beforeAll(async () => {
      page = await openTimeline('asOf=2025-04-12', 'end of 12 Apr 2025');
    });
    afterAll(() => page.context().close());

    it('12 April 2025, smartphones (8517.13): 20% applicable beside the 145% total, fentanyl alone; the reciprocal line shows its excluded codes', async () => {
      await enterProduct(page, '8517.13');
      await statusSays(page, 'rates for product 8517.13');
      const usCn = pair(page, 'US-CN');
      await expect(usCn.locator('.total-value').textContent()).resolves.toBe('145');
      await expect(usCn.locator('.applicable-value').textContent()).resolves.toBe('20');
      await expect(usCn.locator('.applicable-rate').textContent()).resolves.toBe(
        '20% on product 8517.13',
      );
      await expect(usCn.locator('.applicable .counted').textContent()).resolves.toBe(
        'Lines that make it up: fentanyl (IEEPA)',
      );
      await expect(usCn.locator('.applicable .displaced').count()).resolves.toBe(0);
      await expect(
        usCn.locator('.lines li[data-measure="reciprocal"] .excluded').textContent(),
      ).resolves.toBe(
        ' · excluded: 8471, 8473.30, 8486, 8517.13, 8517.62, 8523.51, 8524, 8528.52, 8541, 8542',
      );
      expect(new URL(page.url()).searchParams.get('product')).toBe('8517.13');
    });

    it('names the lines of unknown scope, not counted (China’s retaliation on selected US goods)', async () => {
      await expect(
        pair(page, 'CN-US').locator('.applicable .uncertain').textContent(),
      ).resolves.toBe(
        'Not known whether they cover it (selected goods not listed; not counted): energy autos retaliation 10, energy retaliation 15, farm retaliation 10, farm retaliation 15',
      );
      await expect(pair(page, 'CN-US').locator('.applicable-value').textContent()).resolves.toBe(
        '125',
      );
    });

    it('toys (9503) pay the whole 145', async () => {
      await enterProduct(page, '9503');
      await statusSays(page, 'rates for product 9503');
      await expect(pair(page, 'US-CN').locator('.applicable-value').textContent()).resolves.toBe(
        '145',
      );
    });

    it('10 June 2025, steel (7208): 70%, the reciprocal line displaced; the steel line shows its products and what it replaces; the total 30', async () => {
      await page.locator('#as-of-date').fill('2025-06-10');
      await enterProduct(page, '7208');
      await statusSays(page, 'end of 10 Jun 2025');
      await statusSays(page, 'rates for product 7208');
      const usCn = pair(page, 'US-CN');
      await expect(usCn.locator('.total-value').textContent()).resolves.toBe('30');
      await expect(usCn.locator('.applicable-value').textContent()).resolves.toBe('70');
      await expect(usCn.locator('.applicable .displaced').textContent()).resolves.toBe(
        'Displaced (replaced for this product by another line): reciprocal',
      );
      const steel = usCn.locator('.lines li[data-measure="section-232-steel-aluminium"]');
      await expect(steel.textContent()).resolves.toContain('50%');
      await expect(steel.locator('.products').textContent()).resolves.toBe(
        ' · on products 72, 73, 76',
      );
      await expect(steel.locator('.displaces').textContent()).resolves.toBe(
        ' · replaces reciprocal on these goods',
      );
    });

    it('a temporary rate says until when and what follows (1 August 2025)', async () => {
      await page.locator('#as-of-date').fill('2025-08-01');
      await statusSays(page, 'end of 1 Aug 2025');
      await expect(
        pair(page, 'US-CN').locator('.lines li[data-measure="reciprocal"] .until').textContent(),
      ).resolves.toBe(' until 12 Aug 2025 04:01 UTC, then 34%');
    });

    it('an invalid code (85..17) is said beside the field and not asked for; the product rates go', async () => {
      const before = asked.length;
      await enterProduct(page, '85..17');
      const error = page.locator('#product-error');
      await expect(error.textContent()).resolves.toBe(
        '“85..17” is not a product code: 2 to 10 digits, dots allowed between them (72, 8471, 8517.13.00).',
      );
      await expect(page.locator('#product').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator('#product').getAttribute('aria-describedby')).resolves.toContain(
        'product-error',
      );
      await page
        .locator('#status', { hasText: 'rates for product' })
        .waitFor({ state: 'detached' });
      await expect(pair(page, 'US-CN').locator('.applicable').count()).resolves.toBe(0);
      expect(asked.slice(before).filter((u) => u.searchParams.has('product'))).toEqual([]);
      expect(new URL(page.url()).searchParams.has('product')).toBe(false);
      // Too few digits and too many are refused the same way.
      for (const code of ['7', '12345678901', 'abc']) {
        await enterProduct(page, code);
        await expect(error.textContent()).resolves.toContain(`“${code}” is not a product code`);
      }
      await enterProduct(page, '');
      await expect(error.textContent()).resolves.toBe('');
      await expect(page.locator('#product').getAttribute('aria-invalid')).resolves.toBeNull();
    });

    it('opened with ?product= in the address, starts with it', async () => {
      const other = await openTimeline(
        'asOf=2025-04-12&product=8517.13',
        'rates for product 8517.13',
      );
      await expect(other.locator('#product').inputValue()).resolves.toBe('8517.13');
      await expect(pair(other, 'US-CN').locator('.applicable-value').textContent()).resolves.toBe(
        '20',
      );
      await other.context().close();
    });
  });

  describe('as announced by then, or as goods entered that day owe, as finally decided', () => {
    let page: Page;
    beforeAll(async () => {
      page = await openTimeline('asOf=2025-04-07&product=8471', 'rates for product 8471');
    });
    afterAll(() => page.context().close());

    it('as announced by 7 April 2025, computers (8471) pay 30: the exclusion was not yet announced; nothing is retroactive', async () => {
      await expect(page.locator('#basis-announced').isChecked()).resolves.toBe(true);
      await expect(pair(page, 'US-CN').locator('.applicable-value').textContent()).resolves.toBe(
        '30',
      );
      await expect(page.locator('.retroactive').count()).resolves.toBe(0);
    });

    it('switched with the keyboard to "as goods entered that day owe": 20, the reciprocal line marked retroactive; the address says effectiveOn', async () => {
      await page.locator('#basis-announced').focus();
      await page.keyboard.press('ArrowDown');
      await statusSays(page, 'as goods entered that day owe, as finally decided');
      await expect(page.locator('#basis-entered').isChecked()).resolves.toBe(true);
      const usCn = pair(page, 'US-CN');
      await expect(usCn.locator('.applicable-value').textContent()).resolves.toBe('20');
      const reciprocal = usCn.locator('.lines li[data-measure="reciprocal"]');
      await expect(reciprocal.locator('.retroactive').textContent()).resolves.toBe(
        ' · retroactive (in force that day before it was announced)',
      );
      await expect(usCn.locator('.lines .retroactive').count()).resolves.toBe(1);
      const params = new URL(page.url()).searchParams;
      expect(params.get('effectiveOn')).toBe('2025-04-07');
      expect(params.has('asOf')).toBe(false);
      const stateAsked = asked.filter((u) => u.pathname.endsWith('/state')).pop()!;
      expect(stateAsked.searchParams.get('effectiveOn')).toBe('2025-04-07');
      expect(stateAsked.searchParams.has('asOf')).toBe(false);
    });

    it('opened with ?effectiveOn= in the address, starts switched', async () => {
      const other = await openTimeline(
        'effectiveOn=2025-04-07&product=8471',
        'as goods entered that day owe',
      );
      await expect(other.locator('#basis-entered').isChecked()).resolves.toBe(true);
      await expect(other.locator('#as-of-date').inputValue()).resolves.toBe('2025-04-07');
      await expect(pair(other, 'US-CN').locator('.applicable-value').textContent()).resolves.toBe(
        '20',
      );
      await other.context().close();
    });

    it('switched back: 30 again, no retroactive mark', async () => {
      await page.locator('#basis-announced').check();
      await page
        .locator('#status', { hasText: 'as goods entered that day owe' })
        .waitFor({ state: 'detached' });
      await statusSays(page, 'end of 7 Apr 2025');
      await expect(pair(page, 'US-CN').locator('.applicable-value').textContent()).resolves.toBe(
        '30',
      );
      await expect(page.locator('.retroactive').count()).resolves.toBe(0);
      expect(new URL(page.url()).searchParams.get('asOf')).toBe('2025-04-07');
    });

    it('has no accessibility violations (axe, WCAG 2.1 A and AA) with a product, the switch and Coming up shown', async () => {
      await page.locator('#basis-entered').check();
      await statusSays(page, 'as goods entered that day owe');
      await expect(axeViolations(page)).resolves.toEqual([]);
      // The dark scheme's colours too.
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.emulateMedia({ colorScheme: 'light' });
    });

    it('labels every control', async () => {
      const unlabelled = await page.evaluate<string[]>(`
        [...document.querySelectorAll('input, select, button')]
          .filter((el) => !(el.labels && el.labels.length > 0) && !el.getAttribute('aria-label') && !el.textContent.trim())
          .map((el) => el.outerHTML)
      `);
      expect(unlabelled).toEqual([]);
    });
  });

  describe('all negotiations at once', () => {
    let page: Page;
    const rows = (p: Page) => p.locator('#tariffs-table tbody tr');
    const row = (p: Page, negotiationId: string, key: string) =>
      p.locator(`#tariffs-table tr[data-negotiation="${negotiationId}"][data-pair="${key}"]`);
    const allSays = (p: Page, text: string) =>
      p.locator('#status', { hasText: text }).waitFor({ timeout: 10_000 });

    beforeAll(async () => {
      // Reached from the main page's link, which carries the day and the product.
      const main = await openTimeline(
        'asOf=2025-04-12&product=8517.13',
        'rates for product 8517.13',
      );
      const link = main.locator('a', { hasText: 'All negotiations' });
      await expect(link.getAttribute('href')).resolves.toBe(
        '/all.html?asOf=2025-04-12&product=8517.13',
      );
      await link.click();
      await main.waitForURL(/\/all\.html/);
      page = main;
      await allSays(page, 'rates for product 8517.13');
    });
    afterAll(() => page.context().close());

    it('lists every pair of every negotiation with its total and what the product pays', async () => {
      // Browser-side code as a string: this file is type-checked without the DOM library.
      const text = await page.evaluate<string[]>(`
        [...document.querySelectorAll('#tariffs-table tbody tr')].map((tr) =>
          [...tr.querySelectorAll('th, td')].slice(0, 4).map((cell) => cell.textContent.trim()).join(' | '))
      `);
      expect(text.map((t) => t.replace(/ \(.*$/, ''))).toEqual([
        'US–China trade and fentanyl talks, 2025 | CN → US | 125% | 125%',
        'US–China trade and fentanyl talks, 2025 | US → CN | 145% | 20%',
        'US–EU trade talks, 2025 | US → EU | 20% | 20%',
      ]);
      await expect(row(page, US_CN, 'US-CN').locator('th a').getAttribute('href')).resolves.toBe(
        `/?negotiation=${US_CN}&asOf=2025-04-12&product=8517.13`,
      );
    });

    it('filtered by the party a tariff is applied to (EU): only that pair; the address keeps it', async () => {
      await page.locator('#applied-to').selectOption('EU');
      await allSays(page, 'applied to EU');
      await expect(rows(page).count()).resolves.toBe(1);
      await expect(row(page, US_EU, 'US-EU').count()).resolves.toBe(1);
      expect(new URL(page.url()).searchParams.get('appliedTo')).toBe('EU');
      await page.locator('#applied-to').selectOption('');
      await page.locator('#imposed-by').selectOption('CN');
      await allSays(page, 'imposed by CN');
      await expect(rows(page).count()).resolves.toBe(1);
      await expect(row(page, US_CN, 'CN-US').count()).resolves.toBe(1);
      await page.locator('#imposed-by').selectOption('');
      await allSays(page, '3 pairs');
    });

    it('Coming up across negotiations, filtered by party (deadlines involving EU)', async () => {
      await page.locator('#day').fill('2025-04-03');
      await allSays(page, 'end of 3 Apr 2025');
      const all = await page.locator('#deadlines li').allTextContents();
      expect(all[0]).toBe(
        '5 Apr 2025 04:01 UTC: US reciprocal tariff on CN becomes 10% (US–China trade and fentanyl talks, 2025)',
      );
      expect(all).toContain(
        '9 Apr 2025 04:01 UTC: US reciprocal tariff on CN becomes 34% (US–China trade and fentanyl talks, 2025)',
      );
      expect(all).toContain(
        '9 Apr 2025 04:01 UTC: US reciprocal tariff on EU becomes 20% (US–EU trade talks, 2025)',
      );
      expect(all).toContain('14 Apr 2025: Next round of talks (US–EU trade talks, 2025)');
      await page.locator('#party').selectOption('EU');
      await allSays(page, 'involving EU');
      // A talks round names no party (GET /deadlines?party= leaves it out), as the hint says.
      await expect(page.locator('#deadlines li').allTextContents()).resolves.toEqual([
        '9 Apr 2025 04:01 UTC: US reciprocal tariff on EU becomes 20% (US–EU trade talks, 2025)',
      ]);
      await expect(page.locator('#party-hint').textContent()).resolves.toContain(
        'talks rounds name no party',
      );
      expect(new URL(page.url()).searchParams.get('party')).toBe('EU');
      await page.locator('#party').selectOption('');
    });

    it('as goods entered on 7 April 2025 owe: computers (8471) pay 20 from China, the reciprocal line retroactive', async () => {
      await page.locator('#day').fill('2025-04-07');
      await page.locator('#product').fill('8471');
      await page.locator('#product').press('Enter');
      await allSays(page, 'rates for product 8471');
      await expect(
        row(page, US_CN, 'US-CN').locator('.applicable-value').textContent(),
      ).resolves.toBe('30%');
      await page.locator('#basis-entered').check();
      await allSays(page, 'as goods entered that day owe');
      const usCn = row(page, US_CN, 'US-CN');
      await expect(usCn.locator('.applicable-value').textContent()).resolves.toBe('20%');
      await expect(
        usCn.locator('li[data-measure="reciprocal"] .retroactive').count(),
      ).resolves.toBe(1);
      const params = new URL(page.url()).searchParams;
      expect(params.get('effectiveOn')).toBe('2025-04-07');
      expect(params.has('asOf')).toBe(false);
    });

    it('an invalid product code is said beside the field and not asked for', async () => {
      const before = asked.length;
      await page.locator('#product').fill('7');
      await page.locator('#product').press('Enter');
      await expect(page.locator('#product-error').textContent()).resolves.toContain(
        '“7” is not a product code',
      );
      await allSays(page, '3 pairs');
      expect(asked.slice(before).filter((u) => u.searchParams.has('product'))).toEqual([]);
    });

    it('has no accessibility violations (axe, WCAG 2.1 A and AA) and labels every control', async () => {
      await page.locator('#product').fill('8471');
      await page.locator('#product').press('Enter');
      await allSays(page, 'rates for product 8471');
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect(axeViolations(page)).resolves.toEqual([]);
      const unlabelled = await page.evaluate<string[]>(`
        [...document.querySelectorAll('input, select, button')]
          .filter((el) => !(el.labels && el.labels.length > 0) && !el.getAttribute('aria-label') && !el.textContent.trim())
          .map((el) => el.outerHTML)
      `);
      expect(unlabelled).toEqual([]);
    });
  });

  describe('on a phone', () => {
    it('the product rates and Coming up fit the screen without scrolling sideways', async () => {
      const page = await open(`/?negotiation=${US_CN}&asOf=2025-04-12&product=8517.13`, {
        width: 375,
        height: 740,
      });
      await statusSays(page, 'rates for product 8517.13');
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await page.context().close();
    });
  });
});
