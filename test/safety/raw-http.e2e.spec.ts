import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { RunningApp } from '../support/running-app';

/*
 * What fetch() cannot send: requests written byte by byte on a socket, to the part of the server
 * below Nest (Node's HTTP parser, Fastify's body handling). Malformed HTTP, request-smuggling
 * shapes and compressed bodies are refused with a 4xx problem+json, write nothing, and leave the
 * server up.
 */

const KEY = 'raw-http-write-key-0123456789';

interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** Writes `request` on a fresh connection and reads until the server closes it (Connection: close). */
function send(port: number, request: string | Buffer): Promise<RawAnswer> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', fail);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // After a 100 Continue comes the real answer.
      const last = text.slice(text.lastIndexOf('HTTP/1.1 '));
      const [head = '', body = ''] = last.split('\r\n\r\n');
      done({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        contentType: /^content-type:\s*(.*)$/im.exec(head)?.[1] ?? '',
        body,
      });
    });
    socket.end(request);
  });
}

const OPENING = JSON.stringify({
  id: 'raw',
  title: 'Raw',
  parties: [
    { code: 'US', name: 'United States' },
    { code: 'CN', name: 'China' },
  ],
});

const post = (headers: string, body: string | Buffer = OPENING): Buffer =>
  Buffer.concat([
    Buffer.from(
      `POST /negotiations HTTP/1.1\r\nHost: parley\r\nAuthorization: Bearer ${KEY}\r\n` +
        `Connection: close\r\n${headers}\r\n`,
      'latin1',
    ),
    Buffer.isBuffer(body) ? body : Buffer.from(body),
  ]);

const json = 'Content-Type: application/json\r\n';
const length = (body: string | Buffer = OPENING): string =>
  `Content-Length: ${Buffer.byteLength(body)}\r\n`;

describe('requests written byte by byte on a socket', () => {
  let app: RunningApp;
  let port: number;

  beforeAll(async () => {
    app = await RunningApp.start({ security: { access: { writeKeys: [KEY], readKeys: [] } } });
    port = Number(new URL(app.baseUrl).port);
  });

  afterAll(() => app.destroy());

  afterEach(async () => {
    expect((await app.get('/health')).status).toBe(200);
    expect((await app.get('/negotiations')).body).toEqual([]);
  });

  it.each<[string, string | Buffer]>([
    ['not HTTP at all', 'HELLO PARLEY\r\n\r\n'],
    ['a Content-Length that is not a number', post(`${json}Content-Length: 12abc\r\n`)],
    ['two Content-Lengths that disagree', post(`${json}Content-Length: 5\r\n${length()}`)],
    [
      'Content-Length and Transfer-Encoding together (a smuggling shape)',
      post(`${json}${length()}Transfer-Encoding: chunked\r\n`),
    ],
    [
      'a chunk size that is not hex',
      post(`${json}Transfer-Encoding: chunked\r\n`, 'zz\r\n{}\r\n0\r\n\r\n'),
    ],
    [
      'a control character in a header value',
      post(`Content-Type: application/json; x=\u0001\r\n${length()}`),
    ],
  ])('%s: 400 problem+json', async (_what, request) => {
    const answer = await send(port, request);

    expect(answer.status).toBe(400);
    expect(answer.contentType).toContain('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400 });
  });

  it.each<[string, string, Buffer | string]>([
    ['gzip, really compressed', 'gzip', gzipSync(OPENING)],
    ['gzip, but sent plain', 'gzip', OPENING],
    ['deflate', 'deflate', OPENING],
    ['br', 'br', OPENING],
  ])(
    'a body with Content-Encoding (%s): 415 problem+json naming the encoding, nothing recorded',
    async (_what, encoding, body) => {
      const answer = await send(
        port,
        post(`${json}Content-Encoding: ${encoding}\r\n${length(body)}`, body),
      );

      expect(answer.status).toBe(415);
      expect(answer.contentType).toContain('application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({
        status: 415,
        detail: expect.stringContaining(`not ${encoding}`),
      });
    },
  );

  it('a body that ends before its Content-Length: 400 problem+json when the client gives up', async () => {
    const answer = await send(port, post(`${json}Content-Length: 500\r\n`));

    expect(answer.status).toBe(400);
    expect(answer.contentType).toContain('application/problem+json');
  });

  it('Content-Encoding: identity is no encoding: the body is recorded (on an app of its own)', async () => {
    const other = await RunningApp.start({
      security: { access: { writeKeys: [KEY], readKeys: [] } },
    });
    try {
      const answer = await send(
        Number(new URL(other.baseUrl).port),
        post(`${json}Content-Encoding: identity\r\n${length()}`),
      );
      expect(answer.status).toBe(201);
    } finally {
      await other.destroy();
    }
  });
});
