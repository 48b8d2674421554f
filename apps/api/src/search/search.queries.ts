import { Query, QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { EvidenceStatus, Instant, MinEvidence } from '@parley/domain';
import { partiesNamedBy, storedTypeOf } from '@parley/domain';
import type { NegotiationTimeline } from '@parley/projections';
import { NegotiationReadModel, meetsMinEvidence } from '@parley/projections';
import { Problem } from '../http/problem';
import { listedAt } from '../negotiations/reading/listed-development';
import type { FieldMatch, IndexedRef } from './search-index';
import { SearchIndex, matchesIn, tokensOf } from './search-index';
import { searchableText } from './searchable-text';

export interface SearchFilter {
  /** Within this negotiation only; every one when undefined. */
  negotiationId?: string;
  types?: ReadonlySet<string>;
  party?: string;
  from?: Instant;
  to?: Instant;
  knownAt: Instant | null;
  minEvidence?: MinEvidence;
  evidence?: ReadonlySet<EvidenceStatus>;
  includeRetracted: boolean;
}

/** Where a page ended: the last result's place in the order (score, negotiation, revision). */
export interface SearchCursor {
  score: number;
  negotiationId: string;
  revision: number;
}

export interface SearchHit {
  negotiationId: string;
  score: number;
  development: Record<string, unknown>;
  matches: FieldMatch[];
}

export interface SearchPage {
  items: SearchHit[];
  total: number;
  nextCursor: string | null;
}

export class SearchDevelopments extends Query<SearchPage> {
  constructor(
    readonly q: string,
    readonly filter: SearchFilter,
    readonly limit: number,
    readonly after?: SearchCursor,
  ) {
    super();
  }
}

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(
    JSON.stringify([cursor.score, cursor.negotiationId, cursor.revision]),
  ).toString('base64url');
}

export function decodeSearchCursor(cursor: string): SearchCursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 3) {
      const [score, negotiationId, revision] = decoded as unknown[];
      if (
        typeof score === 'number' &&
        Number.isFinite(score) &&
        typeof negotiationId === 'string' &&
        typeof revision === 'number' &&
        Number.isInteger(revision) &&
        revision >= 0
      ) {
        return { score, negotiationId, revision };
      }
    }
  } catch {
    // fall through to the problem below
  }
  throw Problem.invalid([
    { path: 'cursor', message: 'cursor must be a nextCursor value returned by this endpoint' },
  ]);
}

/** Whether a result comes after the cursor in the order best first (score, negotiation, revision). */
const isAfter = (hit: { score: number } & IndexedRef, cursor: SearchCursor): boolean =>
  hit.score !== cursor.score
    ? hit.score < cursor.score
    : hit.negotiationId !== cursor.negotiationId
      ? hit.negotiationId > cursor.negotiationId
      : hit.revision > cursor.revision;

@QueryHandler(SearchDevelopments)
export class SearchDevelopmentsHandler implements IQueryHandler<SearchDevelopments> {
  constructor(
    private readonly readModel: NegotiationReadModel,
    private readonly index: SearchIndex,
  ) {}

  async execute({ q, filter, limit, after }: SearchDevelopments): Promise<SearchPage> {
    if (filter.negotiationId !== undefined && !this.readModel.timeline(filter.negotiationId)) {
      throw Problem.notFound(filter.negotiationId);
    }
    if (tokensOf(q).length === 0) {
      throw Problem.invalid([
        {
          path: 'q',
          message: 'q must contain a word to search for, not only spaces or punctuation',
        },
      ]);
    }
    await this.index.syncAll();
    // Each negotiation's revision as known at knownAt, once per search.
    const known = new Map<string, { timeline: NegotiationTimeline; revision: number }>();
    const knownIn = (negotiationId: string) => {
      let entry = known.get(negotiationId);
      if (!entry) {
        const timeline = this.readModel.timeline(negotiationId)!;
        entry = { timeline, revision: timeline.revisionKnownAt(filter.knownAt) };
        known.set(negotiationId, entry);
      }
      return entry;
    };
    const keep = (ref: IndexedRef): boolean => {
      if (filter.negotiationId !== undefined && ref.negotiationId !== filter.negotiationId) {
        return false;
      }
      const { timeline, revision } = knownIn(ref.negotiationId);
      if (ref.revision > revision) return false;
      const development = timeline.at(ref.revision)!;
      if (filter.from !== undefined && development.occurredAt < filter.from) return false;
      if (filter.to !== undefined && development.occurredAt > filter.to) return false;
      if (filter.types && !filter.types.has(storedTypeOf(development))) return false;
      if (filter.party !== undefined) {
        const named =
          development.type === 'PartyJoined'
            ? [development.data.party.code]
            : partiesNamedBy(development);
        if (!named.includes(filter.party)) return false;
      }
      if (!filter.includeRetracted && timeline.isRetracted(development.eventId, revision)) {
        return false;
      }
      if (filter.minEvidence !== undefined || filter.evidence !== undefined) {
        const status = timeline.evidenceStatusAt(development.eventId, revision);
        if (filter.evidence !== undefined && (status === null || !filter.evidence.has(status))) {
          return false;
        }
        if (
          filter.minEvidence !== undefined &&
          development.type !== 'PartyJoined' &&
          status !== null &&
          !meetsMinEvidence(status, filter.minEvidence)
        ) {
          return false;
        }
      }
      return true;
    };
    const results = this.index.search(q, keep);
    const start = after === undefined ? 0 : results.findIndex((hit) => isAfter(hit, after));
    const page = start < 0 ? [] : results.slice(start, start + limit);
    const hasMore = start >= 0 && start + limit < results.length;
    const items = page.map((hit): SearchHit => {
      const { timeline, revision } = knownIn(hit.negotiationId);
      const development = timeline.at(hit.revision)!;
      return {
        negotiationId: hit.negotiationId,
        score: hit.score,
        development: listedAt(timeline, development, revision),
        matches: matchesIn(searchableText(development), hit.match),
      };
    });
    const last = page[page.length - 1];
    return {
      items,
      total: results.length,
      nextCursor: hasMore && last ? encodeSearchCursor(last) : null,
    };
  }
}
