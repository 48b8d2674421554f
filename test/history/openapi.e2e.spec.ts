import type { OpenAPIObject } from '@nestjs/swagger';
import { DOCS_PATH } from '../../apps/api/src/docs/openapi';
import { RunningApp } from '../support/running-app';

describe('the OpenAPI document of the history endpoints', () => {
  let app: RunningApp;
  let document: OpenAPIObject;

  beforeAll(async () => {
    app = await RunningApp.start();
    document = (await app.get<OpenAPIObject>(`/${DOCS_PATH}-json`)).body;
  });

  afterAll(() => app.destroy());

  const operation = (path: string) => document.paths[path]?.get;
  const parameters = (path: string) =>
    (operation(path)?.parameters ?? []).map((p) =>
      'name' in p ? `${p.in}:${p.name}${p.required ? '!' : ''}` : '$ref',
    );

  it.each([
    [
      '/negotiations/{id}/changes',
      ['path:id!', 'query:from', 'query:to', 'query:knownAt', 'query:minEvidence'],
    ],
    [
      '/negotiations/{id}/tariffs/history',
      [
        'path:id!',
        'query:imposedBy!',
        'query:appliedTo!',
        'query:from',
        'query:to',
        'query:knownAt',
        'query:minEvidence',
        'query:product',
        'query:format',
      ],
    ],
    [
      '/negotiations/{id}/replay',
      [
        'path:id!',
        'query:from',
        'query:to',
        'query:knownAt',
        'query:minEvidence',
        'query:limit',
        'query:cursor',
      ],
    ],
    ['/negotiations/{id}/live', ['path:id!', 'header:Last-Event-ID', 'query:lastEventId']],
  ])(
    'documents GET %s, tagged history, with its parameters and its 200 answer',
    (path, expected) => {
      expect(operation(path)?.tags).toEqual(['history']);
      expect(operation(path)?.summary).toEqual(expect.any(String));
      expect(parameters(path).sort()).toEqual([...expected].sort());
      expect(operation(path)?.responses['200']).toBeDefined();
      expect(operation(path)?.responses['400']).toBeDefined();
    },
  );

  it.each([
    ['/negotiations/{id}/changes', '#/components/schemas/NegotiationChanges'],
    ['/negotiations/{id}/replay', '#/components/schemas/ReplayPage'],
  ])('answers GET %s with the shared component %s', (path, component) => {
    const ok = operation(path)?.responses['200'] as {
      content: Record<string, { schema: { $ref?: string } }>;
    };
    expect(ok.content['application/json']?.schema.$ref).toBe(component);
  });

  it('requires every field of the changes, with enums for statuses', () => {
    const schemas = document.components!.schemas! as Record<
      string,
      { required?: string[]; properties?: Record<string, { enum?: unknown[] }> }
    >;
    expect(schemas.NegotiationChanges?.required?.sort()).toEqual(
      [
        'negotiationId',
        'from',
        'to',
        'knownAt',
        'revision',
        'developments',
        'tariffs',
        'talks',
        'proposals',
        'tradeMeasures',
        'stances',
        'demands',
      ].sort(),
    );
    expect(schemas.StateSummary?.properties?.talksStatus?.enum).toContain('stalled');
    expect(schemas.TradeMeasureChange?.properties?.after?.enum).toContain(null);
  });

  it('says the live route answers an event stream of events discriminated by kind', () => {
    const stream = (
      operation('/negotiations/{id}/live')?.responses['200'] as {
        content: Record<string, { schema: { $ref?: string } }>;
      }
    ).content['text/event-stream'];
    expect(stream?.schema.$ref).toBe('#/components/schemas/LiveEvent');
    const live = document.components!.schemas!.LiveEvent as {
      discriminator?: { propertyName: string; mapping: Record<string, string> };
    };
    expect(live.discriminator?.propertyName).toBe('event');
    expect(Object.keys(live.discriminator?.mapping ?? {}).sort()).toEqual(['development', 'state']);
  });

  it('says the live route answers an event stream', () => {
    expect(
      Object.keys(
        (operation('/negotiations/{id}/live')?.responses['200'] as { content: object }).content,
      ),
    ).toEqual(['text/event-stream']);
  });
});
