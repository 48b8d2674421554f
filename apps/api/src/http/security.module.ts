import type { DynamicModule, Provider } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { ParleyConfig } from '../config';
import { ApiKeyGuard } from './api-key.guard';

/** API keys first (a refused key costs nothing), then the per-client rate limit when one is set. */
@Module({})
export class SecurityModule {
  static register(config: ParleyConfig): DynamicModule {
    const limit = config.rateLimitPerMinute ?? 0;
    const guards: Provider[] = [{ provide: APP_GUARD, useClass: ApiKeyGuard }];
    if (limit > 0) guards.push({ provide: APP_GUARD, useClass: ThrottlerGuard });
    return {
      module: SecurityModule,
      imports: limit > 0 ? [ThrottlerModule.forRoot([{ ttl: 60_000, limit }])] : [],
      providers: guards,
    };
  }
}
