import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpLimits } from './http-limits';
import { Problem } from './problem';
import { sendProblem, toProblem } from './problem-details.filter';

/**
 * Memory held for clients that do not read their answers is bounded (README.md, "Operating Parley
 * safely"). Every byte written to an answer is counted until the socket has taken it (the write's
 * callback), per connection and in all:
 *
 * - backpressure: a pipelined request is handled only once the earlier answers of its connection
 *   are taken, so a client that asks without reading has at most one answer waiting (and a socket
 *   silent for the idle timeout is closed); at most `maxPipelinedRequests` may wait, the next is
 *   503 and closes the connection;
 * - a connection whose answers waiting exceed `maxQueuedBytesPerConnection` while another of its
 *   answers waits too is closed (one answer larger than that, to a client that reads, is sent);
 * - while `maxQueuedBytes` wait in all, new requests are 503 with Retry-After before any work is
 *   done for them (the probes excepted: they are small, and must say the server is alive).
 *
 * Routes declared small (`smallAnswers`: recording one development answers a few hundred bytes)
 * have every rule but the counting of their answers' bytes: at most `maxPipelinedRequests` such
 * answers wait per connection, which is bounded without it, and the counting (wrapped writes,
 * listeners, per answer) was a few percent of such a POST's time.
 */

/** Paths answered whatever is queued: orchestrators probe them and their answers are a few bytes. */
const PROBES = new Set(['/health', '/health/ready', '/metrics']);

/** What one connection has waiting. */
interface ConnectionBudget {
  /** Bytes written to its answers that its socket has not taken yet. */
  queued: number;
  /** Its requests received and not yet answered to the end. */
  waiting: number;
  /** The bytes not yet taken of each of its answers, by the order of their requests. */
  answers: Map<number, { outstanding: number }>;
  /** The order number of its next request. */
  next: number;
  /** Called whenever `queued` falls (a pipelined request waits for earlier answers to be taken). */
  drained: Set<() => void>;
}

/** Bytes not yet taken of the answers to the requests before `order` (Node sends answers in order). */
function queuedBefore(budget: ConnectionBudget, order: number): number {
  let bytes = 0;
  // Whatever the order the answers were added in (each by a hook of its route).
  for (const [earlier, { outstanding }] of budget.answers)
    if (earlier < order) bytes += outstanding;
  return bytes;
}

const ORDER = Symbol('parley.answer-order');

const BUDGET = Symbol('parley.answer-budget');
type BudgetedSocket = Socket & { [BUDGET]?: ConnectionBudget };

type WriteCallback = (error?: Error | null) => void;

/** A route by its method and its pattern as Fastify has it (`/negotiations/:id/events`). */
export interface RouteKey {
  method: string;
  url: string;
}

export class AnswerBudgets {
  private readonly logger = new Logger('AnswerBudgets');
  /** Bytes written to answers that the sockets have not taken yet, in all. */
  private queuedInAll = 0;
  private loggedFullAt = 0;

  constructor(private readonly limits: HttpLimits) {}

  /** Bytes written to answers and not yet taken by the clients' sockets, in all. */
  get queued(): number {
    return this.queuedInAll;
  }

