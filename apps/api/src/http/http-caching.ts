import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { jsonBytes } from './json-bytes';

/** Cache-Control of a read whose answer may change: kept, but asked again (If-None-Match) before each use. */
export const REVALIDATE = 'private, no-cache';

/**
 * Validators on every successful JSON or CSV read (GET or HEAD answered 200): a weak `ETag` of the body
 * (weak, so that it holds whatever the content coding), `If-None-Match` naming it answers 304
 * without a body, and `Cache-Control: private, no-cache` unless the route set its own (answers
 * pinned to a past knownAt: negotiations/pinned-answers.ts; probes: `no-store`).
 *
 * Not @fastify/etag: it answers 304 to any method and status (a POST, a 404) and compares
 * `If-None-Match` with one tag only, where RFC 9110 asks for GET/HEAD, 2xx and a list.
 *
 * Every JSON answer is serialized to bytes in pieces (json-bytes.ts: the same bytes as
 * JSON.stringify), which are hashed and written as they are: no answer is ever one long string.
 */
export function validateReads(fastify: FastifyInstance): void {
  // Fastify writes a Buffer as it is (onSend hooks and the write take one); its type says string.
  fastify.setReplySerializer((payload) => jsonBytes(payload) as string);
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!isJsonRead(request, reply) || !(typeof payload === 'string' || Buffer.isBuffer(payload))) {
      done(null, payload);
      return;
    }
    // The body's bytes, made once: hashed here, then written as they are. Given a string, Node
    // would encode it to write it (and the digest once more), into a fresh buffer thrice its
    // length: a 130 KB answer took twice as long to write over loopback as the same bytes.
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const etag = `W/"${createHash('sha256').update(body).digest('base64url')}"`;
    void reply.header('etag', etag);
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', REVALIDATE);
    if (!matches(request.headers['if-none-match'], etag)) {
      done(null, body);
      return;
    }
    void reply.code(304);
    done(null, '');
  });
}

function isJsonRead(request: FastifyRequest, reply: FastifyReply): boolean {
  const contentType = reply.getHeader('content-type');
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    reply.statusCode === 200 &&
    typeof contentType === 'string' &&
    (contentType.startsWith('application/json') || contentType.startsWith('text/csv'))
  );
}

/** `*`, or a list of entity tags compared weakly (RFC 9110 §13.1.2). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}
