import type { LogLevel, LoggerService } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DestinationStream, Level } from 'pino';
import { destination, pino, stdTimeFunctions } from 'pino';
import pinoPretty from 'pino-pretty';

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

/** The fields of a JSON log line that a pretty line folds into its message or leaves out. */
const FOLDED_FIELDS = 'pid,hostname,name,context,reqId,req,res,responseTime';

interface LogLine {
  msg?: unknown;
  context?: unknown;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/**
 * A log line as a person at a terminal reads it: `GET /negotiations 200 in 3 ms` for an answered
 * request, `[Parley] listening on …` for the rest (the Nest context in brackets).
 */
export function prettyMessage(line: LogLine): string {
  if (line.req && line.res) {
    const time =
      typeof line.responseTime === 'number' ? ` in ${Math.round(line.responseTime)} ms` : '';
    return `${line.req.method ?? ''} ${line.req.url ?? ''} ${line.res.statusCode ?? ''}${time}`;
  }
  const context = typeof line.context === 'string' && line.context ? `[${line.context}] ` : '';
  return `${context}${typeof line.msg === 'string' ? line.msg : JSON.stringify(line.msg ?? '')}`;
}

/**
 * Where log lines go when LOG_FORMAT is pretty (pino-pretty, in this process): one readable line
 * each, the time in UTC as every time in Parley, errors with their stack. Written synchronously,
 * so that the last lines before an exit are not lost.
 */
export function prettyLogStream(options: {
  colorize: boolean;
  destination?: NodeJS.WritableStream | number;
}): DestinationStream {
  return pinoPretty({
    colorize: options.colorize,
    translateTime: "UTC:yyyy-mm-dd HH:MM:ss.l'Z'",
    ignore: FOLDED_FIELDS,
    messageFormat: (log) => prettyMessage(log),
    sync: true,
    destination: options.destination ?? 1,
  });
}

/**
 * What main.ts logs before the app (and its nestjs-pino logger) exists: opening the store, the
 * clock's findings. Lines in the same format and to the same place as the app's, through pino
 * with the app's name and time, so that a JSON log is JSON from its first line. `app.useLogger`
 * replaces it once the app is built.
 */
export function startupLogger(to?: DestinationStream): LoggerService {
  const log = pino(
    { name: 'parley', timestamp: stdTimeFunctions.isoTime },
    to ?? destination({ dest: 1, sync: true }),
  );
  // Nest calls these as (message, context) and error as (message, stack, context).
  const write =
    (level: 'info' | 'warn' | 'error' | 'debug' | 'trace' | 'fatal') =>
    (message: unknown, ...rest: unknown[]): void => {
      const context = rest.length > 0 ? rest[rest.length - 1] : undefined;
      const stack = level === 'error' && rest.length > 1 ? rest[0] : undefined;
      log[level](
        {
          ...(typeof context === 'string' ? { context } : {}),
          ...(typeof stack === 'string' ? { stack } : {}),
        },
        message instanceof Error ? message.message : String(message),
      );
    };
  return {
    log: write('info'),
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
    verbose: write('trace'),
    fatal: write('fatal'),
  };
}
