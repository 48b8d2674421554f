import type { OnModuleDestroy } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { EventBus, ofType } from '@nestjs/cqrs';
import type { RecordedDevelopment } from '@parley/domain';
import { NegotiationReadModel } from '@parley/projections';
import MiniSearch from 'minisearch';
import type { SearchResult } from 'minisearch';
import type { Subscription } from 'rxjs';
import { DevelopmentsRecorded } from '../store/developments-recorded.event';
import type { TextAt } from './searchable-text';
import { SEARCH_FIELDS, searchableText } from './searchable-text';

/** Where an indexed development is: its negotiation and revision (its place in the read model). */
export interface IndexedRef {
  negotiationId: string;
  revision: number;
}

/** A word of a text and where it is (UTF-16 offsets, end exclusive). */
interface Token {
  start: number;
  end: number;
  term: string;
}

/** Words as MiniSearch's own tokenizer splits them: runs between spaces, line breaks and punctuation. */
const WORD = /[^\n\r\p{Z}\p{P}]+/gu;

/** Lower case without accents, so `sao` finds `São` and `Tariff` finds `tariffs…`'s stem by prefix. */
export const normalizeTerm = (term: string): string =>
  term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export function tokensOf(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    tokens.push({
      start: match.index,
      end: match.index + match[0].length,
      term: normalizeTerm(match[0]),
    });
  }
  return tokens;
}

const tokenize = (text: string): string[] => text.match(WORD) ?? [];

/** The summaries are what a development is about: a word there counts twice. */
const BOOST: Record<string, number> = { summary: 2, 'data.summary': 2 };

/**
 * How a query's words match: every word must be found (AND) in some field; a word of 3 or more
 * characters also finds words it begins (`tarif` → `tariffs`), one of 5 or more also words within
 * a fifth of its length in edits (`fentanil` → `fentanyl`). Exact matches score above prefix and
 * fuzzy ones (MiniSearch's weights), and BM25+ ranks rarer words and shorter fields higher.
 */
export const QUERY_OPTIONS = {
  combineWith: 'AND',
  prefix: (term: string) => term.length >= 3,
  fuzzy: (term: string) => (term.length >= 5 ? 0.2 : false),
  boost: BOOST,
} as const;

/** How many developments are indexed between two turns of the event loop while building. */
const INDEX_CHUNK = 2000;

interface IndexedDocument {
  id: number;
  fields: Record<string, string>;
}

/**
 * A full-text index (MiniSearch) of every development in this instance's read model, so it works
 * on every store. Built on the first search, then kept current: the developments the read model
 * announces (this instance's writes and the store's subscription) are added as they land, and a
 * search first adds whatever a negotiation's timeline holds beyond what was indexed. Developments
 * are never removed: a retracted one stays indexed and a search decides, as known at its knownAt,
 * whether to list it.
 */
@Injectable()
export class SearchIndex implements OnModuleDestroy {
  private readonly index = new MiniSearch<IndexedDocument>({
    fields: [...SEARCH_FIELDS],
    idField: 'id',
    extractField: (document, field) =>
      field === 'id' ? document.id : (document.fields[field] ?? ''),
    tokenize,
    processTerm: normalizeTerm,
    searchOptions: { ...QUERY_OPTIONS, boost: { ...BOOST } },
  });
  private readonly refs: IndexedRef[] = [];
  /** The last revision indexed of each negotiation. */
  private readonly indexedUpTo = new Map<string, number>();
  private built = false;
  private building?: Promise<void>;
  private readonly subscription: Subscription;

