import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { RunningApp } from '../support/running-app';

describe('the OpenAPI document of the history endpoints', () => {
  let app: RunningApp;
  let document: OpenAPIObject;

  beforeAll(async () => {
    app = await RunningApp.start();
    document = SwaggerModule.createDocument(
      app.app,
      new DocumentBuilder().setTitle('Parley').build(),
    );
  });

  afterAll(() => app.destroy());

  const operation = (path: string) => document.paths[path]?.get;
  const parameters = (path: string) =>
    (operation(path)?.parameters ?? []).map((p) =>
      'name' in p ? `${p.in}:${p.name}${p.required ? '!' : ''}` : '$ref',
    );

  it.each([
    ['/negotiations/{id}/changes', ['path:id!', 'query:from', 'query:to', 'query:knownAt']],
    [
      '/negotiations/{id}/tariffs/history',
      [
        'path:id!',
        'query:imposedBy!',
        'query:appliedTo!',
        'query:from',
        'query:to',
        'query:knownAt',
      ],
    ],
    [
      '/negotiations/{id}/replay',
      ['path:id!', 'query:from', 'query:to', 'query:knownAt', 'query:limit', 'query:cursor'],
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

  it('says the live route answers an event stream', () => {
    expect(
      Object.keys(
        (operation('/negotiations/{id}/live')?.responses['200'] as { content: object }).content,
      ),
    ).toEqual(['text/event-stream']);
  });
});
