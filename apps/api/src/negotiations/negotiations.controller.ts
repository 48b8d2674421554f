import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Development } from '@parley/domain';
import { OPEN_PROPOSAL_STATUSES, parseInstant } from '@parley/domain';
import type { NegotiationSummary } from '@parley/projections';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiAnswer, ApiNegotiationId, ApiProblems, ApiQueryFrom } from '../docs/openapi.decorators';
import { MIN_EVIDENCE_DESCRIPTION } from '../docs/openapi.evidence';
import { DEVELOPMENT_EXAMPLES, OPEN_NEGOTIATION_EXAMPLE } from '../docs/openapi.examples';
import { ref } from '../docs/openapi.schemas';
import { CsvAnswer } from '../http/csv';
import { Problem } from '../http/problem';
import { NoQuery } from '../http/validation';
import { OpenNegotiation } from './opening/open-negotiation.command';
import type { Opening } from './opening/open-negotiation.request';
import { OpenNegotiationBodyPipe } from './opening/open-negotiation.request';
import type { BatchBody, PostedDevelopment } from './recording/development-body.pipe';
import { BatchBodyPipe, DevelopmentBodyPipe } from './recording/development-body.pipe';
import { listedDevelopment } from './reading/listed-development';
import type { RecordDevelopmentsResult } from './recording/record-developments.command';
import { RecordDevelopments } from './recording/record-developments.command';
import { decodeCursor, encodeCursor } from './reading/development-cursor';
import {
  GetNegotiation,
  GetState,
  GetTariffs,
  ListDevelopments,
  ListNegotiations,
} from './reading/negotiation-queries';
import type { StateAnswer, TariffView } from './reading/negotiation-queries';
import {
  DevelopmentsQueryDto,
  PerspectiveQueryDto,
  ProposalsQueryDto,
  TARIFFS_QUERY_EXAMPLES,
  TariffsQueryDto,
  tariffView,
} from './reading/reading.request.dto';
import { EVENTS_CSV, TARIFFS_CSV } from './csv-tables';
import { PinnedByKnownAt } from './pinned-answers';
import { bound, negotiationId } from './request-params';

const PERSPECTIVE_EXAMPLES = {
  examples: { asOf: '2025-04-10' },
  descriptions: { minEvidence: MIN_EVIDENCE_DESCRIPTION },
};

/**
 * 201 with `Location`: the log between the developments' earliest and latest occurredAt, retracted
 * ones included, where they are listed (there is no resource of one development); or 200 when
 * every one was already recorded (an idempotent retry).
 */
function answerRecorded(
  reply: FastifyReply,
  negotiationId: string,
  developments: readonly Development[],
  created: boolean,
): void {
  void reply.status(created ? 201 : 200);
  if (!created) return;
  const times = developments.map((d) => d.occurredAt).sort();
  const place = new URLSearchParams({
    from: times[0]!,
    to: times[times.length - 1]!,
    includeRetracted: 'true',
  });
  void reply.header('location', `/negotiations/${negotiationId}/events?${place.toString()}`);
}

