import type { MessageEvent } from '@nestjs/common';
import { Controller, Get, Headers, Param, Query, Res, Sse } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { TariffPoint } from '@parley/projections';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import { CsvAnswer } from '../../http/csv';
import { Problem } from '../../http/problem';
import { decodeCursor, encodeCursor } from '../reading/development-cursor';
import { ApiAnswer, ApiQueryFrom } from '../../docs/openapi.decorators';
import { MIN_EVIDENCE_DESCRIPTION } from '../../docs/openapi.evidence';
import { ref } from '../../docs/openapi.schemas';
import type { ChangesAnswer, ReplayPage } from './history.queries';
import { FollowNegotiation, GetChanges, GetTariffHistory, ReplayHistory } from './history.queries';
import {
  ChangesQueryDto,
  LiveQueryDto,
  REVISION_ID,
  ReplayQueryDto,
  TariffHistoryQueryDto,
} from './history.request.dto';
import { TARIFF_HISTORY_CSV } from '../csv-tables';
import { PinnedByKnownAt } from '../pinned-answers';
import { LIVE_MAX_PENDING_CHARS, dropWhenNotReading } from './live-updates.service';
import { bound, negotiationId } from '../request-params';

const RANGE = 'A date-only value means the END of that day (as for asOf), for `from` as for `to`.';
/** The history routes' query parameters, described from their DTOs (patterns and limits included). */
const RANGE_DESCRIPTIONS = {
  from: `Start of the range, exclusive: the state as of this time. Omitted: from the beginning. ${RANGE}`,
  to: `End of the range, inclusive. Omitted: now. ${RANGE} 400 when from is after to.`,
  knownAt:
    'Transaction time: only what the tracker had recorded by then. Date-only: end of that day.',
  minEvidence: `${MIN_EVIDENCE_DESCRIPTION} The developments listed are those folded.`,
};

/**
 * Nest's event stream writes its head with `Expire: 0`, a misspelling of `Expires` (no Nest 11
 * release fixes it): the head of this answer is written with the header's real name.
 */
function spellExpires(reply: FastifyReply): void {
  const raw = reply.raw;
  const writeHead = raw.writeHead.bind(raw) as (
    status: number,
    headers?: OutgoingHttpHeaders,
  ) => ServerResponse;
  raw.writeHead = ((status: number, headers?: OutgoingHttpHeaders) => {
    if (!headers || !('Expire' in headers)) return writeHead(status, headers);
    const { Expire: expires, ...others } = headers;
    return writeHead(status, { ...others, Expires: expires });
  }) as typeof raw.writeHead;
}

const ID = { name: 'id', description: 'Negotiation slug', example: 'us-china-trade' };
const PROBLEM = { description: 'application/problem+json naming every offending parameter' };
const NOT_FOUND = {
  description: 'Unknown negotiation, or not recorded yet at knownAt (application/problem+json)',
};

/**
 * Reading history: what changed between two dates, a tariff pair's step series, a replay with the
 * state after each development, and a live stream of new developments.
 */
