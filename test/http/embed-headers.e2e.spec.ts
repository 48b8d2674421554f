/**
 * The embeddable chart's route (issue 16; apps/api/src/web/embed-page.ts), over HTTP: it alone may
 * be framed, by EMBED_ORIGINS (any origin by default) through CSP frame-ancestors and without
 * X-Frame-Options; every other route keeps forbidding framing. Under READ_API_KEY it is off (403,
 * not framable). A wrong address is 400 (an unknown negotiation 404), a readable page naming the
 * parameters. (test/ui/embed.e2e.spec.ts loads it in Chromium from another origin.)
 */
import { ConfigError, configFromEnv, embedOriginsFrom } from '../../apps/api/src/config';
import { negotiation, tariffChanged } from '../support/requests';
import { RunningApp } from '../support/running-app';

const EMBED = '/embed/negotiations/talks/tariffs?imposedBy=US&appliedTo=CN';

/** The CSP's frame-ancestors sources, else undefined. */
const frameAncestors = (headers: Headers): string | undefined =>
  headers
    .get('content-security-policy')
    ?.split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('frame-ancestors '))
    ?.slice('frame-ancestors '.length);

async function get(app: RunningApp, path: string) {
  const response = await fetch(app.baseUrl + path);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function withTalks(app: RunningApp): Promise<void> {
  expect((await app.post('/negotiations', negotiation())).status).toBe(201);
  expect((await app.post('/negotiations/talks/events', tariffChanged())).status).toBe(201);
}

describe('EMBED_ORIGINS', () => {
  it('unset or empty: any origin', () => {
    expect(configFromEnv({}).embedOrigins).toEqual(['*']);
    expect(configFromEnv({ EMBED_ORIGINS: ' ' }).embedOrigins).toEqual(['*']);
  });

  it('a list of origins, subdomain wildcards and ports allowed, a trailing slash dropped', () => {
    expect(
      embedOriginsFrom('https://news.example, https://*.Papers.example,http://127.0.0.1:8080/'),
    ).toEqual(['https://news.example', 'https://*.papers.example', 'http://127.0.0.1:8080']);
  });

  it.each([
    'news.example',
    'https://news.example/charts',
    "https://news.example 'unsafe-inline'",
    'https://news.example;script-src *',
    'ftp://news.example',
  ])('refuses %j, which is not an origin (it would change the policy)', (value) => {
    expect(() => configFromEnv({ EMBED_ORIGINS: value })).toThrow(ConfigError);
    expect(() => configFromEnv({ EMBED_ORIGINS: value })).toThrow(/EMBED_ORIGINS/);
  });
});

describe('the embed route and framing, by default (any origin)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await RunningApp.start();
    await withTalks(app);
  });
  afterAll(() => app.destroy());

  it('the embed is an HTML page framable from any origin, with no X-Frame-Options', async () => {
    const answer = await get(app, EMBED);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).toContain('/assets/embed.js');
    expect(frameAncestors(answer.headers)).toBe('*');
    expect(answer.headers.get('x-frame-options')).toBeNull();
    // Embeddable by a page that requires CORP of its frames (Cross-Origin-Embedder-Policy).
    expect(answer.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    // The rest of the page's policy is kept: scripts of its own origin only.
    expect(answer.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each(['/', '/index.html', '/all.html', '/embed.html'])(
    'the page %s keeps forbidding framing',
    async (path) => {
      const answer = await get(app, path);
      expect(answer.status).toBe(200);
      expect(frameAncestors(answer.headers)).toBe("'none'");
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(answer.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    },
  );

  it.each([
    '/negotiations',
    '/negotiations/talks/tariffs/history?imposedBy=US&appliedTo=CN',
    '/assets/embed.js',
    '/docs',
    '/embed/negotiations/talks/state',
  ])('%s keeps X-Frame-Options', async (path) => {
    const answer = await get(app, path);
    expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(frameAncestors(answer.headers) ?? "'none'").toBe("'none'");
  });

  it('an unknown parameter and bad values are 400, a page naming each, still framable', async () => {
    const answer = await get(
      app,
      '/embed/negotiations/talks/tariffs?imposedBy=us&appliedTo=CN&to=2025-02-30&product=85x&asOf=2025-04-01',
    );
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(frameAncestors(answer.headers)).toBe('*');
    expect(answer.headers.get('x-frame-options')).toBeNull();
    for (const name of ['imposedBy', 'to', 'product', 'asOf'])
      expect(answer.text).toContain(`<li>${name}`);
    expect(answer.text).not.toContain('<li>appliedTo');
  });

  it('a missing pair, a pair of one party, and from after to are 400 naming the parameter', async () => {
    const missing = await get(app, '/embed/negotiations/talks/tariffs?imposedBy=US');
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('<li>appliedTo: appliedTo is required');
    const same = await get(app, '/embed/negotiations/talks/tariffs?imposedBy=US&appliedTo=US');
    expect(same.status).toBe(400);
    expect(same.text).toContain('<li>appliedTo: appliedTo must differ from imposedBy');
    const reversed = await get(app, `${EMBED}&from=2025-05-01&to=2025-04-01`);
    expect(reversed.status).toBe(400);
    expect(reversed.text).toContain('<li>from: from must not be after to');
  });

  it('text from the address is escaped in the error page', async () => {
    const answer = await get(app, `${EMBED}&%3Cscript%3E=1`);
    expect(answer.status).toBe(400);
    expect(answer.text).not.toContain('<script>');
    expect(answer.text).toContain('&lt;script&gt;');
  });

  it('an unknown negotiation is 404, a page saying so; a bad id is 400', async () => {
    const unknown = await get(app, '/embed/negotiations/nowhere/tariffs?imposedBy=US&appliedTo=CN');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('No negotiation &quot;nowhere&quot;');
    const bad = await get(app, '/embed/negotiations/No_Such/tariffs?imposedBy=US&appliedTo=CN');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<li>id: ');
  });

  it('all the parameters together are taken', async () => {
    const answer = await get(
      app,
      `${EMBED}&from=2025-01-01&to=2025-06-01T00:00:00Z&product=8517.13&effectiveOn=2025-03-01`,
    );
    expect(answer.status).toBe(200);
  });
});

describe('the embed with EMBED_ORIGINS set', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await RunningApp.start({
      security: { embedOrigins: embedOriginsFrom('https://news.example,https://*.papers.example') },
    });
    await withTalks(app);
  });
  afterAll(() => app.destroy());

  it('frames only from those origins', async () => {
    const answer = await get(app, EMBED);
    expect(answer.status).toBe(200);
    expect(frameAncestors(answer.headers)).toBe('https://news.example https://*.papers.example');
    expect(answer.headers.get('x-frame-options')).toBeNull();
  });

  it('the timeline page still forbids framing', async () => {
    const answer = await get(app, '/');
    expect(frameAncestors(answer.headers)).toBe("'none'");
    expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});

describe('the embed under READ_API_KEY', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await RunningApp.start({
      security: { access: { writeKeys: [], readKeys: ['read-key-0123456789abcdef'] } },
    });
  });
  afterAll(() => app.destroy());

  it('is off: 403, a page saying why, framable from nowhere', async () => {
    const answer = await get(app, EMBED);
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('READ_API_KEY');
    expect(frameAncestors(answer.headers)).toBe("'none'");
    expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(answer.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('even with the key: a frame could not send it', async () => {
    const response = await fetch(app.baseUrl + EMBED, {
      headers: { authorization: 'Bearer read-key-0123456789abcdef' },
    });
    expect(response.status).toBe(403);
  });
});
