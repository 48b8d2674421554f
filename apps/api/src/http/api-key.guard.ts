import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Inject, Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ParleyConfig } from '../config';
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

  constructor(
    @Inject('PARLEY_CONFIG') config: ParleyConfig,
    private readonly reflector: Reflector,
  ) {
    const { writeKeys, readKeys } = config.access ?? { writeKeys: [], readKeys: [] };
    this.writers = new KeyRing(writeKeys);
    this.readsOpen = readKeys.length === 0;
    this.readers = new KeyRing([...readKeys, ...writeKeys]);
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
    if (!ring.holds(token)) {
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
