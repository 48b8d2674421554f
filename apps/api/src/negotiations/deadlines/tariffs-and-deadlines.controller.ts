import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Deadline, TariffPair } from '@parley/projections';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiAnswer,
  ApiNegotiationId,
  ApiProblems,
  ApiQueryFrom,
} from '../../docs/openapi.decorators';
import { MIN_EVIDENCE_DESCRIPTION } from '../../docs/openapi.evidence';
import { CsvAnswer } from '../../http/csv';
import { DEADLINES_ACROSS_CSV, DEADLINES_CSV, TARIFFS_ACROSS_CSV } from '../csv-tables';
import {
  GetDeadlines,
  ListDeadlinesAcross,
  ListTariffsAcross,
} from '../reading/negotiation-queries';
import {
  DeadlinesAcrossQueryDto,
  DeadlinesQueryDto,
  TARIFFS_QUERY_EXAMPLES,
  TariffsAcrossQueryDto,
  tariffView,
} from '../reading/reading.request.dto';
import { PinnedByKnownAt } from '../pinned-answers';
import { bound, negotiationId } from '../request-params';

const DEADLINE_DESCRIPTIONS = {
  asOf: 'What is due after this time (omitted: now). A date means the end of that day.',
  to: 'Up to this time, inclusive (omitted: no end). A date means the end of that day.',
  knownAt: 'Transaction time: only what the tracker had recorded by then.',
  minEvidence: MIN_EVIDENCE_DESCRIPTION,
};

/**
 * What is due, and tariffs across negotiations (contract v1.1, "Deadlines" and "Across
 * negotiations"): a negotiation's deadlines, and every negotiation's tariff pairs and deadlines
 * in one answer.
 */
@ApiTags('tariffs and deadlines')
@Controller()
export class TariffsAndDeadlinesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('negotiations/:id/deadlines')
  @PinnedByKnownAt('asOf')
  @ApiOperation({
    summary: 'What is due after asOf, up to to',
    description:
      'Ordered by `at`, then `kind`: scheduled tariff steps (a temporary rate’s expiry with `reversion: true`), threatened or considered tariff changes with a date, scheduled trade measure changes, the next round of talks, agreements not yet in effect; as the state as of asOf, known at knownAt, has them.',
  })
  @ApiNegotiationId()
  @ApiQueryFrom(DeadlinesQueryDto, {
    examples: { asOf: '2025-08-01' },
    descriptions: DEADLINE_DESCRIPTIONS,
  })
  @ApiAnswer(200, 'What is due, by at then kind', 'Deadline', { array: true })
  @ApiProblems(400, 404)
  @CsvAnswer(DEADLINES_CSV)
  deadlines(@Param('id') id: string, @Query() query: DeadlinesQueryDto): Promise<Deadline[]> {
    return this.queryBus.execute(
      new GetDeadlines(
        negotiationId(id),
        bound(query.asOf),
        bound(query.knownAt),
        bound(query.to),
        query.minEvidence,
      ),
    );
  }

  @Get('tariffs')
  @ApiOperation({
    summary: 'Every tariff pair of every negotiation',
    description:
      'Each negotiation’s pairs as its own GET …/tariffs answers them (asOf or effectiveOn, knownAt, product, minEvidence), with `negotiationId`, ordered by negotiationId, imposedBy, appliedTo; a negotiation not yet recorded at knownAt is left out. `measure` keeps the pairs with a line of that measure (in force, scheduled, threatened or considered).',
  })
  @ApiQueryFrom(TariffsAcrossQueryDto, TARIFFS_QUERY_EXAMPLES)
  @ApiAnswer(200, 'The pairs', 'NegotiationTariffPair', { array: true })
  @ApiProblems(400)
  @CsvAnswer(TARIFFS_ACROSS_CSV)
  tariffsAcross(
    @Query() query: TariffsAcrossQueryDto,
  ): Promise<(TariffPair & { negotiationId: string })[]> {
    const view = tariffView(query);
    return this.queryBus.execute(
      new ListTariffsAcross(bound(query.asOf), bound(query.knownAt), query.minEvidence, view, {
        ...(query.imposedBy !== undefined ? { imposedBy: query.imposedBy } : {}),
        ...(query.appliedTo !== undefined ? { appliedTo: query.appliedTo } : {}),
        ...(query.measure !== undefined ? { measure: query.measure } : {}),
      }),
    );
  }

  @Get('deadlines')
  @ApiOperation({
    summary: 'The deadlines of every negotiation',
    description:
      'Each negotiation’s deadlines as its GET …/deadlines answers them, with `negotiationId`, by at then kind; `party` keeps those naming the party (it imposes or is subject to the change, or is party to the agreement).',
  })
  @ApiQueryFrom(DeadlinesAcrossQueryDto, {
    examples: { asOf: '2025-08-01' },
    descriptions: DEADLINE_DESCRIPTIONS,
  })
  @ApiAnswer(200, 'What is due, by at then kind', 'NegotiationDeadline', { array: true })
  @ApiProblems(400)
  @CsvAnswer(DEADLINES_ACROSS_CSV)
  deadlinesAcross(
    @Query() query: DeadlinesAcrossQueryDto,
  ): Promise<(Deadline & { negotiationId: string })[]> {
    return this.queryBus.execute(
      new ListDeadlinesAcross(
        bound(query.asOf),
        bound(query.knownAt),
        bound(query.to),
        query.party,
      ),
    );
  }
}