@ApiTags('negotiations')
@Controller('negotiations')
export class NegotiationsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Open a negotiation between declared parties' })
  @ApiBearerAuth()
  @ApiBody({
    schema: ref('OpenNegotiationRequest'),
    examples: { seed: { summary: 'The seed article', value: OPEN_NEGOTIATION_EXAMPLE } },
  })
  @ApiAnswer(201, 'Opened', 'OpenedNegotiation')
  @ApiProblems(400, 401, 409, 413)
  async open(
    @Body(OpenNegotiationBodyPipe) opening: Opening,
    @NoQuery() _query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ id: string; revision: 0 }> {
    const opened: { id: string; revision: 0 } = await this.commandBus.execute(
      new OpenNegotiation(...opening),
    );
    void reply.header('location', `/negotiations/${opened.id}`);
    return opened;
  }

  @Get()
  @ApiOperation({ summary: 'Every negotiation' })
  @ApiAnswer(200, 'The negotiations, by id', 'NegotiationSummary', { array: true })
  list(@NoQuery() _query: unknown): Promise<NegotiationSummary[]> {
    return this.queryBus.execute(new ListNegotiations());
  }

  @Get(':id')
  @ApiOperation({ summary: 'One negotiation' })
  @ApiNegotiationId()
  @ApiAnswer(200, 'The negotiation', 'NegotiationSummary')
  @ApiProblems(400, 404)
  get(@Param('id') id: string, @NoQuery() _query: unknown): Promise<NegotiationSummary> {
    return this.queryBus.execute(new GetNegotiation(negotiationId(id)));
  }

  @Post(':id/events')
  @ApiOperation({
    summary: 'Record one development',
    description:
      'The body is one development envelope; `type` selects the schema of `data`. Idempotent on eventId: the same id and content again answers 200 with the first answer and appends nothing; the same id with other content is 409.',
  })
  @ApiBearerAuth()
  @ApiNegotiationId()
  @ApiBody({
    schema: ref('Development'),
    examples: Object.fromEntries(
      Object.entries(DEVELOPMENT_EXAMPLES).map(([type, value]) => [type, { summary: type, value }]),
    ),
  })
  @ApiAnswer(201, 'Recorded', 'RecordedDevelopmentAnswer')
  @ApiAnswer(
    200,
    'Already recorded with this eventId and the same content: the first answer',
    'RecordedDevelopmentAnswer',
  )
  @ApiProblems(400, 401, 404, 409, 413, 422)
  async record(
    @Param('id') id: string,
    @Body(DevelopmentBodyPipe) posted: PostedDevelopment,
    @NoQuery() _query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const developments = [posted.development];
    const outcome = await this.commandBus.execute(
      new RecordDevelopments(negotiationId(id), developments, posted.expectedRevision, false),
    );
    answerRecorded(reply, id, developments, outcome.created);
    return outcome.results[0]!;
  }

  @Post(':id/events/batch')
  @ApiOperation({
    summary: 'Record up to 1000 developments at once, all or nothing',
    description:
      'Later members are decided against the earlier ones. A batch whose every member is already recorded with the same content answers 200 with the first answers.',
  })
  @ApiBearerAuth()
  @ApiNegotiationId()
  @ApiBody({
    schema: ref('DevelopmentBatch'),
    examples: {
      seed: {
        summary: 'Three developments of the seed article',
        value: { events: Object.values(DEVELOPMENT_EXAMPLES).slice(0, 3) },
      },
    },
  })
  @ApiAnswer(201, 'Recorded', 'BatchAnswer')
  @ApiAnswer(200, 'Every member already recorded with the same content', 'BatchAnswer')
  @ApiProblems(400, 401, 404, 409, 413, 422)
  async recordBatch(
    @Param('id') id: string,
    @Body(BatchBodyPipe) batch: BatchBody,
    @NoQuery() _query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<
    Omit<RecordDevelopmentsResult, 'created' | 'results'> & {
      results: { eventId: string; revision: number }[];
    }
  > {
    const developments = batch.events.map((posted) => posted.development);
    const outcome = await this.commandBus.execute(
      new RecordDevelopments(negotiationId(id), developments, batch.expectedRevision, true),
    );
    answerRecorded(reply, id, developments, outcome.created);
    return {
      revision: outcome.revision,
      results: outcome.results.map(({ eventId, revision }) => ({ eventId, revision })),
    };
  }

  @Get(':id/events')
  @PinnedByKnownAt()
  @ApiOperation({
    summary: 'The log: developments in valid-time order, paged',
    description:
      'Items in (occurredAt, revision) order, NegotiationOpened (revision 0) included unless `type` filters it out.',
  })
  @ApiNegotiationId()
  @ApiQueryFrom(DevelopmentsQueryDto, {
    examples: { type: 'TariffChanged,TradeMeasureChanged' },
    descriptions: { type: 'Only developments of this type, or of these types separated by commas' },
  })
  @ApiAnswer(200, 'One page', 'DevelopmentPage')
  @ApiProblems(400, 404)
  @CsvAnswer(EVENTS_CSV)
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
      items: page.items.map(({ development, retracted, evidence }) =>
        listedDevelopment(development, retracted, evidence),
      ),
      nextCursor: page.hasMore && last ? encodeCursor(last) : null,
    };
  }

  @Get(':id/state')
  @PinnedByKnownAt('asOf')
  @ApiOperation({ summary: 'The state of play on asOf, as known at knownAt' })
  @ApiNegotiationId()
  @ApiQueryFrom(TariffsQueryDto, TARIFFS_QUERY_EXAMPLES)
  @ApiAnswer(200, 'The state', 'NegotiationState')
  @ApiProblems(400, 404)
  state(@Param('id') id: string, @Query() query: TariffsQueryDto): Promise<StateAnswer> {
    return this.stateOf(id, query, tariffView(query));
  }

  @Get(':id/tariffs')
  @PinnedByKnownAt('asOf')
  @ApiOperation({ summary: 'Tariff levels per pair on asOf (state.tariffs)' })
  @ApiNegotiationId()
  @ApiQueryFrom(TariffsQueryDto, TARIFFS_QUERY_EXAMPLES)
  @ApiAnswer(200, 'Pairs with an active or scheduled line', 'TariffPair', { array: true })
  @ApiProblems(400, 404)
  @CsvAnswer(TARIFFS_CSV)
  tariffs(@Param('id') id: string, @Query() query: TariffsQueryDto) {
    // Only the tariffs are folded and shown, not the whole state (whose size grows with the history).
    return this.queryBus.execute(
      new GetTariffs(
        negotiationId(id),
        bound(query.asOf),
        bound(query.knownAt),
        query.minEvidence,
        tariffView(query),
      ),
    );
  }

  @Get(':id/talks')
  @PinnedByKnownAt('asOf')
  @ApiOperation({ summary: 'The talks on asOf (state.talks)' })
  @ApiNegotiationId()
  @ApiQueryFrom(PerspectiveQueryDto, PERSPECTIVE_EXAMPLES)
  @ApiAnswer(200, 'The talks', 'Talks')
  @ApiProblems(400, 404)
  async talks(@Param('id') id: string, @Query() query: PerspectiveQueryDto) {
    return (await this.stateOf(id, query)).talks;
  }

  /** Open proposals (`proposed` or `under-review`) unless `status` asks for all or for one status. */
  @Get(':id/proposals')
  @PinnedByKnownAt('asOf')
  @ApiOperation({ summary: 'Proposals on asOf: open ones unless status says otherwise' })
  @ApiNegotiationId()
  @ApiQueryFrom(ProposalsQueryDto, PERSPECTIVE_EXAMPLES)
  @ApiAnswer(200, 'The proposals, by madeAt then proposalId', 'Proposal', { array: true })
  @ApiProblems(400, 404)
  async proposals(@Param('id') id: string, @Query() query: ProposalsQueryDto) {
    const { proposals } = await this.stateOf(id, query);
    const status = query.status ?? 'open';
    if (status === 'all') return proposals;
    if (status === 'open')
      return proposals.filter((p) => OPEN_PROPOSAL_STATUSES.includes(p.status));
    return proposals.filter((p) => p.status === status);
  }

  private stateOf(
    id: string,
    query: PerspectiveQueryDto,
    view: TariffView = {},
  ): Promise<StateAnswer> {
    return this.queryBus.execute(
      new GetState(
        negotiationId(id),
        bound(query.asOf),
        bound(query.knownAt),
        query.minEvidence,
        view,
      ),
    );
  }
}
