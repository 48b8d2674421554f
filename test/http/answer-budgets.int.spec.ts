import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { AnswerBudgets } from '../../apps/api/src/http/answer-budgets';
import { DEFAULT_HTTP_LIMITS } from '../../apps/api/src/http/http-limits';

/*
 * The budget of unread answers in all, on a Fastify server of its own on loopback (real sockets):
 * answers of 16 MiB to clients that do not read them are more than the kernel's socket buffers
 * take, so most of each waits in the server's memory.
 */

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('answers waiting for clients that do not read them, in all', () => {
  let fastify: FastifyInstance;
  let budgets: AnswerBudgets;
  let port: number;
  let smallAnswered = 0;
  let saidSmallAnswered = 0;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    fastify = Fastify();
    budgets = new AnswerBudgets({ ...DEFAULT_HTTP_LIMITS, maxQueuedBytes: 8 * MiB });
    budgets.install(fastify, {
      smallAnswers: [
        { method: 'GET', url: '/said-small' },
        { method: 'GET', url: '/slow-small' },
      ],
    });
    const big = 'x'.repeat(16 * MiB);
    fastify.get('/big', () => big);
    // Declared small, though it is not: to see that its bytes are not counted.
    fastify.get('/said-small', () => {
      saidSmallAnswered++;
      return big;
    });
    fastify.get('/slow-small', async () => {
      await sleep(50);
      return 'ok';
    });
    fastify.get('/small', () => {
      smallAnswered++;
      return 'small';
    });
    fastify.get('/health', () => 'ok');
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const address = fastify.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await fastify.close();
  });

  async function until(condition: () => boolean, ms: number): Promise<boolean> {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(20))
      if (condition()) return true;
    return condition();
  }

  it('past MAX_QUEUED_BYTES, a new request is 503 with Retry-After before its handler runs; the probes are answered; once read or gone, 200 again', async () => {
    for (let i = 0; i < 2; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.pause(); // never reads
      socket.write('GET /big HTTP/1.1\r\nHost: parley\r\n\r\n');
      sockets.push(socket);
    }
    expect(await until(() => budgets.queued >= 8 * MiB, 5_000)).toBe(true);

    const refused = await fetch(`http://127.0.0.1:${port}/small`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 503, type: '/problems/server-busy' });
    expect(smallAnswered).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

    for (const socket of sockets.splice(0)) socket.destroy();
    expect(await until(() => budgets.queued === 0, 5_000)).toBe(true);
    const answered = await fetch(`http://127.0.0.1:${port}/small`);
    expect(answered.status).toBe(200);
    expect(await answered.text()).toBe('small');
  });

  it('a client that reads gets the whole answer, and nothing stays counted', async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/big`);
    expect((await answer.arrayBuffer()).byteLength).toBe(16 * MiB);
    expect(await until(() => budgets.queued === 0, 2_000)).toBe(true);
  });

  it('the answers of a route declared small are not counted, though sent to a client that does not read', async () => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.pause(); // never reads
    socket.write('GET /said-small HTTP/1.1\r\nHost: parley\r\n\r\n');
    sockets.push(socket);
    expect(await until(() => saidSmallAnswered === 1, 5_000)).toBe(true);
    await sleep(100);
    expect(budgets.queued).toBe(0);
    // The same answer from a route that is not declared small is counted (the first test).
    socket.destroy();
  });

  it('on a route declared small, still at most MAX_PIPELINED_REQUESTS requests of a connection may wait: the next is 503 and the connection closes', async () => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write('GET /slow-small HTTP/1.1\r\nHost: parley\r\n\r\n'.repeat(12));
    await closed;
    const statuses = [
      ...Buffer.concat(chunks)
        .toString('latin1')
        .matchAll(/HTTP\/1\.1 (\d{3}) /g),
    ].map((m) => Number(m[1]));
    expect(statuses).toEqual([...Array<number>(8).fill(200), 503]);
  });
});
