import type { Instant } from '@parley/domain';
import { parseInstant } from '@parley/domain';
import { Problem } from '../../http/problem';

/** Where a page of developments ended: opaque to clients, a (occurredAt, revision) key inside. */
export interface CursorKey {
  occurredAt: Instant;
  revision: number;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.occurredAt, key.revision])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [text, revision] = decoded as unknown[];
      const occurredAt = typeof text === 'string' ? parseInstant(text, 'start-of-day') : undefined;
      if (
        occurredAt !== undefined &&
        occurredAt === text &&
        typeof revision === 'number' &&
        Number.isInteger(revision) &&
        revision >= 0
      ) {
        return { occurredAt, revision };
      }
    }
  } catch {
    // fall through to the problem below
  }
  throw Problem.invalid([
    { path: 'cursor', message: 'cursor must be a nextCursor value returned by this endpoint' },
  ]);
}
