import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FieldError } from './problem';
import { Problem } from './problem';
import { sendProblem, toProblem } from './problem-details.filter';

/**
 * What the API accepts before any validation runs, so that no input can reach code that was not
 * written for it (README.md, "Operating Parley safely"):
 *
 * - request bodies are JSON in UTF-8 only: `application/json` with no charset or `charset=utf-8`.
 *   Other media types (form posts, text/plain), other charsets and a Content-Encoding (gzip...)
 *   are 415; bytes that are not UTF-8 are 400 (they are not replaced with U+FFFD and stored);
 * - no string or key anywhere in a body or a query may hold a lone UTF-16 surrogate (`\ud800`
 *   escaped in JSON): 400 naming the field. Such text cannot be written as UTF-8, so an export, a
 *   browser or another store would show something other than what was acknowledged;
 * - no key may be `__proto__`, `prototype` or the name of a member of Object.prototype
 *   (`constructor`, `toString`, ...) (400): class-transformer silently drops these, so without this
 *   check they would be unknown fields accepted without a word;
 * - no field of a body, at any depth, may be `null` (400 naming the field): a field without a
 *   value is left out. One rule for every field, so that no null reaches a decision or the store
 *   (where it would be served back where the document promises a string);
 * - a body may nest objects and arrays at most MAX_JSON_DEPTH deep (400): the deepest legitimate
 *   body (a batch member's `data.party.code`) is 5 deep, and class-transformer recurses once per
 *   level, so a body of a few hundred thousand `[` would otherwise overflow the stack (a 500);
 * - no object in a body may name the same key twice (400 naming it): JSON.parse keeps the last,
 *   a proxy or log reading the same bytes may keep the first and see another development;
 * - a URL that is not valid percent-encoding, or a path segment over Fastify's limit, is answered
 *   as problem+json like every other error (Fastify's router answered those in its own format).
 */

export const MAX_JSON_DEPTH = 32;

/** In a `u` regular expression a paired surrogate is one code point: only a lone one matches. */
const LONE_SURROGATE = /\p{Surrogate}/u;
const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);

/**
 * Keys no body or query may have: `__proto__` and `prototype`, and the names of Object.prototype's
 * members (`constructor`, `toString`, `hasOwnProperty`, ...). class-transformer skips a key whose
 * name the target already has as a function or accessor, so `{"toString": 1}` would otherwise be
 * an unknown field dropped without a word instead of a 400.
 */
const FORBIDDEN_KEYS = new Set([
  '__proto__',
  'prototype',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** At most this many offending fields are listed in one answer. */
const MAX_REPORTED = 20;

const child = (path: string, key: string | number): string =>
  typeof key === 'number'
    ? `${path}[${key}]`
    : path === ''
      ? key
      : /^[A-Za-z_$][\w$]*$/.test(key)
        ? `${path}.${key}`
        : `${path}[${JSON.stringify(key)}]`;

/**
 * The fields of a parsed JSON value (or a query object) that no endpoint accepts, found without
 * recursion (the value may be nested a million levels deep). `root` names the value itself.
 */
export function hostileFields(value: unknown, root: string): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0 && errors.length < MAX_REPORTED) {
    const { value: current, path, depth } = stack.pop()!;
    const at = path === '' ? root : path;
    if (typeof current === 'string') {
      if (!isWellFormed(current)) {
        errors.push({
          path: at,
          message: `${at} is not valid Unicode text (it holds a lone UTF-16 surrogate)`,
        });
      }
      continue;
    }
    if (current === null) {
      if (path !== '') {
        errors.push({
          path: at,
          message: `${at} must not be null: leave the field out when it has no value`,
        });
      }
      continue;
    }
    if (typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      errors.push({
        path: at,
        message: `${at} nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`,
      });
      continue;
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        stack.push({ value: current[i], path: child(path, i), depth: depth + 1 });
      }
      continue;
    }
    const keys = Object.keys(current);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (!isWellFormed(key)) {
        errors.push({
          path: path === '' ? root : path,
          message: `a field name in ${at} is not valid Unicode text (it holds a lone UTF-16 surrogate)`,
        });
        continue;
      }
      const keyPath = child(path, key);
      if (FORBIDDEN_KEYS.has(key)) {
        errors.push({ path: keyPath, message: `${keyPath} should not exist` });
        continue;
      }
      stack.push({
        value: (current as Record<string, unknown>)[key],
        path: keyPath,
        depth: depth + 1,
      });
    }
  }
  return errors;
}

/**
 * The keys that appear twice in one object of a JSON text, as fields (`type`, `events[2].data.rate`).
 * JSON.parse keeps the last of them without a word, while another reader of the same bytes (a
 * proxy, an audit log) may take the first: the development we record would not be the one they
 * saw. Runs on text JSON.parse has accepted, so it only tracks strings, nesting and commas; keys
 * are compared decoded (`"t\u0079pe"` is `type`). Iterative: the text may nest deeply.
 */
