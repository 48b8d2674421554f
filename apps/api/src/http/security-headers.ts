import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The headers helmet sets with these options, found once by running its middleware on a response
 * that only records them: without nonces they are the same for every answer.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): [string, string][] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) =>
      headers.push([name, String(value)]),
    removeHeader: () => undefined, // X-Powered-By, which Fastify never sets
  };
  // Helmet throws on options it refuses; with these it calls next at once, having set them all.
  helmet({ ...options })(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    () => undefined,
  );
  return headers;
}

/**
 * Helmet's security headers on every answer, set by one hook from a list made at start-up.
 * (@fastify/helmet made a new helmet middleware from the options for every request, in two
 * hooks, one async: about 4% of a single-development POST's time.)
 */
export function addSecurityHeaders(
  fastify: FastifyInstance,
  options: Readonly<HelmetOptions>,
): void {
  const headers = helmetHeaders(options);
  fastify.addHook('onRequest', (_request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of headers) raw.setHeader(name, value);
    done();
  });
}
