import { Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';

/**
 * File descriptors kept for everything but client connections: the store's file and its log,
 * the logger, the live streams' timers and a margin. Past the process's open-files limit every
 * accept fails (ECONNRESET to each client) and nothing says why; a cap below it refuses only the
 * connections over it, and says so.
 */
const DESCRIPTORS_KEPT = 128;

/** The soft limit on open files of this process (Linux: /proc/self/limits), if it can be read. */
export function openFilesLimit(limits = '/proc/self/limits'): number | undefined {
  try {
    const line = readFileSync(limits, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || !/^\d+$/.test(soft) ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

/**
 * How many client connections the server holds at once: the configured MAX_CONNECTIONS, never
 * more than the open-files limit leaves room for.
 */
export function connectionCap(configured: number | undefined, filesLimit: number | undefined) {
  const room = filesLimit === undefined ? undefined : Math.max(16, filesLimit - DESCRIPTORS_KEPT);
  if (configured === undefined) return room;
  return room === undefined ? configured : Math.min(configured, room);
}

/** How often a refusal episode is reported: once, then at most every minute while it lasts. */
const REPORT_EVERY_MS = 60_000;

/**
 * Caps the connections `server` accepts at `cap`; a connection over it is closed at once (Node's
 * `maxConnections`), counted, and logged once per minute while it happens, with the cap and why.
 */
export function capConnections(server: Server, cap: number | undefined): void {
  if (cap === undefined) return;
  server.maxConnections = cap;
  const logger = new Logger('Parley');
  let refused = 0;
  let reportedAt = -Infinity;
  server.on('drop', () => {
    refused += 1;
    const now = Date.now();
    if (now - reportedAt < REPORT_EVERY_MS) return;
    reportedAt = now;
    logger.warn(
      `refusing connections: ${cap} are open, the most this server holds (MAX_CONNECTIONS, kept below the open-files limit); ${refused} refused so far`,
    );
  });
}
