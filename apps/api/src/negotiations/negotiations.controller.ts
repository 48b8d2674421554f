import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Instant } from '@parley/domain';
import { NEGOTIATION_ID, OPEN_PROPOSAL_STATUSES, parseInstant } from '@parley/domain';
import type { NegotiationState, NegotiationSummary } from '@parley/projections';
import type { FastifyReply } from 'fastify';
import { Problem } from '../http/problem';
import { OpenNegotiation } from './opening/open-negotiation.command';
import { OpenNegotiationRequestDto } from './opening/open-negotiation.request.dto';
import { toDevelopment } from './recording/development.mapper';
import type { DevelopmentEnvelopeDto } from './recording/development.request.dto';
import type { BatchBody } from './recording/development-body.pipe';
import { BatchBodyPipe, DevelopmentBodyPipe } from './recording/development-body.pipe';
import type { RecordDevelopmentsResult } from './recording/record-developments.command';
import { RecordDevelopments } from './recording/record-developments.command';
import { decodeCursor, encodeCursor } from './reading/development-cursor';
import {
  GetNegotiation,
  GetState,
  ListDevelopments,
  ListNegotiations,
} from './reading/negotiation-queries';
import {
  DevelopmentsQueryDto,
  PerspectiveQueryDto,
  ProposalsQueryDto,
} from './reading/reading.request.dto';

/** Query bounds: a date-only value means the end of that day, so "as of 2 May" includes 2 May. */
const bound = (value: string | undefined): Instant | null =>
  value === undefined ? null : (parseInstant(value, 'end-of-day') ?? null);

function negotiationId(id: string): string {
  if (!NEGOTIATION_ID.test(id)) {
    throw Problem.invalid([
      {
        path: 'id',
        message: 'id must be a negotiation slug (lower-case letters, digits, hyphens)',
      },
    ]);
  }
  return id;
}

@Controller('negotiations')
export class NegotiationsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  open(@Body() body: OpenNegotiationRequestDto): Promise<{ id: string; revision: 0 }> {
    const codes = body.parties.map((p) => p.code);
    const repeated = codes.findIndex((code, i) => codes.indexOf(code) !== i);
    if (repeated >= 0) {
      throw Problem.invalid([
        { path: `parties[${repeated}].code`, message: `party ${codes[repeated]} is listed twice` },
      ]);
    }
    const openedAt =
      body.openedAt === undefined ? undefined : parseInstant(body.openedAt, 'start-of-day');
    return this.commandBus.execute(
      new OpenNegotiation(body.id, body.title, body.parties, openedAt, body.description),
    );
  }

  @Get()
  list(): Promise<NegotiationSummary[]> {
    return this.queryBus.execute(new ListNegotiations());
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<NegotiationSummary> {
    return this.queryBus.execute(new GetNegotiation(negotiationId(id)));
  }

  @Post(':id/events')
  async record(
    @Param('id') id: string,
    @Body(DevelopmentBodyPipe) envelope: DevelopmentEnvelopeDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(
      new RecordDevelopments(
        negotiationId(id),
        [toDevelopment(envelope)],
        envelope.expectedRevision,
        false,
      ),
    );
    void reply.status(outcome.created ? 201 : 200);
    return outcome.results[0]!;
  }

  @Post(':id/events/batch')
  async recordBatch(
    @Param('id') id: string,
    @Body(BatchBodyPipe) batch: BatchBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<
    Omit<RecordDevelopmentsResult, 'created' | 'results'> & {
      results: { eventId: string; revision: number }[];
    }
  > {
    const outcome = await this.commandBus.execute(
      new RecordDevelopments(
        negotiationId(id),
        batch.events.map(toDevelopment),
        batch.expectedRevision,
        true,
      ),
    );
    void reply.status(outcome.created ? 201 : 200);
    return {
      revision: outcome.revision,
      results: outcome.results.map(({ eventId, revision }) => ({ eventId, revision })),
    };
  }

  @Get(':id/events')
  async developments(@Param('id') id: string, @Query() query: DevelopmentsQueryDto) {
    const from = query.from === undefined ? undefined : parseInstant(query.from, 'start-of-day');
    const to = bound(query.to) ?? undefined;
    if (from !== undefined && to !== undefined && from > to) {
      throw Problem.invalid([{ path: 'from', message: 'from must not be after to' }]);
    }
    const limit = query.limit ?? 100;
    const page = await this.queryBus.execute(
      new ListDevelopments(negotiationId(id), {
        from,
        to,
        types: query.type === undefined ? undefined : new Set(query.type.split(',')),
        party: query.party,
        knownAt: bound(query.knownAt),
        includeRetracted: query.includeRetracted === 'true' || query.includeRetracted === '1',
        after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
        limit,
      }),
    );
    const last = page.items[page.items.length - 1]?.development;
    return {
      items: page.items.map(({ development, retracted }) => ({ ...development, retracted })),
      nextCursor: page.hasMore && last ? encodeCursor(last) : null,
    };
  }

  @Get(':id/state')
  state(@Param('id') id: string, @Query() query: PerspectiveQueryDto): Promise<NegotiationState> {
    return this.stateOf(id, query);
  }

  @Get(':id/tariffs')
  async tariffs(@Param('id') id: string, @Query() query: PerspectiveQueryDto) {
    return (await this.stateOf(id, query)).tariffs;
  }

  @Get(':id/talks')
  async talks(@Param('id') id: string, @Query() query: PerspectiveQueryDto) {
    return (await this.stateOf(id, query)).talks;
  }

  /** Open proposals (`proposed` or `under-review`) unless `status` asks for all or for one status. */
  @Get(':id/proposals')
  async proposals(@Param('id') id: string, @Query() query: ProposalsQueryDto) {
    const { proposals } = await this.stateOf(id, query);
    const status = query.status ?? 'open';
    if (status === 'all') return proposals;
    if (status === 'open')
      return proposals.filter((p) => OPEN_PROPOSAL_STATUSES.includes(p.status));
    return proposals.filter((p) => p.status === status);
  }

  private stateOf(id: string, query: PerspectiveQueryDto): Promise<NegotiationState> {
    return this.queryBus.execute(
      new GetState(negotiationId(id), bound(query.asOf), bound(query.knownAt)),
    );
  }
}
