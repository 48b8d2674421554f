import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Inject, Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ParleyConfig } from '../config';
import { DEFAULT_REFUSED_KEYS_PER_MINUTE } from '../config';
import { Problem } from './problem';

const OPEN_TO_ALL = 'parley:open-to-all';

/**
 * A route anyone may call, whatever keys are configured and however many requests a client has
 * made: liveness and readiness probes, which orchestrators call without credentials.
 */
export const OpenToAll = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(OPEN_TO_ALL, true), SkipThrottle());

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/**
 * Compares a presented key with every configured key in constant time: both sides are hashed to
 * 32 bytes first, so timingSafeEqual always compares equal lengths and neither the length nor the
 * content of a configured key shows in the time an answer takes. Every key is compared, a match
 * does not stop the loop.
 */
export class KeyRing {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  get isEmpty(): boolean {
    return this.digests.length === 0;
  }

  holds(presented: string): boolean {
    const candidate = digest(presented);
    let found = false;
    for (const known of this.digests) found = timingSafeEqual(candidate, known) || found;
    return found;
  }
}

/** How long refused keys are counted against a client address: a minute. */
const REFUSALS_WINDOW_MS = 60_000;
/** Client addresses whose refused keys are remembered at most (a flood of addresses forgets the oldest). */
const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * Keys refused per client address within a window: past `limit`, that address may not present a
 * key (even a right one) until the window ends, so that keys cannot be guessed at the rate limit's
 * pace (thousands a minute). A missing key is not a guess and does not count.
 */
export class RefusedKeys {
  private readonly byAddress = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `address` may present a key again, or 0 when it may now. */
  blockedFor(address: string): number {
    if (this.limit <= 0) return 0;
    const entry = this.byAddress.get(address);
    if (!entry) return 0;
    const left = entry.until - this.now();
    if (left <= 0) {
      this.byAddress.delete(address);
      return 0;
    }
    return entry.count >= this.limit ? Math.ceil(left / 1000) : 0;
  }

  refused(address: string): void {
    if (this.limit <= 0) return;
    const now = this.now();
    const entry = this.byAddress.get(address);
    if (entry && entry.until > now) {
      entry.count++;
      return;
    }
    this.byAddress.delete(address);
    if (this.byAddress.size >= MAX_TRACKED_ADDRESSES) {
      for (const [known, { until }] of this.byAddress)
        if (until <= now) this.byAddress.delete(known);
      while (this.byAddress.size >= MAX_TRACKED_ADDRESSES) {
        this.byAddress.delete(this.byAddress.keys().next().value!);
      }
    }
    this.byAddress.set(address, { count: 1, until: now + REFUSALS_WINDOW_MS });
  }
}

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive), else undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i.exec(header);
  return match?.[1];
}

/**
 * API keys (API_KEY, READ_API_KEY; README.md, "Operating Parley safely"). Writes (every method
 * but GET, HEAD and OPTIONS) need one of the API_KEY keys when any is configured; reads need one
 * of the READ_API_KEY or API_KEY keys when a READ_API_KEY is configured, and are open otherwise.
 * No key, or not a bearer token: 401 with WWW-Authenticate; a key that is not one of them: 403.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly writers: KeyRing;
  private readonly readers: KeyRing;
  private readonly readsOpen: boolean;
  private readonly refusedKeys: RefusedKeys;

  constructor(
    @Inject('PARLEY_CONFIG') config: ParleyConfig,
    private readonly reflector: Reflector,
  ) {
    const { writeKeys, readKeys } = config.access ?? { writeKeys: [], readKeys: [] };
    this.writers = new KeyRing(writeKeys);
    this.readsOpen = readKeys.length === 0;
    this.readers = new KeyRing([...readKeys, ...writeKeys]);
    this.refusedKeys = new RefusedKeys(
      config.refusedKeysPerMinute ?? DEFAULT_REFUSED_KEYS_PER_MINUTE,
    );
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const isRead = READ_METHODS.has(request.method);
    const ring = isRead ? (this.readsOpen ? undefined : this.readers) : this.writers;
    if (!ring || ring.isEmpty) return true;
    if (
      this.reflector.getAllAndOverride<boolean>(OPEN_TO_ALL, [
        context.getHandler(),
        context.getClass(),
      ])
    ) {
      return true;
    }
    const what = isRead ? 'Reading' : 'Writing';
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      void context
        .switchToHttp()
        .getResponse<FastifyReply>()
        .header('www-authenticate', 'Bearer realm="parley"');
      throw new Problem(
        401,
        'api-key-required',
        'API key required',
        `${what} needs an API key: send it as "Authorization: Bearer <key>".`,
      );
    }
    const blockedFor = this.refusedKeys.blockedFor(request.ip);
    if (blockedFor > 0) {
      void context
        .switchToHttp()
        .getResponse<FastifyReply>()
        .header('retry-after', String(blockedFor));
      throw new Problem(
        429,
        'rate-limited',
        'Too many requests',
        `This client address has sent too many refused API keys within a minute; try again in ${blockedFor} s.`,
      );
    }
    if (!ring.holds(token)) {
      this.refusedKeys.refused(request.ip);
      throw new Problem(
        403,
        'api-key-refused',
        'API key refused',
        `The API key sent is not one that allows ${isRead ? 'reading' : 'writing'}.`,
      );
    }
    return true;
  }
}