export function duplicateKeys(text: string): FieldError[] {
  const errors: FieldError[] = [];
  interface Frame {
    path: string;
    keys?: Set<string>; // objects only
    key: string; // the object's current key
    expectKey: boolean;
    index: number; // arrays only
  }
  const stack: Frame[] = [];
  const pathOfValue = (frame: Frame | undefined): string =>
    frame === undefined ? '' : child(frame.path, frame.keys ? frame.key : frame.index);
  for (let i = 0; i < text.length && errors.length < MAX_REPORTED; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      let escaped = false;
      for (; text.charCodeAt(end) !== 0x22; end++) {
        if (text.charCodeAt(end) === 0x5c /* \ */) {
          escaped = true;
          end++;
        }
      }
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const raw = text.slice(i + 1, end);
        const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.keys.has(key)) {
          const keyPath = child(top.path, key);
          errors.push({
            path: keyPath,
            message: `${keyPath} appears more than once in the same object: send each field once`,
          });
        }
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const path = pathOfValue(stack[stack.length - 1]);
      stack.push(
        c === 0x7b
          ? { path, keys: new Set(), key: '', expectKey: true, index: 0 }
          : { path, key: '', expectKey: false, index: 0 },
      );
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return errors;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function unsupportedMediaType(detail: string): Problem {
  return new Problem(415, 'unsupported-media-type', 'Unsupported Media Type', detail);
}

/** The charset parameter of a Content-Type header, lower-cased; undefined when absent. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2] ?? '').toLowerCase() : undefined;
}

/** Parses a request body sent as `application/json`; throws a Problem for what is refused. */
export function parseJsonBody(contentType: string | undefined, raw: Buffer): unknown {
  const charset = charsetOf(contentType);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw unsupportedMediaType(
      `Request bodies are JSON in UTF-8: send Content-Type: application/json (charset=${charset} is not supported)`,
    );
  }
  if (raw.length === 0) {
    throw Problem.invalid([{ path: 'body', message: 'the body is empty; send a JSON document' }]);
  }
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw Problem.invalid([{ path: 'body', message: 'the body is not valid UTF-8' }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's message gives the position of the mistake; it names nothing of ours.
    const reason = error instanceof SyntaxError ? `: ${error.message}` : '';
    throw Problem.invalid([{ path: 'body', message: `the body is not valid JSON${reason}` }]);
  }
  const errors = [...duplicateKeys(text), ...hostileFields(value, 'body')];
  if (errors.length) throw Problem.invalid(errors.slice(0, MAX_REPORTED));
  return value;
}

/** Answers an error Fastify's router raises before any route runs (bad URL encoding, long path segment). */
export function answerFrameworkError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  // The router answers before the onRequest hooks that echo the request id on every answer.
  void reply.header('x-request-id', request.id);
  const problem = toProblem(error);
  // The fault is in the URL, not in a body.
  if (problem.status === 400) problem.errors = [{ path: 'url', message: problem.detail }];
  sendProblem(reply, problem);
}

const CLIENT_ERROR_DETAIL: Record<number, string> = {
  400: 'The request is not valid HTTP.',
  408: 'The request was not received in time.',
  431: 'The request line and headers are too large (16 KiB at most): send long values in a body.',
};

/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request (a URL or headers over
 * 16 KiB, malformed HTTP), as problem+json like every other error; the same statuses as
 * Fastify's own handler, which answered in its own JSON shape.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400;
  const title = STATUS_CODES[status] ?? 'Bad Request';
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    detail: CLIENT_ERROR_DETAIL[status],
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Installs the body parser and the query check on the app's Fastify instance. createApp calls it
 * right after NestFactory.create with `bodyParser: false` (so that Nest does not register its own
 * JSON and form parsers).
 */
export function hardenRequestParsing(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (
      request: FastifyRequest,
      body: Buffer,
      done: (error: Error | null, body?: unknown) => void,
    ) => {
      try {
        // A compressed body would be parsed as if it were not (Fastify does not decode it): 415.
        const encoding = request.headers['content-encoding']?.trim().toLowerCase();
        if (encoding && encoding !== 'identity') {
          throw unsupportedMediaType(
            `Request bodies are sent uncompressed: send them without Content-Encoding (not ${encoding})`,
          );
        }
        done(null, parseJsonBody(request.headers['content-type'], body));
      } catch (error) {
        done(error as Error);
      }
    },
  );
  // Any other media type: 415 as problem+json (Fastify's own answer names no remedy).
  fastify.addContentTypeParser('*', (request: FastifyRequest, _payload, done) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
    done(
      unsupportedMediaType(
        `Request bodies are JSON in UTF-8: send Content-Type: application/json${type ? ` (not ${type})` : ''}`,
      ),
    );
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const errors = hostileFields(request.query, 'query');
    done(errors.length ? Problem.invalid(errors) : undefined);
  });
}
