/**
 * `null` in a request (issue 11): a field without a value is left out; a null anywhere, in any
 * field of any development type, single or in a batch, is a 400 naming that field, and nothing
 * is written. Probed with every field of every line of the shipped example.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunningApp } from '../support/running-app';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'us-china-2025.ndjson');
const [openedLine, ...developments] = readFileSync(EXAMPLE, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Record<string, unknown>);

type Path = (string | number)[];

/** Every field at any depth (objects, arrays and their items), as a path. */
function fieldsOf(value: unknown, path: Path = []): Path[] {
  const here = path.length ? [path] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => fieldsOf(v, [...path, i]))];
  if (value && typeof value === 'object') {
    return [...here, ...Object.entries(value).flatMap(([k, v]) => fieldsOf(v, [...path, k]))];
  }
  return here;
}

const nameOf = (path: Path): string =>
  path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${key}` : key),
    '',
  );

function withNullAt(value: Record<string, unknown>, path: Path): Record<string, unknown> {
  const copy = structuredClone(value);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = null;
  return copy;
}

describe('null in any request field', () => {
  let app: RunningApp;
  const opening = {
    id: 'example',
    ...(openedLine!.data as Record<string, unknown>),
    openedAt: openedLine!.occurredAt,
  };

  beforeAll(async () => {
    app = await RunningApp.start();
    expect((await app.post('/negotiations', opening)).status).toBe(201);
  });

  afterAll(() => app.destroy());

  it.each(fieldsOf(opening).map((path) => [nameOf(path), path] as const))(
    'opening a negotiation with %s null is a 400 naming it',
    async (name, path) => {
      const answer = await app.post('/negotiations', withNullAt({ ...opening, id: 'other' }, path));
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toContainEqual({ path: name, message: expect.any(String) });
    },
  );

  const probes = developments.flatMap((development, line) =>
    fieldsOf(development).map((path) => ({
      line: line + 2,
      name: nameOf(path),
      path,
      development,
    })),
  );

  it(`posting any of the example's ${probes.length} fields as null, alone or in a batch, is a 400 naming it`, async () => {
    const refused: string[] = [];
    for (const { line, name, path, development } of probes) {
      const body = withNullAt(development, path);
      const single = await app.post('/negotiations/example/events', body);
      const batch = await app.post('/negotiations/example/events/batch', { events: [body] });
      const named = (answer: typeof single, field: string) =>
        answer.status === 400 &&
        (answer.body.errors as { path: string }[]).some((e) => e.path === field);
      if (!named(single, name)) refused.push(`line ${line} ${name}: single ${single.status}`);
      if (!named(batch, `events[0].${name}`))
        refused.push(`line ${line} ${name}: batch ${batch.status}`);
    }
    expect(refused).toEqual([]);
  });

  it('writes nothing, and every read of the negotiation still answers', async () => {
    const item = await app.get('/negotiations/example');
    expect(item.body.revision).toBe(0);
    for (const read of [
      '/state',
      '/tariffs',
      '/talks',
      '/proposals',
      '/events',
      '/replay?to=2026-01-01',
    ]) {
      expect({ read, status: (await app.get(`/negotiations/example${read}`)).status }).toEqual({
        read,
        status: 200,
      });
    }
  });

  it('refuses expectedRevision null the same way, single and batch', async () => {
    const [first] = developments;
    const single = await app.post('/negotiations/example/events', {
      ...first,
      expectedRevision: null,
    });
    expect(single.status).toBe(400);
    expect(single.body.errors).toContainEqual({
      path: 'expectedRevision',
      message: expect.any(String),
    });
    const batch = await app.post('/negotiations/example/events/batch', {
      events: [first],
      expectedRevision: null,
    });
    expect(batch.status).toBe(400);
    expect(batch.body.errors).toContainEqual({
      path: 'expectedRevision',
      message: expect.any(String),
    });
  });
});
