import type { DynamicModule, ExecutionContext, Provider } from '@nestjs/common';
import { Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { ParleyConfig } from '../config';
import { ApiKeyGuard } from './api-key.guard';
import { Problem } from './problem';

/** Counts every request of a client address together, whatever the route (the default counts per route). */
@Injectable()
class PerClientThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  /** A problem of our own (the throttler's names its class); the guard has set Retry-After. */
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    { limit, timeToBlockExpire }: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new Problem(
      429,
      'rate-limited',
      'Too many requests',
      `This client address has made more than ${limit} requests within a minute; try again in ${timeToBlockExpire} s.`,
    );
  }
}

/**
 * The per-client rate limit first, when one is set, so that every request counts against it, a
 * refused key too (key guessing is throttled); then API keys, which also stop an address that
 * sends too many refused keys (ApiKeyGuard, REFUSED_KEYS_PER_MINUTE).
 */
@Module({})
export class SecurityModule {
  static register(config: ParleyConfig): DynamicModule {
    const limit = config.rateLimitPerMinute ?? 0;
    const guards: Provider[] = [];
    if (limit > 0) guards.push({ provide: APP_GUARD, useClass: PerClientThrottlerGuard });
    guards.push({ provide: APP_GUARD, useClass: ApiKeyGuard });
    return {
      module: SecurityModule,
      imports: limit > 0 ? [ThrottlerModule.forRoot([{ ttl: 60_000, limit }])] : [],
      providers: guards,
    };
  }
}