@ApiTags('history')
@Controller('negotiations')
export class HistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id/changes')
  @PinnedByKnownAt('to')
  @ApiOperation({
    summary: 'What changed between two dates',
    description:
      'The developments with occurredAt in (from, to] and the differences between the state at from and at to, both as known at knownAt: tariff pair totals and the lines that changed, talks status, proposals opened / closed / still open, trade measures whose status changed, stances that changed, demands made and resolved.',
  })
  @ApiParam(ID)
  @ApiQueryFrom(ChangesQueryDto, { descriptions: RANGE_DESCRIPTIONS })
  @ApiAnswer(200, 'The changes', 'NegotiationChanges')
  @ApiBadRequestResponse(PROBLEM)
  @ApiNotFoundResponse(NOT_FOUND)
  changes(@Param('id') id: string, @Query() query: ChangesQueryDto): Promise<ChangesAnswer> {
    return this.queryBus.execute(
      new GetChanges(
        negotiationId(id),
        bound(query.from),
        bound(query.to),
        bound(query.knownAt),
        query.minEvidence,
      ),
    );
  }

  @Get(':id/tariffs/history')
  @PinnedByKnownAt('to')
  @ApiOperation({
    summary: "A tariff pair's step series",
    description:
      "One point per effective change of the pair's total, lines or line scope, in time order, no two consecutive points alike. A change counts from max(occurredAt, effectiveAt), a temporary rate's expiry from max(occurredAt, until) unless a later change voids it. With from, the series opens with the level in force at from (when a line is active).",
  })
  @ApiParam(ID)
  @ApiQueryFrom(TariffHistoryQueryDto, {
    examples: { imposedBy: 'US', appliedTo: 'CN' },
    descriptions: {
      ...RANGE_DESCRIPTIONS,
      imposedBy: 'Party code',
      appliedTo: 'Party code, other than imposedBy',
      from: `Start: the series opens with the level in force then. Omitted: the first change. ${RANGE}`,
      to: `End, inclusive. Omitted: now. ${RANGE}`,
      product:
        'A product code (HS-based: 7208): each point gains `applicable`, what goods of that code pay, and a change of it is a point.',
    },
  })
  @ApiAnswer(200, 'The points, oldest first', 'TariffPoint', { array: true })
  @ApiBadRequestResponse(PROBLEM)
  @ApiNotFoundResponse(NOT_FOUND)
  @CsvAnswer(TARIFF_HISTORY_CSV)
  tariffHistory(
    @Param('id') id: string,
    @Query() query: TariffHistoryQueryDto,
  ): Promise<TariffPoint[]> {
    if (query.imposedBy === query.appliedTo) {
      throw Problem.invalid([
        { path: 'appliedTo', message: 'appliedTo must differ from imposedBy' },
      ]);
    }
    return this.queryBus.execute(
      new GetTariffHistory(
        negotiationId(id),
        query.imposedBy,
        query.appliedTo,
        bound(query.from),
        bound(query.to),
        bound(query.knownAt),
        query.minEvidence,
        query.product,
      ),
    );
  }

  @Get(':id/replay')
  @PinnedByKnownAt('to')
  @ApiOperation({
    summary: 'Developments with the state right after each',
    description:
      'The developments with occurredAt in (from, to] in valid-time order, retracted ones left out, each with a summary of the state right after it (as of its occurredAt): tariff totals, talks status, number of open proposals. Paged like GET …/events.',
  })
  @ApiParam(ID)
  @ApiQueryFrom(ReplayQueryDto, {
    descriptions: {
      ...RANGE_DESCRIPTIONS,
      limit: '1..1000, default 100',
      cursor: 'nextCursor of the previous page',
    },
  })
  @ApiAnswer(200, 'One page', 'ReplayPage')
  @ApiBadRequestResponse(PROBLEM)
  @ApiNotFoundResponse(NOT_FOUND)
  async replay(@Param('id') id: string, @Query() query: ReplayQueryDto) {
    const page: ReplayPage = await this.queryBus.execute(
      new ReplayHistory(
        negotiationId(id),
        bound(query.from),
        bound(query.to),
        bound(query.knownAt),
        query.cursor === undefined ? undefined : decodeCursor(query.cursor),
        query.limit ?? 100,
        query.minEvidence,
      ),
    );
    return {
      items: page.items,
      nextCursor: page.hasMore && page.last ? encodeCursor(page.last) : null,
    };
  }

  @Sse(':id/live', { maxPendingDataLength: LIVE_MAX_PENDING_CHARS })
  @ApiOperation({
    summary: 'Live developments (Server-Sent Events)',
    description:
      'text/event-stream. First the developments recorded after Last-Event-ID (none without it), then a `state` event; then each new development as it is recorded (`event: development`, `id:` its revision, data as GET …/events lists it), followed by a `state` event (`id:` the same revision, data the state summary now). A `: heartbeat` comment every 15 s while idle. Reconnecting with Last-Event-ID resumes without gaps or duplicates. Follows the store, so writes through any API instance arrive.',
  })
  @ApiParam(ID)
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The last revision received; the stream resumes after it',
  })
  @ApiQueryFrom(LiveQueryDto, {
    descriptions: {
      lastEventId:
        'Same as the Last-Event-ID header, for a first connection that cannot set it; the header wins',
    },
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An event stream of `development` events and `state` events',
    content: {
      // Each event of the stream: `event`, `id` and the JSON of `data`.
      'text/event-stream': { schema: ref('LiveEvent') },
    },
  })
  @ApiBadRequestResponse(PROBLEM)
  @ApiNotFoundResponse(NOT_FOUND)
  async live(
    @Param('id') id: string,
    @Query() query: LiveQueryDto,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Observable<MessageEvent>> {
    const lastEventId = lastEventIdHeader ?? query.lastEventId;
    if (lastEventId !== undefined && !REVISION_ID.test(lastEventId)) {
      throw Problem.invalid([
        {
          path: 'Last-Event-ID',
          message: 'Last-Event-ID must be a revision (a non-negative integer) from this stream',
        },
      ]);
    }
    spellExpires(reply);
    const events: Observable<MessageEvent> = await this.queryBus.execute(
      new FollowNegotiation(
        negotiationId(id),
        lastEventId === undefined ? null : Number(lastEventId),
      ),
    );
    return dropWhenNotReading(events, reply.raw);
  }
}
