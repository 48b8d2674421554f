/**
 * The OpenAPI document at /docs-json describes every route the app serves (enumerated from
 * Fastify as the routes are registered, not from a list kept here), every development type as a
 * discriminated union on `type`, and the problem+json error shapes; Swagger UI is at /docs.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RECORDABLE_TYPES } from '@parley/domain';
import { SqliteEventStore } from '@parley/event-store';
import type { RouteOptions } from 'fastify';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../apps/api/src/app.factory';
import {
  DEVELOPMENT_EXAMPLES,
  OPEN_NEGOTIATION_EXAMPLE,
} from '../../apps/api/src/docs/openapi.examples';
import { DOCS_PATH } from '../../apps/api/src/docs/openapi';
import { ISO_TIME_PATTERN } from '../../apps/api/src/docs/validation-schema';
import { timelinePagePaths } from '../../apps/api/src/web/timeline-page';

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  pattern?: string;
  uniqueItems?: boolean;
  nullable?: boolean;
  discriminator?: { propertyName: string; mapping: Record<string, string> };
  additionalProperties?: boolean;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  example?: unknown;
}
interface Operation {
  requestBody?: {
    content: Record<string, { schema: Schema; examples?: Record<string, { value: unknown }> }>;
  };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  parameters?: { name: string; in: string; schema?: Schema }[];
  security?: Record<string, string[]>[];
  tags?: string[];
}
interface Document {
  openapi: string;
  servers: { url: string }[];
  tags: { name: string }[];
  security?: unknown;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, object> };
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'seed-article.json'), 'utf8'),
) as {
  negotiation: unknown;
  developments: { type: string }[];
};

describe('the OpenAPI document', () => {
  let dir: string;
  let app: NestFastifyApplication;
  let baseUrl: string;
  let doc: Document;
  /** Every route Fastify registers while the app starts (HEAD twins of GET routes included). */
  const served: { method: string; url: string }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-docs-'));
    const dbPath = join(dir, 'parley.db');
    app = await createApp({
      config: { port: 0, host: '127.0.0.1', store: { kind: 'sqlite', path: dbPath } },
      store: new SqliteEventStore({ path: dbPath }),
      logger: ['error'],
    });
    // Controllers' routes are registered during init; record them as Fastify sees them.
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRoute', (route: RouteOptions) => {
        for (const method of [route.method].flat()) served.push({ method, url: route.url });
      });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const answer = await fetch(`${baseUrl}/${DOCS_PATH}-json`);
    expect(answer.status).toBe(200);
    doc = (await answer.json()) as Document;
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const resolve = (schema: Schema): Schema => {
    const name = schema.$ref?.replace('#/components/schemas/', '');
    return name ? (doc.components.schemas[name] ?? {}) : schema;
  };

  describe('covers every route the app serves', () => {
    /** Not API: the timeline page's files and the documentation itself. */
    const isPageOrDocs = (url: string) =>
      timelinePagePaths().includes(url) || url.startsWith(`/${DOCS_PATH}`);
    const apiRoutes = () =>
      served.filter(
        (r) =>
          !isPageOrDocs(r.url) &&
          // Fastify adds a HEAD twin to every GET.
          !(r.method === 'HEAD' && served.some((g) => g.method === 'GET' && g.url === r.url)),
      );

    it('finds the routes (the contract’s, operations’ and any other controller’s)', () => {
      const urls = apiRoutes().map((r) => `${r.method} ${r.url}`);
      expect(urls).toEqual(
        expect.arrayContaining([
          'POST /negotiations',
          'GET /negotiations',
          'GET /negotiations/:id',
          'POST /negotiations/:id/events',
          'POST /negotiations/:id/events/batch',
          'GET /negotiations/:id/events',
          'GET /negotiations/:id/state',
          'GET /negotiations/:id/tariffs',
          'GET /negotiations/:id/talks',
          'GET /negotiations/:id/proposals',
          'GET /health',
          'GET /health/ready',
          'GET /metrics',
        ]),
      );
    });

    it('documents each of them', () => {
      const undocumented = apiRoutes()
        .filter((r) => !doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()])
        .map((r) => `${r.method} ${r.url}`);
      expect(undocumented).toEqual([]);
    });

    it('documents nothing the app does not serve', () => {
      const servedKeys = new Set(
        apiRoutes().map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`),
      );
      const stale = Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((method) => !servedKeys.has(`${method} ${path}`))
          .map((method) => `${method} ${path}`),
      );
      expect(stale).toEqual([]);
    });
  });

  describe('developments, a discriminated union on type', () => {
    it('has one envelope schema per development type, mapped by `type`', () => {
      const union = doc.components.schemas.Development!;
      expect(union.discriminator?.propertyName).toBe('type');
      expect(Object.keys(union.discriminator?.mapping ?? {}).sort()).toEqual(
        [...RECORDABLE_TYPES].sort(),
      );
      expect(union.oneOf).toHaveLength(RECORDABLE_TYPES.length);
      for (const type of RECORDABLE_TYPES) {
        const envelope = resolve({ $ref: union.discriminator!.mapping[type] });
        expect({ type, enum: envelope.properties?.type?.enum }).toEqual({ type, enum: [type] });
        expect(envelope.required).toEqual(expect.arrayContaining(['type', 'occurredAt', 'data']));
        const data = resolve(envelope.properties!.data!);
        expect({ type, hasProperties: Object.keys(data.properties ?? {}).length > 0 }).toEqual({
          type,
          hasProperties: true,
        });
        expect(data.additionalProperties).toBe(false);
      }
    });

    it('says what the validation enforces (limits, required fields, enums)', () => {
      const tariff = doc.components.schemas.TariffChangedData!;
      expect(tariff.properties?.rate).toMatchObject({ type: 'number', minimum: 0, maximum: 1000 });
      expect(tariff.properties?.coverage?.enum).toEqual(['all-goods', 'selected-goods']);
      expect(tariff.required).toEqual(
        expect.arrayContaining(['imposedBy', 'appliedTo', 'measure', 'rate', 'coverage']),
      );
      // Required unless the change is only considered (contract v1.1): a rule beside the schema, said in its description.
      expect(tariff.required).not.toContain('effectiveAt');
      expect((tariff.properties?.effectiveAt as { description?: string }).description).toContain(
        'Required unless modality is considered',
      );
      expect(tariff.required).not.toContain('description');
      expect(doc.components.schemas.TalksHeldData?.properties?.participants).toMatchObject({
        type: 'array',
        minItems: 2,
      });
      expect(
        resolve(doc.components.schemas.TariffChangedDevelopment!.properties!.source!).properties
          ?.attribution?.enum,
      ).toContain('unnamed-sources');
    });

    it('is the body of POST …/events and the members of POST …/events/batch', () => {
      const single =
        doc.paths['/negotiations/{id}/events']!.post!.requestBody!.content['application/json']!
          .schema;
      expect(single.$ref).toBe('#/components/schemas/Development');
      const batch = resolve(
        doc.paths['/negotiations/{id}/events/batch']!.post!.requestBody!.content[
          'application/json'
        ]!.schema,
      );
      expect(batch.properties?.events?.items?.$ref).toBe('#/components/schemas/Development');
    });

    it('lists what the log answers as the same union, with revision, recordedAt and retracted, or as unreadable', () => {
      const listed = doc.components.schemas.ListedDevelopment!;
      expect(listed.anyOf?.map((s) => s.$ref)).toEqual([
        '#/components/schemas/ReadableDevelopment',
        '#/components/schemas/UnreadableDevelopment',
      ]);
      const readable = doc.components.schemas.ReadableDevelopment!;
      expect(readable.discriminator?.propertyName).toBe('type');
      expect(Object.keys(readable.discriminator?.mapping ?? {}).sort()).toEqual(
        ['NegotiationOpened', ...RECORDABLE_TYPES].sort(),
      );
      for (const type of RECORDABLE_TYPES) {
        const one = resolve({ $ref: readable.discriminator!.mapping[type] });
        expect({ type, required: one.required }).toEqual({
          type,
          required: expect.arrayContaining(['eventId', 'revision', 'recordedAt', 'retracted']),
        });
        expect(one.properties?.expectedRevision).toBeUndefined();
        expect(one.properties?.data).toEqual(
          doc.components.schemas[`${type}Development`]!.properties!.data,
        );
      }
      expect(doc.components.schemas.UnreadableDevelopment?.required).toContain('unreadable');
      expect(doc.components.schemas.NegotiationOpenedData?.required).not.toContain('description');
    });
  });

  describe('request schemas, as strict as validation', () => {
    const requestSchemaNames = () => [
      'OpenNegotiationRequest',
      'Party',
      'Source',
      'DevelopmentBatch',
      ...RECORDABLE_TYPES.flatMap((type) => [`${type}Development`, `${type}Data`]),
    ];

    it('close every request object: unknown fields are 400', () => {
      const open = requestSchemaNames().filter(
        (name) => doc.components.schemas[name]?.additionalProperties !== false,
      );
      expect(open).toEqual([]);
    });

    it('never admit null (null is 400) and require no optional field', () => {
      const text = JSON.stringify(requestSchemaNames().map((name) => doc.components.schemas[name]));
      expect(text).not.toContain('nullable');
      expect(doc.components.schemas.OpenNegotiationRequest?.required?.sort()).toEqual(
        ['id', 'parties', 'title'].sort(),
      );
      expect(doc.components.schemas.TariffChangedDevelopment?.required?.sort()).toEqual(
        ['data', 'occurredAt', 'type'].sort(),
      );
    });

    it('give every time field the pattern of the contract’s forms, and http(s) to source.url', () => {
      // occurredAt alone also takes a month or a year (contract v1.1).
      const occurredAt = doc.components.schemas.TariffChangedDevelopment!.properties!.occurredAt!;
      expect(occurredAt.pattern).toBe(`(${ISO_TIME_PATTERN})|(^\\d{4}(-(0[1-9]|1[0-2]))?$)`);
      for (const [form, matches] of [
        ['2025', true],
        ['2025-04', true],
        ['2025-13', false],
        ['2025-04-10', true],
        ['25', false],
      ] as const) {
        expect({ form, matches: new RegExp(occurredAt.pattern!).test(form) }).toEqual({
          form,
          matches,
        });
      }
      const times = [
        doc.components.schemas.TariffChangedDevelopment!.properties!.reportedAt!,
        doc.components.schemas.TariffChangedData!.properties!.effectiveAt!,
        doc.components.schemas.OpenNegotiationRequest!.properties!.openedAt!,
      ];
      for (const time of times) expect(time.pattern).toBe(ISO_TIME_PATTERN);
      const url = doc.components.schemas.Source!.properties!.url!;
      expect(new RegExp(url.pattern!).test('https://example.org/a')).toBe(true);
      expect(new RegExp(url.pattern!).test('ftp://example.org/a')).toBe(false);
      const state = doc.paths['/negotiations/{id}/state']!.get!.parameters!;
      expect(state.find((p) => p.name === 'asOf')?.schema?.pattern).toBe(ISO_TIME_PATTERN);
    });

    it('say that party codes in a list are distinct', () => {
      expect(doc.components.schemas.TalksHeldData?.properties?.participants?.uniqueItems).toBe(
        true,
      );
    });
  });

  describe('examples, from the seed article fixture', () => {
    it('are the fixture’s negotiation and its first development of each type', () => {
      expect(OPEN_NEGOTIATION_EXAMPLE).toEqual(fixture.negotiation);
      for (const [type, example] of Object.entries(DEVELOPMENT_EXAMPLES)) {
        expect(example).toEqual(fixture.developments.find((d) => d.type === type));
      }
      expect(Object.keys(DEVELOPMENT_EXAMPLES).sort()).toEqual(
        [...new Set(fixture.developments.map((d) => d.type))].sort(),
      );
    });

    it('appear on the request bodies and the envelope schemas', () => {
      const body =
        doc.paths['/negotiations/{id}/events']!.post!.requestBody!.content['application/json']!;
      expect(body.examples?.TariffChanged?.value).toEqual(DEVELOPMENT_EXAMPLES.TariffChanged);
      expect(doc.components.schemas.TariffChangedDevelopment?.example).toEqual(
        DEVELOPMENT_EXAMPLES.TariffChanged,
      );
      const opening = doc.paths['/negotiations']!.post!.requestBody!.content['application/json']!;
      expect(opening.examples?.seed?.value).toEqual(fixture.negotiation);
    });

    it('are accepted by the app as they are', async () => {
      const opened = await fetch(`${baseUrl}/negotiations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(OPEN_NEGOTIATION_EXAMPLE),
      });
      expect(opened.status).toBe(201);
      const answer = await fetch(`${baseUrl}/negotiations/us-china-trade/events/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events: fixture.developments }),
      });
      expect(answer.status).toBe(201);
    });
  });

  describe('errors', () => {
    it('give every 4xx and 5xx answer of every operation the problem+json shape', () => {
      const missing: string[] = [];
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          for (const [status, response] of Object.entries(operation.responses)) {
            if (Number(status) < 400) continue;
            if (!response.content?.['application/problem+json'])
              missing.push(`${method} ${path} ${status}`);
          }
        }
      }
      expect(missing).toEqual([]);
    });

    it('describe 400 with the errors array and domain refusals with the rule', () => {
      const post = doc.paths['/negotiations/{id}/events']!.post!;
      expect(post.responses['400']?.content?.['application/problem+json']?.schema.$ref).toBe(
        '#/components/schemas/ValidationProblem',
      );
      expect(Object.keys(post.responses)).toEqual(
        expect.arrayContaining(['201', '200', '400', '404', '409', '413', '422']),
      );
      const problem = doc.components.schemas.Problem!;
      expect(problem.required).toEqual(['type', 'title', 'status', 'detail']);
      expect(Object.keys(problem.properties ?? {})).toEqual(
        expect.arrayContaining(['rule', 'errors', 'actualRevision']),
      );
    });
  });

  describe('what every route can answer, and who may call it', () => {
    const operations = () =>
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
      );
    const statusesOf = (path: string, method: string) =>
      Object.keys(doc.paths[path]![method]!.responses).sort();

    it('give writes the refusals of the guard, the rate limit, the body parser and the store', () => {
      for (const path of [
        '/negotiations',
        '/negotiations/{id}/events',
        '/negotiations/{id}/events/batch',
      ])
        expect({ path, statuses: statusesOf(path, 'post') }).toEqual({
          path,
          statuses: expect.arrayContaining([
            '201',
            '400',
            '401',
            '403',
            '409',
            '413',
            '415',
            '429',
            '503',
          ]),
        });
    });

    it('give reads 304, 401 and 403 (READ_API_KEY) and 429, and 404 where a negotiation is named', () => {
      expect(statusesOf('/negotiations/{id}/state', 'get')).toEqual(
        expect.arrayContaining(['200', '304', '400', '401', '403', '404', '429']),
      );
      expect(statusesOf('/negotiations', 'get')).not.toContain('404');
      expect(statusesOf('/negotiations/{id}/live', 'get')).toEqual(
        expect.arrayContaining(['400', '401', '403', '404', '429', '503']),
      );
      expect(statusesOf('/negotiations/{id}/live', 'get')).not.toContain('304');
    });

    it('declare keys as optional: writes take an API_KEY key, reads a READ_API_KEY or API_KEY key, probes none', () => {
      expect(doc.paths['/negotiations']!.post!.security).toEqual([{}, { bearer: [] }]);
      expect(doc.paths['/negotiations/{id}/state']!.get!.security).toEqual([
        {},
        { readKey: [] },
        { bearer: [] },
      ]);
      expect(doc.paths['/health/ready']!.get!.security).toEqual([]);
      expect(statusesOf('/health/ready', 'get')).not.toContain('401');
      for (const scheme of Object.values(doc.components.securitySchemes ?? {}))
        expect(scheme).toEqual({ type: 'http', scheme: 'bearer', description: expect.any(String) });
    });

    it('name a server, and declare every tag it uses', () => {
      expect(doc.servers.length).toBeGreaterThan(0);
      const declared = doc.tags.map((t) => t.name);
      const used = new Set(operations().flatMap(({ operation }) => operation.tags ?? []));
      expect([...used].filter((tag) => !declared.includes(tag))).toEqual([]);
    });

    it('uses every component schema it defines', () => {
      const text = JSON.stringify({ paths: doc.paths, components: doc.components });
      const unused = Object.keys(doc.components.schemas).filter(
        (name) => !text.includes(`"#/components/schemas/${name}"`),
      );
      expect(unused).toEqual([]);
    });
  });

  it('serves Swagger UI at /docs', async () => {
    const page = await fetch(`${baseUrl}/${DOCS_PATH}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    const bundle = await fetch(`${baseUrl}/${DOCS_PATH}/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });
});
