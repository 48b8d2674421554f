/**
 * Issue 16, "search and open a result", in Debian's Chromium against the real app: the search box
 * in the masthead asks GET …/search (this negotiation) or GET /search (all), lists the results
 * with the words found marked, and a result opens the page on its negotiation at the day it
 * occurred, where it heads the timeline, marked and focused. An empty box asks nothing.
 */
import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, launchChromium, watchedPage } from '../support/chromium';
import { negotiation, statementMade, tariffChanged } from '../support/requests';
import { RunningApp } from '../support/running-app';
import { axeViolations } from '../support/axe';

jest.setTimeout(90_000);

const TRADE = 'ui-search-trade';
const STEEL = 'ui-search-steel';

describeInBrowser('the timeline page, in Chromium: search and open a result', () => {
  let app: RunningApp;
  let browser: Browser;
  const pageErrors: string[] = [];
  const asked: URL[] = [];
  let lutnick = '';

  beforeAll(async () => {
    app = await RunningApp.start();
    for (const [id, title, other] of [
      [TRADE, 'US-China trade talks', { code: 'CN', name: 'China' }],
      [STEEL, 'Transatlantic metals', { code: 'EU', name: 'European Union' }],
    ] as const) {
      const opened = await app.post(
        '/negotiations',
        negotiation({
          id,
          title,
          openedAt: '2025-01-20',
          parties: [{ code: 'US', name: 'United States' }, other],
        }),
      );
      expect(opened.status).toBe(201);
    }
    const whiteHouse = { name: 'The White House', attribution: 'official-statement' };
    for (const body of [
      tariffChanged(
        { measure: 'fentanyl-ieepa', rate: 20, effectiveAt: '2025-03-04' },
        { occurredAt: '2025-03-03', summary: 'Tariff over fentanyl doubled', source: whiteHouse },
      ),
      statementMade(
        { party: 'US', speaker: 'Donald Trump', quote: 'Tariffs on steel stay' },
        { occurredAt: '2025-04-01', source: whiteHouse },
      ),
    ]) {
      expect((await app.post(`/negotiations/${TRADE}/events`, body)).status).toBe(201);
    }
    const steel = await app.post(
      `/negotiations/${STEEL}/events`,
      statementMade(
        { party: 'US', speaker: 'Howard Lutnick', quote: 'Steel and aluminium tariffs at 50%' },
        { occurredAt: '2025-06-04', summary: 'Lutnick on steel tariffs', source: whiteHouse },
      ),
    );
    expect(steel.status).toBe(201);
    lutnick = steel.body.eventId as string;
    // Later, so the page would not open on 4 June by itself.
    expect(
      (
        await app.post(
          `/negotiations/${STEEL}/events`,
          statementMade(
            { party: 'EU', speaker: 'Maroš Šefčovič', quote: 'We will respond' },
            { occurredAt: '2025-07-01', source: whiteHouse },
          ),
        )
      ).status,
    ).toBe(201);
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

  async function open(path: string): Promise<Page> {
    const page = await watchedPage(browser, pageErrors);
    page.on('request', (request) => asked.push(new URL(request.url())));
    await page.goto(app.baseUrl + path);
    await page.locator('#status', { hasText: 'State of play' }).waitFor();
    return page;
  }

  it('searches this negotiation by default, the words found marked', async () => {
    const page = await open(`/?negotiation=${TRADE}`);
    await page.locator('#search-q').fill('tariff');
    await page.locator('#search-q').press('Enter');
    await page.locator('#search-status', { hasText: 'match' }).waitFor();
    await expect(page.locator('#search-status').textContent()).resolves.toBe(
      '2 developments match “tariff” in this negotiation, best first.',
    );
    const asks = asked.filter((url) => url.pathname.endsWith('/search'));
    expect(asks.map((url) => url.pathname)).toEqual([`/negotiations/${TRADE}/search`]);
    // The summary's word and the quote's prefix-matched word are marked.
    const marks = await page.locator('#search-results mark').allTextContents();
    expect(marks.map((m) => m.toLowerCase()).sort()).toEqual(['tariff', 'tariffs']);
    await expect(page.locator('#search-results a').allTextContents()).resolves.toEqual([
      'Tariff, 3 March 2025',
      'Statement, 1 April 2025',
    ]);
    await expect(axeViolations(page)).resolves.toEqual([]);
    await page.context().close();
  });

  it('opens a result of another negotiation at its day, where it heads the timeline, focused', async () => {
    const page = await open(`/?negotiation=${TRADE}`);
    await page.locator('#search-scope').selectOption('all');
    await page.locator('#search-q').fill('aluminum');
    await page.locator('#search-submit').click();
    const result = page.locator('#search-results li');
    await result.first().waitFor();
    await expect(result.count()).resolves.toBe(1);
    // `aluminum` finds `aluminium` (one edit away): marked as written.
    await expect(result.locator('mark').allTextContents()).resolves.toEqual(['aluminium']);
    await expect(result.locator('a').textContent()).resolves.toBe(
      'Statement, 4 June 2025 (Transatlantic metals)',
    );
    await result.locator('a').click();
    await page.waitForURL((url) => url.searchParams.get('negotiation') === STEEL);
    await page.locator('#status', { hasText: 'end of 4 Jun 2025' }).waitFor();
    await expect(page.locator('#negotiation').inputValue()).resolves.toBe(STEEL);
    await expect(page.locator('#as-of-date').inputValue()).resolves.toBe('2025-06-04');
    const first = page.locator('#timeline li').first();
    await expect(first.getAttribute('data-event-id')).resolves.toBe(lutnick);
    await page.locator('#timeline li.search-opened').waitFor();
    await expect(
      page.evaluate<string | null>("document.activeElement?.getAttribute('data-event-id')"),
    ).resolves.toBe(lutnick);
    await page.context().close();
  });

  it('an empty box asks nothing and says why; a refused query is said beside the box', async () => {
    const page = await open(`/?negotiation=${TRADE}`);
    const before = asked.filter((url) => url.pathname.endsWith('/search')).length;
    await page.locator('#search-q').fill('   ');
    await page.locator('#search-submit').click();
    await expect(page.locator('#search-error').textContent()).resolves.toBe(
      'Type a word to search for.',
    );
    await expect(page.locator('#search-q').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(asked.filter((url) => url.pathname.endsWith('/search')).length).toBe(before);
    // Only punctuation: the API's 400 names q; the page says its message beside the box.
    pageErrors.length = 0;
    await page.locator('#search-q').fill('?!');
    await page.locator('#search-submit').click();
    await page.locator('#search-error', { hasText: 'q must contain a word' }).waitFor();
    expect(pageErrors.filter((e) => !e.startsWith('400 '))).toEqual([]);
    pageErrors.length = 0;
    await expect(page.locator('#search-panel').isHidden()).resolves.toBe(true);
    await page.context().close();
  });
});
