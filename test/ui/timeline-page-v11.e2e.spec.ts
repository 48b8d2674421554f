/**
 * The timeline page and contract v1.1 (issue 13), in Debian's Chromium: evidence, dates known
 * roughly, threats apart from what is in force, and the evidence filter (minEvidence).
 *
 * A small negotiation recorded through the API, as of 15 October 2025:
 * - US fentanyl tariff on China, 20% on all goods from 4 March, reported by Reuters (unnamed
 *   sources), confirmed by the US itself: `confirmed`, confirmedBy US.
 * - A threat of 100% from 1 November, announced 10 October: listed under "Threatened", the total
 *   stays 20 (CONTRACT.md, Modality: a threat changes no rate or total).
 * - Four talks rounds: April 2025 (month precision, Reuters only: `reported`); 10 May (an
 *   official statement: `confirmed`); 20 May (Reuters, confirmed by Bloomberg, then disputed by
 *   China: `disputed`, sources Reuters and Bloomberg, the contract's example); 1 June (Reuters,
 *   confirmed by Bloomberg: `corroborated`). Rounds counted: all 4; only corroborated 2 (10 May,
 *   1 June); only confirmed 1 (10 May).
 */
import type { Browser, Page, Request } from 'playwright-core';
import { describeInBrowser, launchChromium, watchedPage } from '../support/chromium';
import { negotiation } from '../support/requests';
import { RunningApp } from '../support/running-app';

jest.setTimeout(90_000);

const ID = 'talks';
const AS_OF = '2025-10-15';

