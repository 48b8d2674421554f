import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * The timeline page: plain HTML, CSS and ES modules in the top-level `web/` folder, served as
 * they are (no build step) at `/`, next to the API it calls.
 */

/**
 * The pages' content security policy: everything from this origin, nothing inline, framable by
 * `frameAncestors` only (none: by no one). The embeddable chart passes its allowed origins.
 */
export function pagePolicy(frameAncestors: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'"}`,
    "object-src 'none'",
  ].join('; ');
}

/** The timeline page's own policy: not framable. */
const CONTENT_SECURITY_POLICY = pagePolicy();

/**
 * Where `web/` is: beside the sources (`apps/api/src/web` → `web`), beside the bundle
 * (`dist/apps/api` → `web`), or in the working directory; PARLEY_WEB_ROOT overrides.
 */
export function webRoot(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [
    env.PARLEY_WEB_ROOT,
    resolve(__dirname, '..', '..', '..', '..', 'web'),
    resolve(__dirname, '..', '..', '..', 'web'),
    resolve(process.cwd(), 'web'),
  ].filter((c): c is string => typeof c === 'string' && c.length > 0);
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) {
    throw new Error(
      `the timeline page (web/index.html) was not found; looked in ${candidates.join(', ')}`,
    );
  }
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The embeddable chart's route (web/embed-page.ts serves it). */
export const EMBED_ROUTE = '/embed/negotiations/:id/tariffs';

/**
 * The URL paths the page is served under: `/`, one per file of `web/`, and the embeddable
 * chart's route (web/embed-page.ts, whose template is in EMBED_ROUTE).
 */
export function timelinePagePaths(root: string = webRoot()): string[] {
  return [
    '/',
    EMBED_ROUTE,
    ...filesUnder(root).map((file) => '/' + relative(root, file).split(sep).join('/')),
  ];
}

type HeaderTarget =
  | { header(name: string, value: string): unknown }
  | { setHeader(name: string, value: string): unknown };

/** Serves `web/` at `/` (index.html at `/`), one route per file, so unknown paths stay problem+json 404s. */
export function serveTimelinePage(app: NestFastifyApplication): void {
  void app.useStaticAssets({
    root: webRoot(),
    prefix: '/',
    wildcard: false,
    index: 'index.html',
    decorateReply: false,
    cacheControl: true,
    maxAge: 0,
    // @fastify/static 10 passes the Fastify reply here (earlier majors passed the raw response).
    setHeaders: (reply: HeaderTarget, path: string) => {
      const set = (name: string, value: string): unknown =>
        'header' in reply ? reply.header(name, value) : reply.setHeader(name, value);
      if (path.endsWith('.html')) set('content-security-policy', CONTENT_SECURITY_POLICY);
      set('x-content-type-options', 'nosniff');
    },
  });
}
