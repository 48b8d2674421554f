import type { LogLevel, LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
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
 * `genReqId` (see createApp), so that the log lines and the `x-request-id` answer header
 * (RequestHooks) all use the same id.
 */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The request being served, for the log lines written while serving it (their `reqId`). */
export const servedRequest = new AsyncLocalStorage<{ readonly id: string }>();

/**
 * The one pino logger of the app, made at start-up: the line closing each request (RequestHooks)
 * and every application log line (AppLogger) go through it.
 */
export function logRoot(options: LoggingOptions): PinoRoot {
  const settings = {
    level: pinoLevel(options.logger),
    name: 'parley',
    timestamp: stdTimeFunctions.isoTime,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
  };
  return options.logDestination ? pino(settings, options.logDestination) : pino(settings);
}

export type PinoRoot = ReturnType<typeof pino>;

/** The level of a request's closing line by its status: 5xx error, 4xx warn, else info. */
const levelOfStatus = (status: number): 'error' | 'warn' | 'info' =>
  status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';

/**
 * Writes the line that closes an answered request: `request completed` (or `request errored`
 * for a 5xx, with an `err`), with `reqId`, the request (id, method, URL with credentials
 * redacted, client address), the status and `responseTime` in ms. The probes' polls are not
 * logged. One call on the root logger: no per-request child loggers.
 */
export function logAnswered(
  root: PinoRoot,
  request: { id: string; raw: IncomingMessage },
  status: number,
  responseTime: number,
): void {
  const level = levelOfStatus(status);
  if (!root.isLevelEnabled(level)) return;
  const url = request.raw.url ?? '';
  const mark = url.indexOf('?');
  if (PROBE_PATHS.has(mark < 0 ? url : url.slice(0, mark))) return;
  const req = {
    id: request.id,
    method: request.raw.method,
    url: redactedUrl(url),
    remoteAddress: request.raw.socket?.remoteAddress,
  };
  if (status >= 500) {
    root[level](
      {
        reqId: request.id,
        req,
        res: { statusCode: status },
        err: new Error(`failed with status code ${status}`),
        responseTime,
      },
      'request errored',
    );
  } else {
    root[level](
      { reqId: request.id, req, res: { statusCode: status }, responseTime },
      'request completed',
    );
  }
}

type NestLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's logger (app.useLogger): JSON lines through the root logger, `context` from Nest's last
 * argument, `reqId` on every line written while serving a request. Nest's exception handlers
 * call error(message, stack, context): the stack goes into `err`.
 */
export class AppLogger implements LoggerService {
  constructor(private readonly root: PinoRoot) {}

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: NestLevel, message: unknown, rest: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    const served = servedRequest.getStore();
    const fields: Record<string, unknown> = served ? { reqId: served.id } : {};
    // Nest passes the context last.
    const params = rest.length > 0 ? rest.slice(0, -1) : [];
    if (rest.length > 0) fields.context = rest[rest.length - 1];
    if (typeof message === 'object' && message !== null) {
      if (message instanceof Error) fields.err = message;
      else Object.assign(fields, message);
      Reflect.apply(this.root[level], this.root, [fields, ...params]);
    } else if (
      level === 'error' &&
      typeof message === 'string' &&
      params.length === 1 &&
      typeof params[0] === 'string' &&
      /\n\s*at /.test(params[0])
    ) {
      const error = new Error(message);
      error.stack = params[0];
      fields.err = error;
      this.root[level](fields);
    } else {
      // As Nest gave it: pino formats a message with the params left (printf-style).
      Reflect.apply(this.root[level], this.root, [fields, message, ...params]);
    }
  }
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
 * What main.ts logs before the app (and its AppLogger) exists: opening the store, the
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
