/**
 * Recording from the timeline page (issue 16, "Record from the page"), in Debian's Chromium on
 * the real app: open a negotiation; record a development through the form the page builds from
 * the served OpenAPI document (no form written per type); a refused form names its field and
 * records nothing; retract, confirm and correct a development from the timeline; and, when the
 * server runs with API_KEY, the key asked for once and kept for the browser session.
 *
 * Expected totals (US on China, all goods): fentanyl 20 from 4 March 2025, reciprocal 125 from
 * 10 April: 145 on 10 April; the reciprocal line retracted: 20; the fentanyl report corrected
 * to 10: 10.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { describeInBrowser, launchChromium, watchedPage } from '../support/chromium';
import { negotiation } from '../support/requests';
import { RunningApp } from '../support/running-app';
import { axeViolations } from '../support/axe';

jest.setTimeout(90_000);

const ID = 'us-cn-page';
const KEY = 'page-write-key-0123456789abcdef';

describeInBrowser('recording from the timeline page, in Chromium', () => {
  let browser: Browser;
  const pageErrors: string[] = [];
  /** The paths of every GET the pages sent. */
  const asked: string[] = [];
  /** Every write the pages sent: method, path, authorization header, body. */
  const writes: { path: string; authorization?: string; body: any }[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
    pageErrors.length = 0;
  });

  async function open(app: RunningApp, path: string): Promise<Page> {
    // Refusals are what some of these tests want: answers of 400 or more are not errors here.
    const page = await watchedPage(browser, pageErrors, { watchAnswers: false });
    page.on('request', (request: Request) => {
      if (request.method() === 'GET') asked.push(new URL(request.url()).pathname);
      if (request.method() !== 'POST') return;
      writes.push({
        path: new URL(request.url()).pathname,
        authorization: request.headers()['authorization'],
        body: request.postDataJSON(),
      });
    });
    await page.goto(app.baseUrl + path);
    return page;
  }

  /** Fills fields of a form by their schema path (`data.rate`, `source.name`, `occurredAt`). */
  async function fill(page: Page, scope: string, values: Record<string, string>): Promise<void> {
    for (const [path, value] of Object.entries(values)) {
      const field =
        path === 'occurredAt'
          ? page.locator(`${scope} [data-path="occurredAt"] input[name="occurredAt"]`)
          : page
              .locator(`${scope} [data-path="${path}"]`)
              .locator('input, select, textarea')
              .first();
      if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
  }

  const total = (page: Page) => page.locator('[data-pair="US-CN"] .total-value');
  const recordStatus = (page: Page, text: string) =>
    page.locator('#record-status', { hasText: text }).waitFor();
  /** What was done from the timeline is said above it, and focus is back on the development. */
  const timelineStatus = (page: Page, text: string) =>
    page.locator('#timeline-record-status', { hasText: text }).waitFor();
  const timelineItem = (page: Page, text: string) =>
    page.locator('#timeline li.development', { hasText: text });

  describe('on an open server', () => {
    let app: RunningApp;
    let page: Page;

    beforeAll(async () => {
      app = await RunningApp.start();
      page = await open(app, '/');
    });
    afterAll(async () => {
      await page?.context().close();
      await app?.destroy();
    });

    it('opens a negotiation (id, title, parties) and then shows it', async () => {
      // Neither the forms nor the API description they are built from load with the page.
      expect(asked.filter((path) => /docs-json|record-forms|schema-form/.test(path))).toEqual([]);
      await page.locator('#open-details > summary').click();
      const form = '#open-negotiation-form';
      await fill(page, form, {
        id: ID,
        title: 'US–China tariffs, recorded from the page',
        openedAt: '2025-02-01',
        'parties[0].code': 'US',
        'parties[0].name': 'United States',
        'parties[1].code': 'CN',
        'parties[1].name': 'China',
      });
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.locator(`${form} button[type="submit"]`).click();
      await page.waitForURL(`**/?negotiation=${ID}`);
      await recordStatus(page, `Opened “US–China tariffs, recorded from the page” (${ID}).`);
      await expect(page.locator('#negotiation').inputValue()).resolves.toBe(ID);
      const opened = await app.get(`/negotiations/${ID}`);
      expect(opened.body).toMatchObject({
        id: ID,
        title: 'US–China tariffs, recorded from the page',
        revision: 0,
      });
      expect(writes.at(-1)).toMatchObject({
        path: '/negotiations',
        body: {
          parties: [
            { code: 'US', name: 'United States' },
            { code: 'CN', name: 'China' },
          ],
        },
      });
    });

    it('offers every development type of the served schema, each with the modalities it allows', async () => {
      await page.locator('#record-details > summary').click();
      // The forms load on first use: wait until the first type's form is drawn before reading it.
      await page.locator('#record-form [data-path="modality"]').waitFor({ state: 'attached' });
      const docs = await app.get('/docs-json');
      const body = docs.body.paths['/negotiations/{id}/events'].post.requestBody.content[
        'application/json'
      ].schema.$ref
        .split('/')
        .pop();
      const mapping = docs.body.components.schemas[body].discriminator.mapping;
      const offered = await page
        .locator('#record-type option')
        .evaluateAll((options) => options.map((o) => o.getAttribute('value')));
      expect(offered).toEqual(Object.keys(mapping));
      // TariffChanged may be threatened or considered; a statement only occurs.
      await expect(
        page
          .locator('#record-form [data-path="modality"] input[type="radio"]')
          .evaluateAll((r) => r.map((x) => x.getAttribute('value'))),
      ).resolves.toEqual(['occurred', 'threatened', 'considered']);
      await page.locator('#record-type').selectOption('StatementMade');
      await expect(page.locator('#record-form [data-path="modality"]').count()).resolves.toBe(0);
      for (const path of ['data.party', 'data.speaker', 'data.quote', 'data.stance'])
        await expect(page.locator(`#record-form [data-path="${path}"]`).count()).resolves.toBe(1);
      await page.locator('#record-type').selectOption('TariffChanged');
      await expect(
        page.locator('#record-form [data-path="data.rate"] label').textContent(),
      ).resolves.toBe('Rate (required)');
    });

    it('records a tariff change through that form, and the total moves (20, then 145)', async () => {
      await fill(page, '#record-form', {
        occurredAt: '2025-03-03',
        'source.name': 'The White House',
        'source.attribution': 'document',
        'data.imposedBy': 'US',
        'data.appliedTo': 'CN',
        'data.measure': 'fentanyl-ieepa',
        'data.rate': '20',
        'data.effectiveAt': '2025-03-04',
        'data.coverage': 'all-goods',
        summary: 'US puts 20% on Chinese goods over fentanyl',
      });
      await page.locator('#record-submit').click();
      await recordStatus(page, 'Recorded');
      await expect(total(page).textContent()).resolves.toBe('20');

      // The form keeps the source for the next one: only what differs is typed.
      await expect(
        page.locator('#record-form [data-path="source.name"] input').inputValue(),
      ).resolves.toBe('The White House');
      await fill(page, '#record-form', {
        occurredAt: '2025-04-09',
        'source.attribution': 'official-statement',
        'source.via': 'Reuters',
        'data.imposedBy': 'US',
        'data.appliedTo': 'CN',
        'data.measure': 'reciprocal',
        'data.rate': '125',
        'data.effectiveAt': '2025-04-10',
        'data.coverage': 'all-goods',
        summary: 'US raises the reciprocal tariff on China to 125%',
      });
      await page.locator('#record-submit').click();
      await recordStatus(page, '(revision 2)');
      await expect(total(page).textContent()).resolves.toBe('145');
      await expect(page.locator('#as-of-date').inputValue()).resolves.toBe('2025-04-10');

      const log = await app.get(`/negotiations/${ID}/events?limit=10`);
      expect(log.body.items.at(-1)).toMatchObject({
        type: 'TariffChanged',
        occurredAt: '2025-04-09T00:00:00.000Z',
        occurredPrecision: 'day',
        summary: 'US raises the reciprocal tariff on China to 125%',
        source: {
          name: 'The White House',
          attribution: 'official-statement',
          via: 'Reuters',
        },
        data: { measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10T00:00:00.000Z' },
      });
    });

    it('records a month known only roughly (occurredAt 2025-05, approximate)', async () => {
      await page.locator('#record-type').selectOption('StatementMade');
      await page.locator('#record-form [data-path="occurredAt"] select').selectOption('month');
      await fill(page, '#record-form', {
        occurredAt: '2025-05',
        'data.party': 'CN',
        'data.speaker': 'Commerce Ministry',
        'data.stance': 'hardline',
        'source.name': 'Xinhua',
      });
      await page.locator('#record-form [data-path="occurredAt"] input[type="checkbox"]').check();
      await page.locator('#record-submit').click();
      await recordStatus(page, '(revision 3)');
      const log = await app.get(`/negotiations/${ID}/events?limit=10`);
      expect(log.body.items.at(-1)).toMatchObject({
        type: 'StatementMade',
        occurredAt: '2025-05-01T00:00:00.000Z',
        occurredPrecision: 'approximate',
      });
      await page.locator('#record-type').selectOption('TariffChanged');
    });

    it('a refused form says so beside the field it names (data.rate), focuses it, and records nothing', async () => {
      const before = (await app.get(`/negotiations/${ID}`)).body.revision;
      await page.locator('#record-form [data-path="occurredAt"] select').selectOption('day');
      await fill(page, '#record-form', {
        occurredAt: '2025-04-11',
        'data.imposedBy': 'US',
        'data.appliedTo': 'CN',
        'data.measure': 'reciprocal',
        'data.rate': '2000',
        'data.effectiveAt': '2025-04-12',
        'data.coverage': 'all-goods',
      });
      await page.locator('#record-submit').click();
      const error = page.locator('#record-form [data-path="data.rate"] .field-error');
      await error.waitFor();
      await expect(error.textContent()).resolves.toBe('rate must not be greater than 1000');
      const rate = page.locator('#record-form [data-path="data.rate"] input');
      await expect(rate.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.evaluate('document.activeElement.id')).resolves.toBe(
        await rate.getAttribute('id'),
      );
      await expect(rate.getAttribute('aria-describedby')).resolves.toContain(
        (await error.getAttribute('id')) as string,
      );
      await expect(page.locator('#record-message').textContent()).resolves.toMatch(
        /^Nothing was recorded: one field needs correcting/,
      );
      expect((await app.get(`/negotiations/${ID}`)).body.revision).toBe(before);
      await expect(total(page).textContent()).resolves.toBe('145');
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.emulateMedia({ colorScheme: 'light' });
      // Corrected, it goes through and the message goes.
      await fill(page, '#record-form', { 'data.rate': '125' });
      await page.locator('#record-submit').click();
      await recordStatus(page, `(revision ${before + 1})`);
      await expect(page.locator('#record-message').isHidden()).resolves.toBe(true);
    });

    it('retracts a development from the timeline, with a reason: the total moves back to 20', async () => {
      await page.locator('#as-of-date').fill('2025-04-10');
      await page.locator('#as-of-date').press('Enter');
      await total(page).filter({ hasText: '145' }).waitFor();
      const item = timelineItem(page, 'reciprocal tariff on China to 125%');
      await item.locator('.act-button').click();
      const dialog = page.locator('#act-dialog');
      await dialog.waitFor();
      await expect(axeViolations(page)).resolves.toEqual([]);
      await expect(dialog.locator('#act-retract').isChecked()).resolves.toBe(true);
      await fill(page, '#act-dialog', {
        'data.reason': 'The White House said the figure was 84%',
        'source.name': 'The White House',
      });
      await dialog.locator('#act-submit').click();
      await timelineStatus(page, 'Retracted: US raises the reciprocal tariff on China to 125%');
      await expect(total(page).textContent()).resolves.toBe('20');
      await expect(
        timelineItem(page, 'reciprocal tariff on China to 125%').first().getAttribute('class'),
      ).resolves.toContain('retracted');
      const target = writes.at(-1)!.body.data.targetEventId;
      const log = await app.get(`/negotiations/${ID}/events?limit=20&includeRetracted=true`);
      const retracted = log.body.items.find((d: any) => d.eventId === target);
      expect(retracted).toMatchObject({
        summary: 'US raises the reciprocal tariff on China to 125%',
        retracted: true,
      });
      expect(log.body.items.at(-1)).toMatchObject({
        type: 'DevelopmentRetracted',
        data: { targetEventId: target, reason: 'The White House said the figure was 84%' },
      });
    });

    it('confirms a development from the timeline: it reads "confirmed by United States"', async () => {
      const item = timelineItem(page, 'US puts 20% on Chinese goods over fentanyl');
      await item.locator('.act-button').click();
      const dialog = page.locator('#act-dialog');
      await dialog.locator('#act-confirm').check();
      await fill(page, '#act-dialog', {
        'data.by': 'US',
        'data.note': 'Executive order of 1 February',
      });
      await dialog.locator('#act-submit').click();
      await timelineStatus(page, 'Confirmed: US puts 20% on Chinese goods over fentanyl');
      await expect(
        timelineItem(page, 'US puts 20% on Chinese goods over fentanyl')
          .first()
          .locator('.confirmed-by')
          .textContent(),
      ).resolves.toBe(' · confirmed by United States');
      expect(writes.at(-1)).toMatchObject({
        path: `/negotiations/${ID}/events`,
        body: {
          type: 'DevelopmentConfirmed',
          data: { by: 'US', note: 'Executive order of 1 February' },
        },
      });
      const target = writes.at(-1)!.body.data.targetEventId;
      await expect(
        page.evaluate('document.activeElement.getAttribute("data-event-id")'),
      ).resolves.toBe(target);
    });

    it('disputes a development from the timeline: it reads "disputed by China"', async () => {
      await timelineItem(page, 'US puts 20% on Chinese goods over fentanyl')
        .first()
        .locator('.act-button')
        .click();
      const dialog = page.locator('#act-dialog');
      await dialog.locator('#act-dispute').check();
      await fill(page, '#act-dialog', { 'data.by': 'CN', 'source.name': 'MOFCOM' });
      await dialog.locator('#act-submit').click();
      await timelineStatus(page, 'Disputed: US puts 20% on Chinese goods over fentanyl');
      await expect(
        timelineItem(page, 'US puts 20% on Chinese goods over fentanyl')
          .first()
          .locator('.disputed-by')
          .textContent(),
      ).resolves.toBe(' · disputed by China');
      expect(writes.at(-1)!.body).toMatchObject({
        type: 'DevelopmentDisputed',
        data: { by: 'CN' },
      });
    });

    it('a correction refused in its corrected part shows the error there, and records nothing', async () => {
      const before = (await app.get(`/negotiations/${ID}`)).body.revision;
      await timelineItem(page, 'US puts 20% on Chinese goods over fentanyl')
        .first()
        .locator('.act-button')
        .click();
      const dialog = page.locator('#act-dialog');
      await dialog.locator('#act-correct').check();
      // The corrected development comes filled in as it was recorded.
      await expect(
        dialog.locator('.part:nth-of-type(2) [data-path="data.rate"] input').inputValue(),
      ).resolves.toBe('20');
      await expect(
        dialog.locator('.part:nth-of-type(2) [data-path="source.name"] input').inputValue(),
      ).resolves.toBe('The White House');
      await fill(page, '#act-dialog .part:nth-of-type(1)', { 'data.reason': 'The rate was 10%' });
      await fill(page, '#act-dialog .part:nth-of-type(2)', { 'data.rate': '-5' });
      await dialog.locator('#act-submit').click();
      const error = dialog.locator('.part:nth-of-type(2) [data-path="data.rate"] .field-error');
      await error.waitFor();
      await expect(error.textContent()).resolves.toBe('rate must not be less than 0');
      expect(writes.at(-1)!.path).toBe(`/negotiations/${ID}/events/batch`);
      expect((await app.get(`/negotiations/${ID}`)).body.revision).toBe(before);
      await expect(axeViolations(page)).resolves.toEqual([]);
    });

    it('records a correction (the retraction and the corrected development in one batch): the total is 10', async () => {
      const before = (await app.get(`/negotiations/${ID}`)).body.revision;
      const dialog = page.locator('#act-dialog');
      await fill(page, '#act-dialog .part:nth-of-type(2)', { 'data.rate': '10' });
      await dialog.locator('#act-submit').click();
      await timelineStatus(page, 'Corrected: US puts 20% on Chinese goods over fentanyl');
      await expect(total(page).textContent()).resolves.toBe('10');
      const batch = writes.at(-1)!;
      expect(batch.path).toBe(`/negotiations/${ID}/events/batch`);
      expect(batch.body.events.map((e: any) => e.type)).toEqual([
        'DevelopmentRetracted',
        'TariffChanged',
      ]);
      expect((await app.get(`/negotiations/${ID}`)).body.revision).toBe(before + 2);
      // In valid-time order: the corrected report keeps its day, 3 March; the retraction is dated today.
      const log = await app.get(`/negotiations/${ID}/events?limit=50`);
      const fentanyl = log.body.items.filter(
        (d: any) => d.type === 'TariffChanged' && d.data.measure === 'fentanyl-ieepa',
      );
      expect(fentanyl).toHaveLength(1);
      const [corrected] = fentanyl;
      expect(corrected).toMatchObject({
        type: 'TariffChanged',
        occurredAt: '2025-03-03T00:00:00.000Z',
        data: { measure: 'fentanyl-ieepa', rate: 10 },
        source: { name: 'The White House', attribution: 'document' },
      });
      await expect(page.locator('#act-dialog').count()).resolves.toBe(0);
    });
  });

  describe('on a server that records only with a key (API_KEY)', () => {
    let app: RunningApp;
    let page: Page;

    beforeAll(async () => {
      app = await RunningApp.start({
        security: { access: { writeKeys: [KEY], readKeys: [] } },
      });
      const opened = await app.post(
        '/negotiations',
        negotiation({ id: ID, openedAt: '2025-02-01' }),
        {
          authorization: `Bearer ${KEY}`,
        },
      );
      expect(opened.status).toBe(201);
      page = await open(app, `/?negotiation=${ID}`);
      await page.locator('#status', { hasText: 'revision 0' }).waitFor();
      await page.locator('#record-details > summary').click();
    });
    afterAll(async () => {
      await page?.context().close();
      await app?.destroy();
    });

    const recordTariff = async (rate: string) => {
      await fill(page, '#record-form', {
        occurredAt: '2025-03-03',
        'source.name': 'The White House',
        'data.imposedBy': 'US',
        'data.appliedTo': 'CN',
        'data.measure': 'fentanyl-ieepa',
        'data.rate': rate,
        'data.effectiveAt': '2025-03-04',
        'data.coverage': 'all-goods',
      });
      await page.locator('#record-submit').click();
    };

    it('asks for the key when a write is refused, says so when it is wrong, and records with the right one', async () => {
      const first = writes.length;
      await recordTariff('20');
      const dialog = page.locator('#key-dialog');
      await dialog.waitFor();
      await expect(page.evaluate('document.activeElement.id')).resolves.toBe('api-key');
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.locator('#api-key').fill('not-the-key');
      await page.locator('#api-key').press('Enter');
      await page.locator('#api-key-error', { hasText: 'refused that key' }).waitFor();
      await page.locator('#api-key').fill(KEY);
      await dialog.locator('button[type="submit"]').click();
      await recordStatus(page, '(revision 1)');
      await expect(total(page).textContent()).resolves.toBe('20');
      expect(writes.slice(first).map((w) => w.authorization)).toEqual([
        undefined,
        'Bearer not-the-key',
        `Bearer ${KEY}`,
      ]);
      await expect(page.evaluate('sessionStorage.getItem("parley:api-key")')).resolves.toBe(KEY);
      await expect(page.evaluate<string>('JSON.stringify(localStorage)')).resolves.not.toContain(
        KEY,
      );
    });

    it('keeps the key for the browser session: the next write is not asked again', async () => {
      const first = writes.length;
      await recordTariff('30');
      await recordStatus(page, '(revision 2)');
      await expect(page.locator('#key-dialog[open]').count()).resolves.toBe(0);
      expect(writes.slice(first).map((w) => w.authorization)).toEqual([`Bearer ${KEY}`]);
      await expect(total(page).textContent()).resolves.toBe('30');
    });

    it('a cancelled key prompt records nothing and says so', async () => {
      await page.evaluate('sessionStorage.removeItem("parley:api-key")');
      await recordTariff('40');
      await page.locator('#key-dialog').waitFor();
      await page.locator('#key-dialog button', { hasText: 'Cancel' }).click();
      await page
        .locator('#record-message', { hasText: 'No key given: nothing was recorded.' })
        .waitFor();
      expect((await app.get(`/negotiations/${ID}`)).body.revision).toBe(2);
    });
  });
});
