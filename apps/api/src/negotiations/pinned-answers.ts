import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Inject, Injectable, SetMetadata, UseInterceptors, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NegotiationReadModel } from '@parley/projections';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs';
import type { ParleyConfig } from '../config';
import { bound } from './request-params';

/** Query bounds that mean "now" when omitted: an answer without them moves with the clock. */
type NowBound = 'asOf' | 'to';

const ALSO_PINNED_BY = Symbol('parley.alsoPinnedBy');

/**
 * The answer of this read can never change once its `knownAt` has passed (and every bound named
 * here is given): it is cached for good (`immutable`). Other answers are revalidated
 * (http/http-caching.ts).
 */
export const PinnedByKnownAt = (...alsoNeeded: NowBound[]): MethodDecorator =>
  applyDecorators(SetMetadata(ALSO_PINNED_BY, alsoNeeded), UseInterceptors(PinnedAnswers));

/**
 * Marks answers pinned to a past `knownAt` as cacheable for a year and immutable.
 *
 * `knownAt` selects the developments recorded by then, and the store gives each new development of
 * a negotiation a `recordedAt` no earlier than the negotiation's last one. So once this instance
 * holds a development recorded after `knownAt`, it holds every development recorded by `knownAt`,
 * and none can join them later. That is checked against the read model before the answer is made,
 * not against the clock, which would be wrong while this instance's read model lags behind the
 * store or when another instance's clock runs late.
 */
@Injectable()
export class PinnedAnswers implements NestInterceptor {
  private readonly cacheControl: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly readModel: NegotiationReadModel,
    @Inject('PARLEY_CONFIG') config: ParleyConfig,
  ) {
    // A shared cache may keep an answer to a request that carried a key only when told `public`.
    const readsOpen = (config.access?.readKeys.length ?? 0) === 0;
    this.cacheControl = `${readsOpen ? 'public' : 'private'}, max-age=31536000, immutable`;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const alsoNeeded = this.reflector.get<NowBound[]>(ALSO_PINNED_BY, context.getHandler()) ?? [];
    const pinned = this.isPinned(
      (request.params as { id?: string }).id,
      request.query as Record<string, unknown>,
      alsoNeeded,
    );
    return next.handle().pipe(
      tap(() => {
        if (pinned)
          void http.getResponse<FastifyReply>().header('cache-control', this.cacheControl);
      }),
    );
  }

  private isPinned(
    negotiationId: string | undefined,
    query: Record<string, unknown>,
    alsoNeeded: readonly NowBound[],
  ): boolean {
    if (negotiationId === undefined || typeof query.knownAt !== 'string') return false;
    // An effective date pins tariffs as asOf does (contract v1.1, effectiveOn).
    const given = (name: NowBound) =>
      query[name] !== undefined || (name === 'asOf' && query.effectiveOn !== undefined);
    if (!alsoNeeded.every(given)) return false;
    const knownAt = bound(query.knownAt);
    const timeline = this.readModel.timeline(negotiationId);
    const lastRecordedAt = timeline?.at(timeline.revision)?.recordedAt;
    return knownAt !== null && lastRecordedAt !== undefined && knownAt < lastRecordedAt;
  }
}
