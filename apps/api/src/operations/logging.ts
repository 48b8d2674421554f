import type { LogLevel } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DestinationStream, Level } from 'pino';
import { stdTimeFunctions } from 'pino';

/** A request id a client or proxy sent that is safe to echo into logs and headers. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Query parameters whose value is a credential, by name: `api_key`, `apiKey`, `access_token`,
 * `token`, `secret`, `password`, `sig`... Parley reads keys only from the Authorization header,
 * but a client may still put one in a URL, and a log line must not carry it on.
 */
const SECRET_PARAMETER = /key|token|secret|passw|pwd|auth|sig|credential|session|cookie/i;

/** How a secret query value is written in a log line. */
export const REDACTED = '[REDACTED]';

function parameterName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw; // malformed percent-encoding: judge the name as written
  }
}

/** The URL as a log line shows it: the value of every credential-like query parameter replaced. */
export function redactedUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return SECRET_PARAMETER.test(parameterName(name)) && equals >= 0
        ? `${name}=${REDACTED}`
        : pair;
    })
    .join('&');
  return `${url.slice(0, mark)}?${query}`;
}

/** Probes poll these every few seconds; their successful answers are not worth a log line. */
const PROBE_PATHS = new Set(['/health', '/health/ready', '/metrics']);

export interface LoggingOptions {
  /** Nest log levels (main.ts: everything from `log` up; tests: `['error']` or false). */
  logger?: LogLevel[] | false;
  /** Where JSON lines go; stdout when unset. */
  logDestination?: DestinationStream;
}

/** The pino level matching Nest's list of enabled levels: the most verbose one enabled. */
export function pinoLevel(levels: LogLevel[] | false | undefined): Level | 'silent' {
  if (levels === false) return 'silent';
  const enabled = new Set(levels ?? ['error', 'warn', 'log']);
  if (enabled.has('verbose')) return 'trace';
  if (enabled.has('debug')) return 'debug';
  if (enabled.has('log')) return 'info';
  if (enabled.has('warn')) return 'warn';
  if (enabled.has('error') || enabled.has('fatal')) return 'error';
  return 'silent';
}

/**
 * The id of a request: the caller's `x-request-id` when it is sane, else a new UUID. Fastify's
 * `genReqId` (see createApp), so that Fastify, pino-http and the `x-request-id` answer header
 * (RequestIdHook) all use the same id.
 */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Structured JSON logs through nestjs-pino: one line per answered request and every application
 * log line written while serving a request carry `reqId`.
 */
export function loggingParams(options: LoggingOptions): Params {
  const httpOptions: NonNullable<Params['pinoHttp']> = {
    level: pinoLevel(options.logger),
    name: 'parley',
    timestamp: stdTimeFunctions.isoTime,
    genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? requestIdOf(req),
    // Log lines written while serving a request carry `reqId`, not the whole request.
    quietReqLogger: true,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
    serializers: {
      req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactedUrl(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: {
      // middie may rewrite `url` for mounted middleware; `originalUrl` is what the client asked.
      ignore: (req) =>
        PROBE_PATHS.has(
          ((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '').split(
            '?',
          )[0] ?? '',
        ),
    },
  };
  return {
    pinoHttp: options.logDestination ? [httpOptions, options.logDestination] : httpOptions,
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}