  install(fastify: FastifyInstance, options: { smallAnswers?: readonly RouteKey[] } = {}): void {
    // A refusal is answered here (reply.send, done not called): it is no error to log.
    fastify.addHook('onRequest', (request, reply, done) => {
      const refusal = this.admit(request, reply);
      if (!refusal) return done();
      // Answered before the hook that echoes the request id on every answer runs.
      void reply.header('x-request-id', request.id);
      sendProblem(reply, toProblem(refusal));
    });
    // The bytes of an answer are counted on every route but those declared small, by a hook of
    // the route's own (routes are added after this: Nest adds its own at init). Unmatched
    // requests (404) answer a small problem.
    const small = new Set(
      (options.smallAnswers ?? []).map(({ method, url }) => `${method} ${url}`),
    );
    const countBytes = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
      this.countAnswer(request, reply);
      done();
    };
    fastify.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (methods.every((method) => small.has(`${method} ${route.url}`))) return;
      const own = route.onRequest;
      route.onRequest = [
        ...(own === undefined ? [] : Array.isArray(own) ? own : [own]),
        countBytes,
      ];
    });
    // After the body is read and the request checked, right before any work for it.
    fastify.addHook('preHandler', (request, reply, done) => {
      const socket = request.raw.socket as BudgetedSocket;
      const budget = budgetOf(socket);
      const order = (request.raw as { [ORDER]?: number })[ORDER] ?? 0;
      const proceed = (): void => {
        const refusal = this.refuseWhenFull(request);
        if (refusal) sendProblem(reply, toProblem(refusal));
        else done();
      };
      if (budget.queued === 0 || queuedBefore(budget, order) === 0 || socket.destroyed) {
        return proceed();
      }
      // An earlier answer of this connection is not taken yet: wait for it (backpressure). The
      // socket's idle timeout ends the wait of a client that never reads (its socket closes).
      // (Later answers are not waited for: they are sent after this one.)
      const resume = (): void => {
        if (queuedBefore(budget, order) > 0 && !socket.destroyed) return;
        budget.drained.delete(resume);
        socket.off('close', resume);
        proceed();
      };
      budget.drained.add(resume);
      socket.once('close', resume);
    });
  }

  /** 503 while the answers waiting in all reach maxQueuedBytes (probes excepted). */
  private refuseWhenFull(request: FastifyRequest): Error | undefined {
    if (this.queuedInAll < this.limits.maxQueuedBytes) return undefined;
    const path = request.url.split('?')[0] ?? '';
    if (PROBES.has(path)) return undefined;
    const now = Date.now();
    if (now - this.loggedFullAt > 10_000) {
      this.loggedFullAt = now;
      this.logger.warn(
        `${this.queuedInAll} bytes of answers wait for their clients (MAX_QUEUED_BYTES=${this.limits.maxQueuedBytes}): new requests are 503 until they are read`,
      );
    }
    return new Problem(
      // sendProblem adds Retry-After: 1 to a 503
      503,
      'server-busy',
      'Server busy',
      'The server holds as many unread answers as it may; try again in a second.',
    );
  }

  /** Counts the request on its connection; an error refuses it. */
  private admit(request: FastifyRequest, reply: FastifyReply): Error | undefined {
    const budget = budgetOf(request.raw.socket);
    budget.waiting++;
    (request.raw as { [ORDER]?: number })[ORDER] = budget.next++;
    reply.raw.once('close', () => budget.waiting--);
    if (budget.waiting > this.limits.maxPipelinedRequests) {
      void reply.header('connection', 'close');
      return new Problem(
        503,
        'too-many-pipelined-requests',
        'Too many pipelined requests',
        `At most ${this.limits.maxPipelinedRequests} requests of one connection may wait for their answers; read them, then send more (on a new connection: this one closes).`,
      );
    }
    return undefined;
  }

  /** Counts the bytes of the request's answer until its socket takes them. */
  private countAnswer(request: FastifyRequest, reply: FastifyReply): void {
    const socket = request.raw.socket as BudgetedSocket;
    const budget = budgetOf(socket);
    const order = (request.raw as { [ORDER]?: number })[ORDER] ?? 0;
    const answer = { outstanding: 0 };
    budget.answers.set(order, answer);
    this.countWrites(socket, budget, answer, reply.raw);
    reply.raw.once('close', () => budget.answers.delete(order));
  }

  /** Wraps the answer's write and end so that each chunk counts until its socket takes it. */
  private countWrites(
    socket: BudgetedSocket,
    budget: ConnectionBudget,
    answer: { outstanding: number },
    response: ServerResponse,
  ): void {
    let closed = false;
    const release = (bytes: number): void => {
      if (bytes === 0) return;
      answer.outstanding -= bytes;
      budget.queued -= bytes;
      this.queuedInAll -= bytes;
      for (const resume of [...budget.drained]) resume();
    };
    const counted = (
      chunk: unknown,
      encoding: unknown,
      callback: unknown,
    ): [unknown, unknown, WriteCallback | undefined] => {
      const [enc, cb] =
        typeof encoding === 'function'
          ? [undefined, encoding as WriteCallback]
          : [encoding, callback as WriteCallback | undefined];
      const bytes =
        typeof chunk === 'string'
          ? Buffer.byteLength(chunk, (enc as BufferEncoding | undefined) ?? 'utf8')
          : chunk instanceof Uint8Array
            ? chunk.byteLength
            : 0;
      if (bytes === 0 || closed) return [enc, cb, undefined];
      answer.outstanding += bytes;
      budget.queued += bytes;
      this.queuedInAll += bytes;
      if (
        budget.queued > this.limits.maxQueuedBytesPerConnection &&
        budget.queued > answer.outstanding
      ) {
        // Answers pile up on a connection whose client does not read them: close it.
        socket.destroy();
      }
      let taken = false;
      return [
        enc,
        cb,
        (error) => {
          if (!taken && !closed) {
            taken = true;
            release(bytes);
          }
          cb?.(error);
        },
      ];
    };
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const [enc, , wrapped] = counted(chunk, encoding, callback);
      const cb = wrapped ?? (typeof encoding === 'function' ? encoding : callback);
      return enc === undefined ? write(chunk, cb) : write(chunk, enc, cb);
    }) as ServerResponse['write'];
    response.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
      if (typeof chunk === 'function') return end(chunk);
      const [enc, , wrapped] = counted(chunk, encoding, callback);
      const cb = wrapped ?? (typeof encoding === 'function' ? encoding : callback);
      return end(chunk, enc ?? undefined, cb ?? undefined);
    }) as ServerResponse['end'];
    // What the socket never took (it closed first) stops counting with the answer.
    response.once('close', () => {
      release(answer.outstanding);
      closed = true;
    });
  }
}

function budgetOf(socket: BudgetedSocket): ConnectionBudget {
  return (socket[BUDGET] ??= {
    queued: 0,
    waiting: 0,
    answers: new Map(),
    next: 0,
    drained: new Set(),
  });
}
