import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseInstant } from '@parley/domain';
import { ApiAnswer, ApiNegotiationId, ApiProblems, ApiQueryFrom } from '../docs/openapi.decorators';
import { Problem } from '../http/problem';
import { bound, negotiationId } from '../negotiations/request-params';
import type { SearchPage } from './search.queries';
import { SearchDevelopments, decodeSearchCursor } from './search.queries';
import { SEARCH_QUERY_DOCS, SearchQueryDto, evidenceStatuses } from './search.request.dto';

/** Results per page when `limit` is not given. */
export const DEFAULT_SEARCH_LIMIT = 20;

const DESCRIPTION =
  'Full-text search (MiniSearch over the read model) of the developments’ free text, ranked best first: BM25+ over the fields, a word in a summary counting twice, exact words above prefix and fuzzy ones; ties by negotiationId then revision. Each item is the development as GET …/events lists it (retracted and evidence as known at knownAt), its score, and `matches`: each piece of text a word was found in (`field` is its path: `summary`, `source.via`, `data.quote`, `data.terms.1`), as a `snippet` (the text, or about 200 characters of it around the first word found, `…` marking a cut) with `highlights`: the found words’ offsets in the snippet (UTF-16 code units, as JavaScript’s String.slice; `end` exclusive). Paged by an opaque cursor; `total` counts every result of the query and filters.';

function searchFilter(query: SearchQueryDto, within?: string) {
  const from = query.from === undefined ? undefined : parseInstant(query.from, 'start-of-day');
  const to = bound(query.to) ?? undefined;
  if (from !== undefined && to !== undefined && from > to) {
    throw Problem.invalid([{ path: 'from', message: 'from must not be after to' }]);
  }
  return {
    ...(within !== undefined ? { negotiationId: within } : {}),
    ...(query.type !== undefined ? { types: new Set(query.type.split(',')) } : {}),
    ...(query.party !== undefined ? { party: query.party } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    knownAt: bound(query.knownAt),
    ...(query.minEvidence !== undefined ? { minEvidence: query.minEvidence } : {}),
    ...(query.evidence !== undefined ? { evidence: evidenceStatuses(query.evidence)! } : {}),
    includeRetracted: query.includeRetracted === 'true' || query.includeRetracted === '1',
  };
}

/** Full-text search of developments, across negotiations and within one (issue 16). */
@ApiTags('search')
@Controller()
export class SearchController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('search')
  @ApiOperation({
    summary: 'Search the developments of every negotiation',
    description: DESCRIPTION,
  })
  @ApiQueryFrom(SearchQueryDto, SEARCH_QUERY_DOCS)
  @ApiAnswer(200, 'One page of results, best first', 'SearchPage')
  @ApiProblems(400)
  across(@Query() query: SearchQueryDto): Promise<SearchPage> {
    return this.search(query);
  }

  @Get('negotiations/:id/search')
  @ApiOperation({ summary: 'Search the developments of one negotiation', description: DESCRIPTION })
  @ApiNegotiationId()
  @ApiQueryFrom(SearchQueryDto, SEARCH_QUERY_DOCS)
  @ApiAnswer(200, 'One page of results, best first', 'SearchPage')
  @ApiProblems(400, 404)
  within(@Param('id') id: string, @Query() query: SearchQueryDto): Promise<SearchPage> {
    return this.search(query, negotiationId(id));
  }

  private search(query: SearchQueryDto, within?: string): Promise<SearchPage> {
    const filter = searchFilter(query, within);
    const after = query.cursor === undefined ? undefined : decodeSearchCursor(query.cursor);
    return this.queryBus.execute(
      new SearchDevelopments(query.q, filter, query.limit ?? DEFAULT_SEARCH_LIMIT, after),
    );
  }
}