  constructor(
    private readonly readModel: NegotiationReadModel,
    eventBus: EventBus,
  ) {
    this.subscription = eventBus.pipe(ofType(DevelopmentsRecorded)).subscribe((event) => {
      // Before the first search nothing is kept: the first search builds it all at once.
      if (this.built) this.sync(event.negotiationId);
    });
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  /** How many developments are indexed. */
  get size(): number {
    return this.index.documentCount;
  }

  /**
   * Indexes what every negotiation's timeline holds beyond what was indexed, INDEX_CHUNK
   * developments at a time, letting other work run between chunks: the first search of a large
   * read model does not hold the event loop for the whole build.
   */
  syncAll(): Promise<void> {
    // A run under way may have passed a negotiation before its latest developments: another after it.
    if (this.building) return this.building.then(() => this.syncAll());
    this.building = this.indexAll().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async indexAll(): Promise<void> {
    let sinceYield = 0;
    for (const id of this.readModel.negotiationIds()) {
      // sync() may run between chunks (a development landing): each chunk starts where indexing is.
      for (;;) {
        const added = this.syncChunk(id, INDEX_CHUNK - sinceYield);
        sinceYield += added;
        if (sinceYield >= INDEX_CHUNK) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        } else if (added === 0 || this.isIndexed(id)) break;
      }
    }
    this.built = true;
  }

  private isIndexed(negotiationId: string): boolean {
    const timeline = this.readModel.timeline(negotiationId);
    return !timeline || timeline.revision <= (this.indexedUpTo.get(negotiationId) ?? -1);
  }

  /** Indexes what one negotiation's timeline holds beyond what was indexed, at once. */
  sync(negotiationId: string): void {
    this.syncChunk(negotiationId, Infinity);
  }

  /** Indexes up to `max` developments of a negotiation not yet indexed; how many it did. */
  private syncChunk(negotiationId: string, max: number): number {
    const timeline = this.readModel.timeline(negotiationId);
    if (!timeline) return 0;
    const from = (this.indexedUpTo.get(negotiationId) ?? -1) + 1;
    const to = Math.min(timeline.revision, from + max - 1);
    for (let revision = from; revision <= to; revision++) this.add(timeline.at(revision)!);
    if (to >= from) this.indexedUpTo.set(negotiationId, to);
    return Math.max(0, to - from + 1);
  }

  private add(development: RecordedDevelopment): void {
    const fields: Record<string, string> = {};
    for (const { field, text } of searchableText(development)) {
      fields[field] = fields[field] === undefined ? text : `${fields[field]}\n${text}`;
    }
    const id = this.refs.length;
    this.refs.push({ negotiationId: development.negotiationId, revision: development.revision });
    this.index.add({ id, fields });
  }

  /**
   * Every development matching `query` that `keep` keeps, best first (by score, then negotiation,
   * then revision), with MiniSearch's match: which of its words matched in which fields.
   */
  search(query: string, keep: (ref: IndexedRef) => boolean): (SearchResult & IndexedRef)[] {
    const results = this.index.search(query, {
      filter: (result) => keep(this.refs[result.id as number]!),
    });
    return results
      .map((result) => ({ ...result, ...this.refs[result.id as number]! }))
      .sort(
        (a, b) =>
          b.score - a.score ||
          (a.negotiationId < b.negotiationId ? -1 : a.negotiationId > b.negotiationId ? 1 : 0) ||
          a.revision - b.revision,
      );
  }
}

/** A piece of matched text: `snippet` with each matched word's offsets in it (UTF-16, end exclusive). */
export interface FieldMatch {
  field: string;
  snippet: string;
  highlights: { start: number; end: number }[];
}

/** Texts longer than this are cut to a window around their first matched word. */
export const SNIPPET_LENGTH = 200;

/**
 * Where a result's matched words are in a development's text: each piece of text in which one is
 * found, in the order of the type's fields, with the words' offsets (the page marks them without
 * putting text into HTML). A long text is cut to about SNIPPET_LENGTH characters around its first
 * matched word, at word boundaries, `…` marking a cut.
 */
export function matchesIn(texts: readonly TextAt[], match: SearchResult['match']): FieldMatch[] {
  const matches: FieldMatch[] = [];
  for (const { field, path, text } of texts) {
    const words = tokensOf(text).filter((token) => match[token.term]?.includes(field));
    if (words.length === 0) continue;
    if (text.length <= SNIPPET_LENGTH) {
      matches.push({
        field: path,
        snippet: text,
        highlights: words.map(({ start, end }) => ({ start, end })),
      });
      continue;
    }
    const first = words[0]!;
    let from = Math.max(0, first.start - Math.floor(SNIPPET_LENGTH / 4));
    let to = Math.min(text.length, from + SNIPPET_LENGTH);
    from = Math.max(0, Math.min(from, to - SNIPPET_LENGTH));
    // Cut between words, not inside one.
    if (from > 0) {
      const space = text.slice(from, first.start).search(/\s/u);
      if (space >= 0) from += space + 1;
    }
    if (to < text.length) {
      const last = text.slice(first.end, to).search(/\s\S*$/u);
      if (last >= 0) to = first.end + last;
    }
    const prefix = from > 0 ? '…' : '';
    const snippet = `${prefix}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
    matches.push({
      field: path,
      snippet,
      highlights: words
        .filter((word) => word.start >= from && word.end <= to)
        .map(({ start, end }) => ({
          start: start - from + prefix.length,
          end: end - from + prefix.length,
        })),
    });
  }
  return matches;
}
