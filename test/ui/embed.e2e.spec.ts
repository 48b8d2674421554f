/**
 * The embeddable chart (issue 16), in Debian's Chromium: the timeline page offers the iframe code
 * of a pair's chart; pasted into a page of ANOTHER origin (a node:http server on another loopback
 * port), the chart is drawn inside the cross-origin frame with its source line and a link back to
 * the timeline page at that pair and day; a page of an origin EMBED_ORIGINS does not list is
 * refused by the browser (CSP frame-ancestors). axe (WCAG 2.1 A/AA): 0 violations in the embed.
 *
 * On the example (examples/us-china-2025.ndjson), from ../shared/fixtures/us-china-2025-facts.md:
 * US on CN totals 145% on 12 April 2025 (fentanyl 20 + reciprocal 125); goods of 8471 (computers)
 * entering on 7 April 2025 owe 20% as finally decided (the exclusion of 11 April is back-dated), the
 * reciprocal line marked retroactive.
 */
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { describeInBrowser, launchChromium } from '../support/chromium';
import { RunningApp } from '../support/running-app';
import { axeViolations } from '../support/axe';
import { importExample } from '../support/example';

jest.setTimeout(120_000);

const US_CN = 'us-china-2025';

/** An article's site: a page holding whatever HTML the test puts in it, on its own origin. */
class ArticleSite {
  body = '';
  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<ArticleSite> {
    const held: { site?: ArticleSite } = {};
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An article</title></head>` +
          `<body><main><h1>An article</h1>${held.site?.body ?? ''}</main></body></html>`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    held.site = new ArticleSite(server, `http://127.0.0.1:${port}`);
    return held.site;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describeInBrowser('the embeddable chart, in Chromium, inside a frame of another origin', () => {
  let app: RunningApp;
  let browser: Browser;
  let article: ArticleSite;
  let otherArticle: ArticleSite;
  const pageErrors: string[] = [];
  /** Console lines of every page and frame, refusals included. */
  const consoleLines: string[] = [];

  beforeAll(async () => {
    article = await ArticleSite.start();
    otherArticle = await ArticleSite.start();
    app = await RunningApp.start();
    await importExample(app.baseUrl, US_CN);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
    await article?.close();
    await otherArticle?.close();
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
    pageErrors.length = 0;
    consoleLines.length = 0;
  });

  async function open(url: string, { errorsExpected = false } = {}): Promise<Page> {
    const context = await browser.newContext({
      timezoneId: 'UTC',
      locale: 'en-GB',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      consoleLines.push(message.text().trim());
      if (!errorsExpected && message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (!errorsExpected && response.status() >= 400)
        pageErrors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(url);
    return page;
  }

  /** The embed's frame in the article, once its chart is drawn. */
  async function embedFrame(page: Page): Promise<Frame> {
    await page.frameLocator('iframe').locator('svg.step-chart path.step').waitFor();
    const frame = page.frames().find((f) => f.url().startsWith(`${app.baseUrl}/embed/`));
    if (!frame) throw new Error('no embed frame');
    return frame;
  }

  describe('copied from the timeline page, pasted into an article', () => {
    let code: string;
    let page: Page;
    let frame: Frame;

    beforeAll(async () => {
      const timeline = await open(`${app.baseUrl}/?negotiation=${US_CN}&asOf=2025-04-12`);
      await timeline.locator('#status', { hasText: 'end of 12 Apr 2025' }).waitFor();
      const card = timeline.locator('[data-pair="US-CN"]');
      await card.locator('.embed-code summary').click();
      await card.getByRole('button', { name: 'Copy the code' }).click();
      code = await card.getByLabel('Code to paste into a web page').inputValue();
      await timeline.context().close();
      article.body = `<p>The tariff so far:</p>${code}`;
      page = await open(article.origin);
      frame = await embedFrame(page);
    });
    afterAll(() => page.context().close());

    it('the timeline page offers the pair’s iframe code, at the day shown', () => {
      expect(code).toBe(
        `<iframe src="${app.baseUrl}/embed/negotiations/${US_CN}/tariffs?imposedBy=US&amp;appliedTo=CN&amp;to=2025-04-12"` +
          ` title="Tariff chart: United States on China (Parley)" width="100%" height="400" style="border:0" loading="lazy"></iframe>`,
      );
    });

    it('the frame is of Parley’s origin inside the article’s, and draws the chart', async () => {
      expect(new URL(frame.url()).origin).not.toBe(article.origin);
      expect(await frame.locator('svg.step-chart title').textContent()).toBe(
        'Additional tariff of United States on China: total on all goods',
      );
      // Steps: fentanyl 10 then 20, the reciprocal 34, 84, 125 on top: several vertical moves.
      const d = await frame.locator('svg.step-chart path.step').getAttribute('d');
      expect((d ?? '').match(/V/g)?.length).toBeGreaterThanOrEqual(4);
      await expect(frame.locator('#embed-headline').textContent()).resolves.toBe(
        '145% on 12 Apr 2025',
      );
    });

    it('says what the figures are, the negotiation, Parley and the date of the data', async () => {
      const source = await frame.locator('#embed-source').textContent();
      const title = (await app.get<{ title: string }>(`/negotiations/${US_CN}`)).body.title;
      const today = new Date().toLocaleDateString('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      });
      expect(source).toBe(
        'Additional duties of United States on China, percent ad valorem, the lines on all goods, ' +
          'by the date they took effect to 12 Apr 2025. ' +
          `Source: Parley, “${title}”; data as of ${today}.`,
      );
    });

    it('links back to the timeline page at that pair and day, in a new tab', async () => {
      const link = frame.locator('#embed-back');
      await expect(link.getAttribute('target')).resolves.toBe('_blank');
      const href = new URL((await link.getAttribute('href')) ?? '', frame.url()).href;
      expect(href).toBe(`${app.baseUrl}/?negotiation=${US_CN}&asOf=2025-04-12#pair-US-CN-heading`);
      const timeline = await open(href);
      await timeline.locator('#status', { hasText: 'end of 12 Apr 2025' }).waitFor();
      const heading = timeline.locator('#pair-US-CN-heading');
      await heading.waitFor();
      // Scrolled to the pair once it is drawn (the page renders after loading, past the fragment).
      // Polled with evaluate: waitForFunction evaluates its string in the page, which the CSP forbids.
      // The top may be a fraction of a pixel above 0 once scrolled to (fractional layout).
      const inView = () =>
        timeline.evaluate<boolean>(
          "(() => { const top = document.getElementById('pair-US-CN-heading').getBoundingClientRect().top; return top > -1 && top < window.innerHeight; })()",
        );
      for (let tries = 0; tries < 50 && !(await inView()); tries++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(inView()).resolves.toBe(true);
      await timeline.context().close();
    });

    it('has no accessibility violations (axe, WCAG 2.1 A and AA)', async () => {
      await expect(axeViolations(frame)).resolves.toEqual([]);
    });
  });

  it('with product= and effectiveOn=: what the product owes that day as finally decided, the back-dated line marked (axe: light and dark)', async () => {
    article.body = `<iframe title="Computers" src="${app.baseUrl}/embed/negotiations/${US_CN}/tariffs?imposedBy=US&amp;appliedTo=CN&amp;product=8471&amp;effectiveOn=2025-04-07"></iframe>`;
    const page = await open(article.origin);
    const frame = await embedFrame(page);
    await expect(frame.locator('#embed-headline').textContent()).resolves.toBe(
      '20% for goods entering on 7 Apr 2025, as finally decided',
    );
    const reciprocal = await frame.locator('[data-measure="reciprocal"]').textContent();
    expect(reciprocal).toContain('retroactive');
    expect(reciprocal).toContain('not paid on goods of 8471');
    await expect(frame.locator('svg.step-chart title').textContent()).resolves.toBe(
      'Additional tariff of United States on China: what goods of 8471 pay',
    );
    await expect(axeViolations(frame)).resolves.toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(axeViolations(frame)).resolves.toEqual([]);
    await page.context().close();
  });

  it('a wrong address shows its readable error page in the frame', async () => {
    article.body = `<iframe title="Wrong" src="${app.baseUrl}/embed/negotiations/${US_CN}/tariffs?imposedBy=US&amp;appliedTo=CN&amp;colour=red"></iframe>`;
    const page = await open(article.origin, { errorsExpected: true });
    await expect(
      page.frameLocator('iframe').locator('.embed-errors li').textContent(),
    ).resolves.toBe('colour: colour should not exist');
    await page.context().close();
  });

  describe('with EMBED_ORIGINS naming one site only', () => {
    let restricted: RunningApp;
    beforeAll(async () => {
      restricted = await RunningApp.start({ security: { embedOrigins: [article.origin] } });
      await importExample(restricted.baseUrl, US_CN);
    });
    afterAll(() => restricted.destroy());

    const iframe = () =>
      `<iframe title="Chart" src="${restricted.baseUrl}/embed/negotiations/${US_CN}/tariffs?imposedBy=US&amp;appliedTo=CN"></iframe>`;

    it('that site’s page shows the chart', async () => {
      article.body = iframe();
      const page = await open(article.origin);
      await page.frameLocator('iframe').locator('svg.step-chart path.step').waitFor();
      await page.context().close();
    });

    it('another site’s page is refused by the browser: frame-ancestors, nothing drawn', async () => {
      otherArticle.body = iframe();
      const page = await open(otherArticle.origin, { errorsExpected: true });
      const refusal = `Framing '${restricted.baseUrl}/' violates the following Content Security Policy directive: "frame-ancestors ${article.origin}". The request has been blocked.`;
      for (let waited = 0; !consoleLines.includes(refusal) && waited < 10_000; waited += 100)
        await page.waitForTimeout(100);
      expect(consoleLines).toContain(refusal);
      await page.waitForTimeout(500);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(frame?.url()).not.toMatch(/\/embed\//);
      await expect(page.frameLocator('iframe').locator('#embed-chart').count()).resolves.toBe(0);
      await page.context().close();
    });
  });
});
