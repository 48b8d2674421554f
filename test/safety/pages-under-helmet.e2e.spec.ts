import type { Browser, Page } from 'playwright-core';
import { negotiation, tariffChanged } from '../support/requests';
import { RunningApp } from '../support/running-app';
import { describeInBrowser, launchChromium } from '../support/chromium';

/*
 * helmet's headers are on every answer (apps/api/src/app.factory.ts), and an API_KEY guards the
 * writes: the timeline page at / and Swagger UI at /docs must still work in a browser, with reads
 * open, and without a script, style or request blocked. (test/ui covers the page in depth.)
 */

const KEY = 'page-test-write-key-0123456789';

jest.setTimeout(60_000);

describeInBrowser('the pages, in Chromium, under helmet and an API key', () => {
  let app: RunningApp;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    app = await RunningApp.start({
      security: { access: { writeKeys: [KEY], readKeys: [] }, rateLimitPerMinute: 600 },
    });
    const auth = { authorization: `Bearer ${KEY}` };
    expect((await app.post('/negotiations', negotiation(), auth)).status).toBe(201);
    expect((await app.post('/negotiations/talks/events', tariffChanged(), auth)).status).toBe(201);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  afterEach(() => {
    expect(problems).toEqual([]);
    problems.length = 0;
  });

  async function open(path: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    // A blocked script or style shows as a console error ("Refused to ..."), a failed request as a status.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    const answer = await page.goto(app.baseUrl + path);
    expect(answer?.status()).toBe(200);
    expect(answer?.headers()['x-content-type-options']).toBe('nosniff');
    return page;
  }

  it('the timeline page loads its script and lists the negotiation, with its own CSP', async () => {
    const page = await open('/');
    await page.locator('#negotiation option[value="talks"]').waitFor({ state: 'attached' });
    await page.locator('#negotiation:not([disabled])').waitFor();
    const csp = (await page.request.get(app.baseUrl + '/')).headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
  });

  it('Swagger UI at /docs renders the operations and offers to authorize with a bearer key', async () => {
    const page = await open('/docs');
    await page.locator('.swagger-ui .opblock').first().waitFor();
    expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(5);
    await page.locator('.swagger-ui .opblock-post').first().waitFor();
    await page.locator('.swagger-ui button.authorize').waitFor();
  });
});
