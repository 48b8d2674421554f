import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { DomainError } from '@parley/domain';
import { StoreUnavailableError, WrongExpectedRevisionError } from '@parley/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { redactedUrl } from '../operations/logging';
import { Problem } from './problem';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

const DOMAIN_STATUS: Record<DomainError['kind'], number> = {
  conflict: 409,
  rejected: 422,
  'not-found': 404,
};

/** Problem type URIs are relative to the API; README.md lists them. */
const problemType = (name: string): string => `/problems/${name}`;

/** Maps anything thrown while serving a request to an RFC 9457 problem. The one place errors become HTTP. */
export function toProblem(error: unknown): ProblemBody {
  if (error instanceof Problem) {
    return {
      type: problemType(error.problemType),
      title: error.title,
      status: error.getStatus(),
      detail: error.detail,
      ...error.extensions,
    };
  }
  if (error instanceof DomainError) {
    return {
      type: problemType(error.rule),
      title: 'Domain rule broken',
      status: DOMAIN_STATUS[error.kind],
      detail: error.message,
      rule: error.rule,
      ...(error.path ? { errors: [{ path: error.path, message: error.message }] } : {}),
      ...error.extensions,
    };
  }
  if (error instanceof WrongExpectedRevisionError) {
    return {
      type: problemType('expected-revision-mismatch'),
      title: 'Expected revision does not match',
      status: 409,
      detail: `expectedRevision ${String(error.expected)} does not match: the negotiation is at revision ${error.actual}`,
      actualRevision: error.actual,
    };
  }
  if (error instanceof StoreUnavailableError) {
    return {
      type: problemType('store-unavailable'),
      title: 'Event store unavailable',
      status: 503,
      detail: error.detail ?? 'The event store is not answering; try again shortly.',
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return {
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail: error.message,
      // A 400 that is not a field's fault (malformed JSON) still names where the problem is.
      ...(status === 400 ? { errors: [{ path: 'body', message: error.message }] } : {}),
    };
  }
  // Errors raised by Fastify itself before a route runs (bad JSON, body too large, media type).
  const fastifyStatus = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const message = (error as Error).message.replace(/^FST_\w+:\s*/, '');
    return {
      type: 'about:blank',
      title: STATUS_CODES[fastifyStatus] ?? 'Bad request',
      status: fastifyStatus,
      detail: message,
      ...(fastifyStatus === 400 ? { errors: [{ path: 'body', message }] } : {}),
    };
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'An unexpected error occurred.',
  };
}

/** Methods tried on a path no route matched for the request's method; OPTIONS is left out, CORS answers it on every path. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The methods that the path of a request no route matched does answer: none for an unknown path (a 404). */
function allowedMethods(request: FastifyRequest): string[] {
  if (request.routeOptions.url !== undefined) return [];
  const url = request.url.split('?')[0] ?? '';
  return METHODS.filter((method) => request.server.findRoute({ method, url }) !== null);
}

export function sendProblem(reply: FastifyReply, problem: ProblemBody): void {
  if (problem.status === 503) void reply.header('retry-after', '1');
  void reply
    .status(problem.status)
    .header('content-type', 'application/problem+json')
    .send(problem);
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const allowed = error instanceof NotFoundException ? allowedMethods(request) : [];
    if (allowed.length > 0) void reply.header('allow', allowed.join(', '));
    const problem = toProblem(
      allowed.length > 0
        ? new Problem(
            405,
            'method-not-allowed',
            'Method not allowed',
            `${request.method} is not allowed here; this path answers ${allowed.join(', ')}.`,
          )
        : error,
    );
    // A store fault the store logged once for its episode (a full disk, a lost file) is not a stack per request.
    const reported = error instanceof StoreUnavailableError && error.reported;
    if (problem.status >= 500 && !reported) {
      this.logger.error(
        `${request.method} ${redactedUrl(request.url)}: ${(error as Error)?.stack ?? String(error)}`,
      );
    }
    sendProblem(reply, problem);
  }
}
