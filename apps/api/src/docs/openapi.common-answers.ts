import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  HeaderObject,
  OperationObject,
  PathItemObject,
  ReferenceObject,
  ResponseObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_DESCRIPTIONS, ref } from './openapi.schemas';

/**
 * The answers every route gives because of what runs before or around its handler (the API key
 * guard, the rate limit, the body parser, caching, the request id), described once here as those
 * run once for all routes, rather than on each controller method.
 */

/** The security scheme of an API_KEY key (writes, and reads). */
export const WRITE_KEY = 'bearer';
/** The security scheme of a READ_API_KEY key. */
export const READ_KEY = 'readKey';

/** Routes anyone may call whatever keys are set, never rate limited (`@OpenToAll`, health.controller.ts). */
const isOpenToAll = (path: string): boolean => path === '/health' || path.startsWith('/health/');
/** GET reads whose answers carry an ETag and may be 304 (the contract's reads, not the stream). */
const isCachedRead = (path: string, method: string): boolean =>
  method === 'get' && path.startsWith('/negotiations') && !path.endsWith('/live');

/** A header; `required`: every answer it is attached to carries it (the e2e checker holds the server to it). */
const header = (
  description: string,
  required: boolean,
  schema: HeaderObject['schema'] = { type: 'string' },
): HeaderObject => ({ description, required, schema });

export const HEADERS: Record<string, HeaderObject> = {
  RequestId: header(
    'The id of this request in the server log; quote it when reporting a problem',
    true,
  ),
  ETag: header(
    'The version of this answer; send it back as If-None-Match to get 304 when unchanged',
    true,
  ),
  CacheControl: header(
    'How long the answer may be kept: `immutable` for answers pinned to a past knownAt (they never change)',
    true,
  ),
  Location: header('Where what was recorded is listed', true),
  RetryAfter: header('Seconds to wait before trying again', true, { type: 'integer', minimum: 0 }),
  RetryAfterMaybe: header('Seconds to wait before trying again, when known', false, {
    type: 'integer',
    minimum: 0,
  }),
  WwwAuthenticate: header('`Bearer realm="parley"`', true),
  Allow: header('The methods this path takes', true),
};

const headerRef = (name: keyof typeof HEADERS): ReferenceObject => ({
  $ref: `#/components/headers/${name}`,
});

/** Answers to requests no operation describes: an unknown path, a method a path does not take. */
export const OUTSIDE_OPERATIONS: Record<string, ResponseObject> = {
  NotFound: {
    description: 'No such path',
    headers: { 'x-request-id': headerRef('RequestId') },
    content: { 'application/problem+json': { schema: ref('Problem') } },
  },
  MethodNotAllowed: {
    description: PROBLEM_DESCRIPTIONS[405]!,
    headers: { Allow: headerRef('Allow'), 'x-request-id': headerRef('RequestId') },
    content: { 'application/problem+json': { schema: ref('Problem') } },
  },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Adds the statuses, headers and security every operation has by the rules above. */
export function describeCommonAnswers(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries<PathItemObject>(document.paths)) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (!operation) continue;
      const write = method !== 'get';
      const open = isOpenToAll(path);
      // 431: a request line and headers over 16 KiB (a long query), refused by Node's HTTP parser.
      const statuses = [400, 431, 500];
      if (!open) statuses.push(401, 403, 429);
      if (path.includes('{id}')) statuses.push(404);
      if (write) statuses.push(413, 415);
      // Every route: too many requests pipelined on one connection, or too many unread answers
      // in all (http/answer-budgets.ts), besides a write's store and a stopping live stream.
      statuses.push(503);
      const responses = operation.responses;
      for (const status of statuses)
        responses[status] ??= { description: PROBLEM_DESCRIPTIONS[status] ?? 'Error' };
      if (isCachedRead(path, method)) {
        responses[304] = {
          description: 'Not modified: the If-None-Match sent names this answer’s ETag',
          headers: { ETag: headerRef('ETag'), 'Cache-Control': headerRef('CacheControl') },
        };
        const ok = responses[200] as ResponseObject | undefined;
        if (ok)
          ok.headers = {
            ...ok.headers,
            ETag: headerRef('ETag'),
            'Cache-Control': headerRef('CacheControl'),
          };
      }
      for (const [status, response] of Object.entries(responses)) {
        if (!response || '$ref' in response) continue;
        const answer: ResponseObject = response;
        // Node's parser answers 431 before a request exists: it has no id.
        answer.headers = { ...answer.headers };
        if (status !== '431') answer.headers['x-request-id'] = headerRef('RequestId');
        if (status === '201') answer.headers.Location = headerRef('Location');
        if (status === '429') answer.headers['Retry-After'] = headerRef('RetryAfter');
        if (status === '503') answer.headers['Retry-After'] = headerRef('RetryAfterMaybe');
        if (status === '401') answer.headers['WWW-Authenticate'] = headerRef('WwwAuthenticate');
      }
      // Keys are optional (open when none is configured), so `{}` (no key) is always an alternative.
      operation.security = open
        ? []
        : write
          ? [{}, { [WRITE_KEY]: [] }]
          : [{}, { [READ_KEY]: [] }, { [WRITE_KEY]: [] }];
    }
  }
}
