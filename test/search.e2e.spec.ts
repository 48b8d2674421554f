import { onSqlite } from './support/apps-on-store';
import { negotiation, proposalMade, statementMade, tariffChanged } from './support/requests';
import type { RunningApp } from './support/running-app';

/**
 * Issue 16, Search: GET /search and GET /negotiations/:id/search against the real app on SQLite.
 * Given developments of two negotiations, when searched, then the results are ranked, filtered,
 * paged and highlighted as documented (every answer is checked against the served OpenAPI
 * document by RunningApp), and bad input is 400 naming the field.
 */

interface Hit {
  negotiationId: string;
  score: number;
  development: Record<string, any>;
  matches: { field: string; snippet: string; highlights: { start: number; end: number }[] }[];
}
interface Page {
  items: Hit[];
  total: number;
  nextCursor: string | null;
}

const TRADE = 'search-trade';
const STEEL = 'search-steel';
const whiteHouse = { name: 'The White House', attribution: 'official-statement' };
const reuters = { name: 'Reuters', attribution: 'unnamed-sources' };

describe('search (SQLite)', () => {
  let app: RunningApp;
  const ids: Record<string, string> = {};

  async function record(negotiationId: string, name: string, body: unknown): Promise<void> {
    const answer = await app.post(`/negotiations/${negotiationId}/events`, body);
    expect({ name, status: answer.status, body: answer.body }).toMatchObject({ name, status: 201 });
    ids[name] = answer.body.eventId as string;
  }
  const search = async (query: string): Promise<Page> => {
    const answer = await app.get<Page>(query);
    expect({ query, status: answer.status, body: answer.body }).toMatchObject({
      query,
      status: 200,
    });
    return answer.body;
  };
  const names = (page: Page) =>
    page.items.map(
      (hit) =>
        Object.keys(ids).find((name) => ids[name] === hit.development.eventId) ??
        hit.development.type,
    );
  const refused = async (query: string) => {
    const answer = await app.get(query);
    return {
      status: answer.status,
      paths: [...new Set((answer.body.errors ?? []).map((e: { path: string }) => e.path))],
    };
  };

  beforeAll(async () => {
    app = await onSqlite.start();
    const opened = await app.post(
      '/negotiations',
      negotiation({
        id: TRADE,
        title: 'US-China trade talks',
        openedAt: '2025-01-20',
        parties: [
          { code: 'US', name: 'United States' },
          { code: 'CN', name: 'China' },
          { code: 'MX', name: 'Mexico' },
        ],
      }),
    );
    expect(opened.status).toBe(201);
    expect(
      (
        await app.post(
          '/negotiations',
          negotiation({
            id: STEEL,
            title: 'Transatlantic metals',
            openedAt: '2025-01-20',
            parties: [
              { code: 'US', name: 'United States' },
              { code: 'EU', name: 'European Union' },
            ],
          }),
        )
      ).status,
    ).toBe(201);

    // Matches "fentanyl" in its summary and its quote.
    await record(
      TRADE,
      'trumpFentanyl',
      statementMade(
        { party: 'US', speaker: 'Donald Trump', quote: 'China must stop the fentanyl flow now' },
        { occurredAt: '2025-03-01', summary: 'Trump warns China on fentanyl', source: whiteHouse },
      ),
    );
    // Matches it once, in its summary of the same length.
    await record(
      TRADE,
      'fentanylTariff',
      tariffChanged(
        { measure: 'fentanyl-ieepa', rate: 20, effectiveAt: '2025-03-04' },
        {
          occurredAt: '2025-03-03',
          summary: 'US doubles tariff over fentanyl',
          source: whiteHouse,
        },
      ),
    );
    // Reported by unnamed sources, via another outlet; Mexico named.
    await record(TRADE, 'genevaTalks', {
      type: 'TalksHeld',
      occurredAt: '2025-05-10',
      summary: 'Negotiators meet in Geneva',
      source: { ...reuters, via: 'Wall Street Journal' },
      data: { participants: ['US', 'CN'], venue: 'Genève, São Paulo annex' },
    });
    await record(
      TRADE,
      'proposal',
      proposalMade(
        {
          proposalId: 'precursors',
          by: 'CN',
          to: ['US'],
          summary: 'Controls on precursor chemicals',
          terms: ['export licences for precursors', 'joint fentanyl task force'],
        },
        { occurredAt: '2025-05-12', source: reuters },
      ),
    );
    // A report later retracted.
    await record(
      TRADE,
      'soybeans',
      statementMade(
        { party: 'CN', speaker: 'He Lifeng', quote: 'China will buy American soybeans' },
        { occurredAt: '2025-05-13', source: reuters },
      ),
    );
    await record(TRADE, 'retraction', {
      type: 'DevelopmentRetracted',
      occurredAt: '2025-05-14',
      data: { targetEventId: ids.soybeans, reason: 'The soybeans report was false' },
    });
    // Disputed by China.
    await record(TRADE, 'dispute', {
      type: 'DevelopmentDisputed',
      occurredAt: '2025-05-15',
      data: { targetEventId: ids.genevaTalks, by: 'CN', note: 'no talks in Geneva took place' },
    });
    // Mexico: a tariff on Mexican goods over fentanyl.
    await record(
      TRADE,
      'mexico',
      tariffChanged(
        { appliedTo: 'MX', measure: 'fentanyl-mx', rate: 25, effectiveAt: '2025-03-04' },
        {
          occurredAt: '2025-02-01',
          summary: 'Mexico tariff over fentanyl and migration',
          source: whiteHouse,
        },
      ),
    );
    // Another negotiation: steel, with Geneva and seven steel statements to page through.
    await record(
      STEEL,
      'steelGeneva',
      statementMade(
        { party: 'EU', speaker: 'Maroš Šefčovič', quote: 'We met in Geneva about steel' },
        { occurredAt: '2025-04-01', source: reuters },
      ),
    );
    for (let i = 0; i < 6; i++) {
      await record(
        STEEL,
        `steel${i}`,
        statementMade(
          { party: 'US', speaker: 'Howard Lutnick', quote: `Steel quotas, round ${i}` },
          { occurredAt: `2025-04-0${i + 2}`, source: whiteHouse },
        ),
      );
    }
  });

  afterAll(() => app.destroy());

  describe('ranking and matching', () => {
    it('a development matching in its summary and its quote outranks one matching once', async () => {
      const page = await search(
        `/negotiations/${TRADE}/search?q=fentanyl&type=StatementMade,TariffChanged`,
      );
      const order = names(page);
      expect(order.indexOf('trumpFentanyl')).toBeLessThan(order.indexOf('fentanylTariff'));
      expect(order[0]).toBe('trumpFentanyl');
      const scores = page.items.map((hit) => hit.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('highlights each matched word by offsets into the snippet, per field', async () => {
      const [top] = (await search(`/negotiations/${TRADE}/search?q=fentanyl&type=StatementMade`))
        .items;
      expect(top!.matches.map((m) => m.field)).toEqual(['summary', 'data.quote']);
      for (const match of top!.matches) {
        expect(match.highlights.length).toBeGreaterThan(0);
        for (const { start, end } of match.highlights) {
          expect(match.snippet.slice(start, end).toLowerCase()).toBe('fentanyl');
        }
      }
      expect(top!.matches[1]!.snippet).toBe('China must stop the fentanyl flow now');
    });

    it('finds words by prefix (3+ characters), by a misspelling (5+), and without accents', async () => {
      expect(
        names(await search(`/negotiations/${TRADE}/search?q=fentan&type=StatementMade`)),
      ).toEqual(['trumpFentanyl']);
      expect(
        names(await search(`/negotiations/${TRADE}/search?q=fentanil&type=StatementMade`)),
      ).toEqual(['trumpFentanyl']);
      const accents = await search(`/negotiations/${TRADE}/search?q=geneve%20sao%20paulo`);
      expect(names(accents)).toEqual(['genevaTalks']);
      const venue = accents.items[0]!.matches.find((m) => m.field === 'data.venue')!;
      expect(venue.highlights.map(({ start, end }) => venue.snippet.slice(start, end))).toEqual([
        'Genève',
        'São',
        'Paulo',
      ]);
    });

    it('every word must be found, in any field: the source via and the terms are searched', async () => {
      const via = await search(`/search?q=wall%20street%20geneva`);
      expect(names(via)).toEqual(['genevaTalks']);
      // `geneva` also finds the venue's Genève: one edit away.
      expect(via.items[0]!.matches.map((m) => m.field)).toEqual([
        'summary',
        'source.via',
        'data.venue',
      ]);
      const terms = await search(`/negotiations/${TRADE}/search?q=task%20force`);
      expect(names(terms)).toEqual(['proposal']);
      expect(terms.items[0]!.matches).toEqual([
        {
          field: 'data.terms.1',
          snippet: 'joint fentanyl task force',
          highlights: [
            { start: 15, end: 19 },
            { start: 20, end: 25 },
          ],
        },
      ]);
      expect(names(await search(`/search?q=fentanyl%20soybeans`))).toEqual([]);
    });

    it('lists each development as GET …/events lists it', async () => {
      const hit = (await search(`/negotiations/${TRADE}/search?q=precursor`)).items[0]!;
      const listed = await app.get(`/negotiations/${TRADE}/events?type=ProposalMade`);
      expect(hit.negotiationId).toBe(TRADE);
      expect(hit.development).toEqual(listed.body.items[0]);
    });
  });

  describe('across negotiations and within one', () => {
    it('GET /search finds developments of every negotiation; …/search those of one', async () => {
      const across = await search('/search?q=geneva');
      expect(new Set(across.items.map((hit) => hit.negotiationId))).toEqual(
        new Set([TRADE, STEEL]),
      );
      expect(names(across).sort()).toEqual(['dispute', 'genevaTalks', 'steelGeneva']);
      const within = await search(`/negotiations/${STEEL}/search?q=geneva`);
      expect(names(within)).toEqual(['steelGeneva']);
    });

    it('the opening is searched too: its title', async () => {
      const page = await search('/search?q=transatlantic');
      expect(
        page.items.map((hit) => [hit.negotiationId, hit.development.type, hit.matches[0]!.field]),
      ).toEqual([[STEEL, 'NegotiationOpened', 'data.title']]);
    });

    it('an unknown negotiation is 404', async () => {
      expect((await app.get('/negotiations/nowhere/search?q=geneva')).status).toBe(404);
    });
  });

  describe('filters', () => {
    it('type keeps developments of those types', async () => {
      expect(names(await search(`/search?q=fentanyl&type=TariffChanged`)).sort()).toEqual([
        'fentanylTariff',
        'mexico',
      ]);
      expect(names(await search(`/search?q=geneva&type=DevelopmentDisputed`))).toEqual(['dispute']);
    });

    it('party keeps developments naming the party', async () => {
      expect(names(await search(`/search?q=fentanyl&party=MX`))).toEqual(['mexico']);
      expect(names(await search(`/search?q=geneva&party=EU`))).toEqual(['steelGeneva']);
    });

    it('from and to bound occurredAt, a date meaning its whole day', async () => {
      expect(
        names(await search(`/search?q=fentanyl&from=2025-03-01&to=2025-03-03`)).sort(),
      ).toEqual(['fentanylTariff', 'trumpFentanyl']);
      expect(names(await search(`/search?q=fentanyl&to=2025-02-28`))).toEqual(['mexico']);
      expect(names(await search(`/search?q=fentanyl&from=2025-05-01`))).toEqual(['proposal']);
    });

    it('evidence and minEvidence select by evidence status, as known then', async () => {
      expect(names(await search(`/search?q=geneva&evidence=disputed`))).toEqual(['genevaTalks']);
      expect(names(await search(`/search?q=geneva&evidence=reported,disputed`)).sort()).toEqual([
        'genevaTalks',
        'steelGeneva',
      ]);
      // minEvidence keeps what is not a report (the dispute), as a fold does.
      expect(names(await search(`/search?q=geneva&minEvidence=corroborated`))).toEqual(['dispute']);
      expect(names(await search(`/search?q=fentanyl&minEvidence=confirmed`)).sort()).toEqual([
        'fentanylTariff',
        'mexico',
        'trumpFentanyl',
      ]);
      const talks = (await search(`/search?q=geneva&type=TalksHeld`)).items[0]!;
      expect(talks.development.evidence.status).toBe('disputed');
    });

    it('knownAt: only what was recorded by then, judged as then', async () => {
      const before = (await app.get(`/negotiations/${TRADE}/events?type=DevelopmentDisputed`)).body
        .items[0];
      const justBefore = new Date(Date.parse(before.recordedAt) - 1).toISOString();
      const then = await search(
        `/search?q=geneva&knownAt=${justBefore}&type=TalksHeld,DevelopmentDisputed`,
      );
      expect(names(then)).toEqual(['genevaTalks']);
      expect(then.items[0]!.development.evidence.status).toBe('reported');
    });
  });

  describe('retracted developments', () => {
    it('are left out unless includeRetracted=true, then listed with retracted: true', async () => {
      expect(names(await search(`/search?q=soybeans&type=StatementMade`))).toEqual([]);
      const all = await search(`/search?q=soybeans&type=StatementMade&includeRetracted=true`);
      expect(names(all)).toEqual(['soybeans']);
      expect(all.items[0]!.development.retracted).toBe(true);
      // The retraction itself is a development, its reason searched.
      expect(names(await search(`/search?q=soybeans`))).toEqual(['retraction']);
    });

    it('as known before the retraction, the report is listed, not retracted', async () => {
      const retraction = (await app.get(`/negotiations/${TRADE}/events?type=DevelopmentRetracted`))
        .body.items[0];
      const justBefore = new Date(Date.parse(retraction.recordedAt) - 1).toISOString();
      const then = await search(`/search?q=soybeans&knownAt=${justBefore}`);
      expect(names(then)).toEqual(['soybeans']);
      expect(then.items[0]!.development.retracted).toBe(false);
    });
  });

  describe('paging', () => {
    it('pages by an opaque cursor through the same results as one page, each once, best first', async () => {
      const whole = await search(`/negotiations/${STEEL}/search?q=steel&limit=100`);
      expect(whole.total).toBe(7);
      expect(whole.nextCursor).toBeNull();
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Page = await search(
          `/negotiations/${STEEL}/search?q=steel&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.total).toBe(7);
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((hit) => hit.development.eventId as string));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null);
      expect(pages).toBe(3);
      expect(seen).toEqual(whole.items.map((hit) => hit.development.eventId));
    });

    it('takes 20 results a page by default', async () => {
      for (let i = 0; i < 20; i++) {
        await record(
          STEEL,
          `quota${i}`,
          statementMade(
            { party: 'EU', speaker: 'Spokesperson', quote: `Quota talk number ${i}` },
            { occurredAt: '2025-06-01' },
          ),
        );
      }
      const page = await search(`/negotiations/${STEEL}/search?q=quota`);
      expect(page.items).toHaveLength(20);
      expect(page.total).toBe(26);
      expect(page.nextCursor).not.toBeNull();
      // Recorded after the index was built: found, incrementally indexed.
      expect(names(await search(`/search?q=number%2019`))).toEqual(['quota19']);
    });
  });

  describe('bad input: 400 naming the field', () => {
    it.each([
      ['missing q', '/search', ['q']],
      ['empty q', '/search?q=', ['q']],
      ['q of only punctuation', '/search?q=%21%3F', ['q']],
      ['q over 200 characters', `/search?q=${'a'.repeat(201)}`, ['q']],
      ['limit 0', '/search?q=steel&limit=0', ['limit']],
      ['limit 1001', '/search?q=steel&limit=1001', ['limit']],
      ['an unknown parameter', '/search?q=steel&sort=date', ['sort']],
      ['an unknown type', '/search?q=steel&type=Rumour', ['type']],
      ['an unknown evidence status', '/search?q=steel&evidence=likely', ['evidence']],
      ['a bad minEvidence', '/search?q=steel&minEvidence=reported', ['minEvidence']],
      ['a cursor not given by the server', '/search?q=steel&cursor=abc', ['cursor']],
      ['from after to', '/search?q=steel&from=2025-05-02&to=2025-05-01', ['from']],
      [
        'within one: an unknown parameter',
        `/negotiations/${STEEL}/search?q=steel&negotiation=x`,
        ['negotiation'],
      ],
    ])('%s', async (_name, query, paths) => {
      expect(await refused(query)).toEqual({ status: 400, paths });
    });

    it('q of exactly 200 characters is searched', async () => {
      expect((await search(`/search?q=${'a'.repeat(200)}`)).items).toEqual([]);
    });
  });
});
