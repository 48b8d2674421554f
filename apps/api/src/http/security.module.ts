import type { DynamicModule, ExecutionContext, Provider } from '@nestjs/common';
import { Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { ParleyConfig } from '../config';
import { ApiKeyGuard } from './api-key.guard';

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