describeInBrowser('the timeline page, in Chromium, with evidence, rough dates and threats', () => {
  let app: RunningApp;
  let browser: Browser;
  const pageErrors: string[] = [];
  const ids: Record<string, string> = {};

  async function record(name: string, development: Record<string, unknown>): Promise<string> {
    const answer = await app.post(`/negotiations/${ID}/events`, development);
    if (answer.status !== 201)
      throw new Error(`recording ${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
    ids[name] = answer.body.eventId;
    return answer.body.eventId;
  }

  const reuters = { name: 'Reuters', attribution: 'unnamed-sources' };
  const bloomberg = { name: 'Bloomberg', attribution: 'unnamed-sources' };

  beforeAll(async () => {
    app = await RunningApp.start();
    expect((await app.post('/negotiations', negotiation({ id: ID }))).status).toBe(201);
    const fentanyl = await record('fentanyl', {
      type: 'TariffChanged',
      occurredAt: '2025-03-03',
      source: reuters,
      summary: 'US raises the fentanyl tariff on China to 20%',
      data: {
        imposedBy: 'US',
        appliedTo: 'CN',
        measure: 'fentanyl-ieepa',
        rate: 20,
        coverage: 'all-goods',
        effectiveAt: '2025-03-04T05:01:00Z',
      },
    });
    await record('fentanyl confirmed', {
      type: 'DevelopmentConfirmed',
      occurredAt: '2025-03-04',
      data: { targetEventId: fentanyl, by: 'US' },
    });
    await record('threat', {
      type: 'TariffChanged',
      modality: 'threatened',
      occurredAt: '2025-10-10T19:51:00Z',
      source: { name: 'Truth Social', attribution: 'official-statement' },
      summary: 'Trump threatens 100% on Chinese goods from 1 November',
      data: {
        imposedBy: 'US',
        appliedTo: 'CN',
        measure: 'threat-100',
        rate: 100,
        coverage: 'all-goods',
        effectiveAt: '2025-11-01',
      },
    });
    await record('april talks', {
      type: 'TalksHeld',
      occurredAt: '2025-04',
      source: reuters,
      summary: 'Officials had engaged in direct talks',
      data: { participants: ['US', 'CN'] },
    });
    await record('may talks', {
      type: 'TalksHeld',
      occurredAt: '2025-05-10',
      source: { name: 'Xinhua', attribution: 'official-statement' },
      summary: 'Talks in Geneva',
      data: { participants: ['US', 'CN'], venue: 'Geneva' },
    });
    const disputed = await record('disputed talks', {
      type: 'TalksHeld',
      occurredAt: '2025-05-20',
      source: reuters,
      summary: 'Embassy staff met the NSC',
      data: { participants: ['US', 'CN'] },
    });
    await record('disputed talks confirmed', {
      type: 'DevelopmentConfirmed',
      occurredAt: '2025-05-21',
      source: bloomberg,
      data: { targetEventId: disputed },
    });
    await record('disputed talks disputed', {
      type: 'DevelopmentDisputed',
      occurredAt: '2025-05-22',
      source: { name: 'Ministry of Commerce', attribution: 'official-statement' },
      data: { targetEventId: disputed, by: 'CN', note: 'No such talks took place' },
    });
    const june = await record('june talks', {
      type: 'TalksHeld',
      occurredAt: '2025-06-01',
      source: reuters,
      summary: 'Talks in London',
      data: { participants: ['US', 'CN'], venue: 'London' },
    });
    await record('june talks confirmed', {
      type: 'DevelopmentConfirmed',
      occurredAt: '2025-06-02',
      source: bloomberg,
      data: { targetEventId: june },
    });
    await record('rare earths considered', {
      type: 'TradeMeasureChanged',
      modality: 'considered',
      occurredAt: '2025-09-20',
      source: reuters,
      summary: 'Beijing weighs export controls on rare earths',
      data: {
        imposedBy: 'CN',
        appliedTo: ['US'],
        measure: 'rare-earth-export-controls',
        kind: 'export-control',
        action: 'imposed',
      },
    });
    await record('approximate statement', {
      type: 'StatementMade',
      occurredAt: '2025-03-15',
      occurredPrecision: 'approximate',
      source: reuters,
      summary: 'Around mid-March, Beijing signals it is open to talks',
      data: { party: 'CN', speaker: 'Wang Yi', stance: 'conciliatory' },
    });
    await record('year statement', {
      type: 'StatementMade',
      occurredAt: '2025',
      source: { name: 'Foreign Affairs', attribution: 'named-official' },
      summary: 'Sometime this year, a US official called the tariffs leverage',
      data: { party: 'US', speaker: 'Scott Bessent', stance: 'hardline' },
    });
    await record('wang visit', {
      type: 'ProposalMade',
      modality: 'considered',
      occurredAt: '2025-05-02',
      source: { name: 'Bloomberg', via: 'Wall Street Journal', attribution: 'unnamed-sources' },
      data: {
        proposalId: 'wang-visit',
        by: 'CN',
        to: ['US'],
        subject: 'meeting',
        summary: 'Wang Xiaohong to the US or a third country',
      },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors).toEqual([]);
  });

  /** Opens the page with a last visit remembered on 1 July 2025, so that it also asks /changes. */
  async function openPage(query = `?negotiation=${ID}&asOf=${AS_OF}`): Promise<Page> {
    const page = await watchedPage(browser, pageErrors);
    await page.addInitScript(
      `localStorage.setItem('parley:last-visit:${ID}', '2025-07-01T00:00:00.000Z')`,
    );
    await page.goto(app.baseUrl + '/' + query);
    await statusSays(page, 'end of 15 Oct 2025');
    return page;
  }

  const statusSays = (page: Page, text: string) =>
    page.locator('#status', { hasText: text }).waitFor({ timeout: 10_000 });
  const development = (page: Page, name: string) =>
    page.locator(`li.development[data-event-id="${ids[name]}"]`);
  const roundsHeld = (page: Page) =>
    page.locator('#talks dt', { hasText: 'Rounds held' }).locator('xpath=following-sibling::dd[1]');

  describe('each development with its evidence and its date as precisely as known', () => {
    let page: Page;
    beforeAll(async () => {
      page = await openPage();
    });
    afterAll(() => page.context().close());

    it('a report confirmed by a party: "Confirmed", its source, confirmed by the United States', async () => {
      const evidence = development(page, 'fentanyl').locator('.evidence');
      await expect(evidence.getAttribute('data-evidence')).resolves.toBe('confirmed');
      const text = await evidence.textContent();
      expect(text).toContain('Confirmed');
      expect(text).toContain('source: Reuters');
      expect(text).toContain('confirmed by United States');
      expect(text).not.toContain('disputed');
    });

    it('a report corroborated then disputed by China: "Disputed", two sources, disputed by China', async () => {
      const evidence = development(page, 'disputed talks').locator('.evidence');
      await expect(evidence.getAttribute('data-evidence')).resolves.toBe('disputed');
      const text = await evidence.textContent();
      expect(text).toContain('Disputed');
      expect(text).toContain('2 sources: Reuters, Bloomberg');
      expect(text).toContain('disputed by China');
      // The dispute itself says what it is about.
      await expect(
        development(page, 'disputed talks disputed').locator('.target').textContent(),
      ).resolves.toContain('Embassy staff met the NSC');
    });

    it('a development known to the month is dated "April 2025", a day to the day, an instant to the minute', async () => {
      const april = development(page, 'april talks').locator('time');
      await expect(april.textContent()).resolves.toBe('April 2025');
      await expect(april.getAttribute('datetime')).resolves.toBe('2025-04');
      await expect(development(page, 'may talks').locator('time').textContent()).resolves.toBe(
        '10 May 2025',
      );
      await expect(development(page, 'threat').locator('time').textContent()).resolves.toBe(
        '10 October 2025 19:51 UTC',
      );
    });

    it('a development known roughly is dated "around 15 March 2025", one known to the year "2025"', async () => {
      await expect(
        development(page, 'approximate statement').locator('time').textContent(),
      ).resolves.toBe('around 15 March 2025');
      const year = development(page, 'year statement').locator('time');
      await expect(year.textContent()).resolves.toBe('2025');
      await expect(year.getAttribute('datetime')).resolves.toBe('2025');
    });

    it('a source crediting another outlet says so', async () => {
      await expect(
        development(page, 'wang visit').locator('.source').textContent(),
      ).resolves.toContain('Bloomberg, citing Wall Street Journal');
    });

    it('a line in force says how well it is supported', async () => {
      await expect(
        page
          .locator('[data-pair="US-CN"] .lines li[data-measure="fentanyl-ieepa"] .evidence-status')
          .getAttribute('data-evidence'),
      ).resolves.toBe('confirmed');
    });
  });

  describe('a threat is not a scheduled change', () => {
    let page: Page;
    beforeAll(async () => {
      page = await openPage();
    });
    afterAll(() => page.context().close());

    it('lists the 100% threat under "Threatened", not under scheduled, and keeps the total at 20', async () => {
      const pair = page.locator('[data-pair="US-CN"]');
      await expect(pair.locator('.total-value').textContent()).resolves.toBe('20');
      const threatened = pair.locator('.not-decided.threatened');
      await expect(threatened.locator('h4').textContent()).resolves.toContain('Threatened');
      await expect(threatened.locator('h4').textContent()).resolves.toContain('not in the total');
      const entry = threatened.locator(`li[data-event-id="${ids.threat}"]`);
      await expect(entry.textContent()).resolves.toMatch(
        /Threat 100 100% on all goods from 1 Nov 2025/,
      );
      await expect(pair.locator('.scheduled').count()).resolves.toBe(0);
      await expect(pair.locator('.lines').textContent()).resolves.not.toContain('threat');
      // The group is named by its heading, for screen readers.
      await expect(threatened.getAttribute('role')).resolves.toBe('group');
      await expect(threatened.getAttribute('aria-labelledby')).resolves.toBe(
        await threatened.locator('h4').getAttribute('id'),
      );
    });

    it('shows a trade measure only considered under "Under consideration", not in effect', async () => {
      const item = page.locator('li[data-trade-measure="CN-rare-earth-export-controls"]');
      await expect(item.locator('.badge').first().textContent()).resolves.toBe('not in effect');
      const considered = item.locator('.not-decided.considered');
      await expect(considered.locator('h3').textContent()).resolves.toContain(
        'Under consideration',
      );
      await expect(
        considered.locator(`li[data-event-id="${ids['rare earths considered']}"]`).textContent(),
      ).resolves.toContain('imposed, no date set');
    });

    it('since the last visit (1 July 2025), says the rare-earth controls came under consideration', async () => {
      await page.locator('#since-body .changes').waitFor();
      await expect(page.locator('#since-body .changes').textContent()).resolves.toContain(
        'Now under consideration: rare earth export controls imposed',
      );
    });

    it('shows a proposal only considered apart from the open ones', async () => {
      const considered = page.locator('#proposals .not-decided.considered');
      await expect(considered.locator('h3').textContent()).resolves.toContain(
        'Under consideration',
      );
      await expect(
        considered.locator('li[data-proposal="wang-visit"]').textContent(),
      ).resolves.toContain('Wang Xiaohong');
      await expect(
        page.locator('#proposals > ul li[data-proposal="wang-visit"]').count(),
      ).resolves.toBe(0);
    });

    it('marks the threat as such in the timeline', async () => {
      await expect(
        development(page, 'threat').locator('.badge.modality').textContent(),
      ).resolves.toBe('Threatened');
    });
  });

  describe('the evidence filter', () => {
    let page: Page;
    const asked: Request[] = [];
    beforeAll(async () => {
      page = await openPage();
      page.on('request', (request) => asked.push(request));
      await page.waitForLoadState('networkidle');
    });
    afterAll(() => page.context().close());

    /** The page's requests since the last call to endpoints that take minEvidence. */
    function filteredRequests(): URL[] {
      const urls = asked
        .map((r) => new URL(r.url()))
        .filter((u) =>
          /\/(state|changes|tariffs\/history|tariffs|talks|proposals|replay)$/.test(u.pathname),
        );
      asked.length = 0;
      return urls;
    }

    it('with all reports, counts the four rounds', async () => {
      await expect(roundsHeld(page).textContent()).resolves.toBe('4');
      await expect(page.locator('#min-evidence-all').isChecked()).resolves.toBe(true);
    });

    it('"Only corroborated", chosen with the keyboard: the reported-only April round and the disputed one are no longer counted', async () => {
      asked.length = 0;
      await page.locator('#min-evidence-all').focus();
      await page.keyboard.press('ArrowDown');
      await statusSays(page, 'counting only corroborated reports');
      await expect(page.locator('#min-evidence-corroborated').isChecked()).resolves.toBe(true);
      await expect(roundsHeld(page).textContent()).resolves.toBe('2');
      await expect(development(page, 'april talks').getAttribute('class')).resolves.toContain(
        'left-out',
      );
      await expect(development(page, 'disputed talks').getAttribute('class')).resolves.toContain(
        'left-out',
      );
      await expect(development(page, 'june talks').getAttribute('class')).resolves.not.toContain(
        'left-out',
      );
      expect(new URL(page.url()).searchParams.get('minEvidence')).toBe('corroborated');
      // Every request that takes minEvidence was asked with it: the state, the chart's history,
      // what changed since the last visit.
      await page.waitForLoadState('networkidle');
      const urls = filteredRequests();
      expect(new Set(urls.map((u) => u.pathname.split('/').slice(3).join('/')))).toEqual(
        new Set(['state', 'tariffs/history', 'changes']),
      );
      for (const url of urls) expect(url.searchParams.get('minEvidence')).toBe('corroborated');
    });

    it('"Only confirmed": only the round stated officially is counted; the confirmed tariff stays', async () => {
      await page.locator('#min-evidence-confirmed').check();
      await statusSays(page, 'counting only confirmed reports');
      await expect(roundsHeld(page).textContent()).resolves.toBe('1');
      await expect(page.locator('[data-pair="US-CN"] .total-value').textContent()).resolves.toBe(
        '20',
      );
    });

    it('"All reports" again: four rounds, and no minEvidence asked', async () => {
      asked.length = 0;
      await page.locator('#min-evidence-all').check();
      await statusSays(page, 'as known now (revision');
      await expect(roundsHeld(page).textContent()).resolves.toBe('4');
      await page.waitForLoadState('networkidle');
      for (const url of filteredRequests()) expect(url.searchParams.has('minEvidence')).toBe(false);
    });

    it('opened with ?minEvidence=corroborated, starts filtered', async () => {
      const filtered = await openPage(`?negotiation=${ID}&asOf=${AS_OF}&minEvidence=corroborated`);
      await statusSays(filtered, 'counting only corroborated reports');
      await expect(roundsHeld(filtered).textContent()).resolves.toBe('2');
      await expect(filtered.locator('#min-evidence-corroborated').isChecked()).resolves.toBe(true);
      await filtered.context().close();
    });

    it('labels every control, the evidence filter too', async () => {
      const unlabelled = await page.evaluate<string[]>(`
        [...document.querySelectorAll('input, select, button')]
          .filter((el) => !(el.labels && el.labels.length > 0) && !el.getAttribute('aria-label') && !el.textContent.trim())
          .map((el) => el.outerHTML)
      `);
      expect(unlabelled).toEqual([]);
      await expect(page.locator('fieldset.evidence-filter legend').textContent()).resolves.toBe(
        'Evidence counted',
      );
    });
  });
});
