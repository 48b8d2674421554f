/**
 * Time and memory a client may hold on the server (README.md, "Configuration" and "Operating
 * Parley safely"). A client that sends slowly, or asks without reading, costs a bounded amount:
 *
 * - the request line and headers must arrive within `headersTimeoutMs`, the whole request within
 *   `requestTimeoutMs` (else 408 and the connection is closed); a connection silent for
 *   `idleTimeoutMs` is closed (live streams send a heartbeat more often); an idle keep-alive
 *   connection is closed after `keepAliveTimeoutMs`;
 * - answers waiting to be read (written but not yet taken by the client's socket) are counted per
 *   connection and in all: a connection holding `maxQueuedBytesPerConnection` is closed (its
 *   client is not reading what it asked for), and while `maxQueuedBytes` wait in all, new requests
 *   are 503 with Retry-After before any work is done for them;
 * - at most `maxPipelinedRequests` requests of one connection may wait for their answers; the
 *   next is 503 and the connection closes after it;
 * - at most `maxConnections` connections are held at once, fewer when the process's open-files
 *   limit leaves less room (http/connection-cap.ts); one over it is closed at once and logged;
 * - a graceful stop waits at most `shutdownDrainMs` for the requests in flight, then closes the
 *   connections still open.
 */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxPipelinedRequests: number;
  maxQueuedBytesPerConnection: number;
  maxQueuedBytes: number;
  maxConnections: number;
  shutdownDrainMs: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = {
  headersTimeoutMs: 10_000,
  // A 1 MiB body in 30 s is 35 KB/s: any real client, not one that trickles a byte at a time.
  requestTimeoutMs: 30_000,
  // Above the live streams' 15 s heartbeat.
  idleTimeoutMs: 60_000,
  // Above the 60 s idle timeout of common load balancers, as Fastify's default (72 s) is.
  keepAliveTimeoutMs: 72_000,
  maxPipelinedRequests: 8,
  // Four 1,000-development pages (about 0.8 MB each) may wait for one client.
  maxQueuedBytesPerConnection: 4 * MiB,
  maxQueuedBytes: 64 * MiB,
  maxConnections: 10_000,
  shutdownDrainMs: 10_000,
};

/** The environment variable of each limit, as README.md's configuration table lists them. */
export const HTTP_LIMIT_VARIABLES: Readonly<Record<keyof HttpLimits, string>> = {
  headersTimeoutMs: 'HEADERS_TIMEOUT_MS',
  requestTimeoutMs: 'REQUEST_TIMEOUT_MS',
  idleTimeoutMs: 'IDLE_TIMEOUT_MS',
  keepAliveTimeoutMs: 'KEEP_ALIVE_TIMEOUT_MS',
  maxPipelinedRequests: 'MAX_PIPELINED_REQUESTS',
  maxQueuedBytesPerConnection: 'MAX_QUEUED_BYTES_PER_CONNECTION',
  maxQueuedBytes: 'MAX_QUEUED_BYTES',
  maxConnections: 'MAX_CONNECTIONS',
  shutdownDrainMs: 'SHUTDOWN_DRAIN_MS',
};

/**
 * The limits from the environment: each a whole number above 0 (a limit cannot be turned off);
 * `problems` receives a sentence for each value that is not one.
 */
export function httpLimitsFromEnv(env: NodeJS.ProcessEnv, problems: string[]): HttpLimits {
  const limits = { ...DEFAULT_HTTP_LIMITS };
  for (const key of Object.keys(HTTP_LIMIT_VARIABLES) as (keyof HttpLimits)[]) {
    const name = HTTP_LIMIT_VARIABLES[key];
    const written = env[name];
    if (written === undefined || written === '') continue;
    if (!/^[0-9]{1,12}$/.test(written) || Number(written) === 0) {
      problems.push(`${name} must be a whole number above 0, got "${written}"`);
      continue;
    }
    limits[key] = Number(written);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    problems.push(
      `HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not be above REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`,
    );
  }
  return limits;
}
