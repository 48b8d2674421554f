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

/** API keys first (a refused key costs nothing), then the per-client rate limit when one is set. */
@Module({})
export class SecurityModule {
  static register(config: ParleyConfig): DynamicModule {
    const limit = config.rateLimitPerMinute ?? 0;
    const guards: Provider[] = [{ provide: APP_GUARD, useClass: ApiKeyGuard }];
    if (limit > 0) guards.push({ provide: APP_GUARD, useClass: PerClientThrottlerGuard });
    return {
      module: SecurityModule,
      imports: limit > 0 ? [ThrottlerModule.forRoot([{ ttl: 60_000, limit }])] : [],
      providers: guards,
    };
  }
}
