import type { PossibleTariffLine, TariffLine, TariffPair, TariffPoint } from '@parley/projections';
import type { CsvColumn } from '../http/csv';
import { compactJson, csvTable, spaced } from '../http/csv';

/**
 * The CSV tables of the negotiation reads (http/csv.ts): one row per item, flat columns. Each
 * column's description is what the OpenAPI document says of it.
 */

/** A line as answered: the state's line with its report's evidence status (added at answer time). */
type AnsweredLine = (TariffLine | PossibleTariffLine) & {
  readonly evidenceStatus?: string;
  readonly at?: string;
};

/** The lists of a tariff pair, in the order a row lists them. */
const PAIR_LISTS = ['measures', 'scheduled', 'threatened', 'considered'] as const;

/** One row of GET …/tariffs: a line of one of a pair's lists. */
export interface TariffLineRow {
  readonly pair: Pick<TariffPair, 'imposedBy' | 'appliedTo' | 'total'>;
  readonly list: (typeof PAIR_LISTS)[number];
  readonly line: AnsweredLine;
}

/** The columns of a tariff line, shared by the tariffs table (and any table of lines). */
export const TARIFF_LINE_COLUMNS: readonly CsvColumn<{ line: AnsweredLine }>[] = [
  { name: 'measure', description: 'The line’s measure (its slug)', value: (r) => r.line.measure },
  { name: 'rate', description: 'The rate, in percent', value: (r) => r.line.rate },
  { name: 'coverage', description: 'all-goods or selected-goods', value: (r) => r.line.coverage },
  {
    name: 'effectiveAt',
    description: 'When the rate takes effect (empty: not said, a considered change only)',
    value: (r) => r.line.effectiveAt,
  },
  {
    name: 'until',
    description: 'A temporary rate’s end (empty: none)',
    value: (r) => ('until' in r.line ? r.line.until : undefined),
  },
  {
    name: 'thenRate',
    description: 'The rate from `until` on (empty: none)',
    value: (r) => ('thenRate' in r.line ? r.line.thenRate : undefined),
  },
  {
    name: 'products',
    description: 'The product codes a selected-goods line covers, separated by spaces',
    value: (r) => spaced(r.line.products),
  },
  {
    name: 'excluded',
    description: 'Product codes excluded from the line, separated by spaces',
    value: (r) => spaced(r.line.excluded),
  },
  {
    name: 'included',
    description: 'Product codes covered again inside a wider exclusion, separated by spaces',
    value: (r) => spaced(r.line.included),
  },
  {
    name: 'displaces',
    description: 'Lines of the same pair that do not apply to the goods this line covers',
    value: (r) => spaced(r.line.displaces),
  },
  {
    name: 'reversion',
    description: 'true when the step is a temporary rate’s expiry (empty otherwise)',
    value: (r) => ('reversion' in r.line ? r.line.reversion : undefined),
  },
  {
    name: 'retroactive',
    description: 'With effectiveOn: true when it took effect before it was announced',
    value: (r) => ('retroactive' in r.line ? r.line.retroactive : undefined),
  },
  {
    name: 'announcedAt',
    description: 'For a threatened or considered change: when it was announced (its occurredAt)',
    value: (r) => r.line.at,
  },
  {
    name: 'eventId',
    description: 'The development deciding the line',
    value: (r) => r.line.eventId,
  },
  {
    name: 'evidenceStatus',
    description: 'Its evidence status, as known at knownAt (contract v1.1)',
    value: (r) => r.line.evidenceStatus,
  },
];

/** GET …/tariffs: one row per line of each pair (in force, scheduled, threatened, considered). */
export const TARIFFS_CSV = csvTable<readonly TariffPair[], TariffLineRow>({
  name: 'tariffs',
  rowIs:
    'one row per line of each pair: its lines in force (`measures`), then `scheduled`, `threatened` and `considered`; the pair’s total repeated on each of its rows',
  columns: [
    { name: 'imposedBy', description: 'The party imposing', value: (r) => r.pair.imposedBy },
    { name: 'appliedTo', description: 'The party it applies to', value: (r) => r.pair.appliedTo },
    {
      name: 'total',
      description: 'The pair’s total on asOf (its all-goods lines in force)',
      value: (r) => r.pair.total,
    },
    {
      name: 'list',
      description: 'measures (in force), scheduled, threatened or considered (not in the total)',
      value: (r) => r.list,
    },
    ...TARIFF_LINE_COLUMNS,
  ],
  rows: (pairs) =>
    pairs.flatMap((pair) =>
      PAIR_LISTS.flatMap((list) =>
        (pair[list] ?? []).map((line): TariffLineRow => ({ pair, list, line })),
      ),
    ),
});

/** GET …/tariffs/history: one row per step of the pair's series. */
export const TARIFF_HISTORY_CSV = csvTable<readonly TariffPoint[], TariffPoint>({
  name: 'tariff-history',
  rowIs: 'one row per step of the pair’s series, oldest first',
  columns: [
    { name: 'at', description: 'When the step takes effect', value: (p) => p.at },
    { name: 'total', description: 'The pair’s total from then', value: (p) => p.total },
    {
      name: 'measures',
      description: 'The lines in force from then, as `measure rate%`, separated by `; `',
      value: (p) => p.measures.map((line) => `${line.measure} ${line.rate}%`).join('; '),
    },
    {
      name: 'eventIds',
      description: 'The developments deciding those lines, in the same order, separated by spaces',
      value: (p) => spaced(p.measures.map((line) => line.eventId)),
    },
  ],
  rows: (points) => points,
});

/** A development as GET …/events lists it (listed-development.ts), as far as its columns read it. */
interface ListedRow {
  readonly occurredAt?: string;
  readonly occurredPrecision?: string;
  readonly type?: string;
  readonly modality?: string;
  readonly revision?: number;
  readonly recordedAt?: string;
  readonly eventId?: string;
  readonly summary?: string;
  readonly source?: { name?: string; url?: string; attribution?: string; via?: string };
  readonly retracted?: boolean;
  readonly evidence?: { status?: string } | null;
  readonly unreadable?: string;
  readonly data?: unknown;
}

/** GET …/events: one row per development of the page; the next page's address in `Link`. */
export const EVENTS_CSV = csvTable<{ items: ListedRow[]; nextCursor: string | null }, ListedRow>({
  name: 'events',
  rowIs: 'one row per development of the page, in (occurredAt, revision) order',
  columns: [
    { name: 'occurredAt', description: 'When it happened (UTC)', value: (d) => d.occurredAt },
    {
      name: 'occurredPrecision',
      description: 'instant, day, month, year or approximate',
      value: (d) => d.occurredPrecision,
    },
    { name: 'type', description: 'The development type', value: (d) => d.type },
    {
      name: 'modality',
      description: 'threatened or considered (empty: it occurred)',
      value: (d) => d.modality,
    },
    { name: 'revision', description: 'Its place in the stream', value: (d) => d.revision },
    { name: 'recordedAt', description: 'When Parley recorded it', value: (d) => d.recordedAt },
    { name: 'eventId', description: 'Its id', value: (d) => d.eventId },
    { name: 'summary', description: 'The summary, as posted', value: (d) => d.summary },
    { name: 'sourceName', description: 'source.name', value: (d) => d.source?.name },
    { name: 'sourceUrl', description: 'source.url', value: (d) => d.source?.url },
    {
      name: 'sourceAttribution',
      description: 'source.attribution',
      value: (d) => d.source?.attribution,
    },
    { name: 'sourceVia', description: 'source.via', value: (d) => d.source?.via },
    { name: 'retracted', description: 'true or false', value: (d) => d.retracted },
    {
      name: 'evidenceStatus',
      description: 'Its evidence status (empty for what is not a report)',
      value: (d) => d.evidence?.status,
    },
    {
      name: 'unreadable',
      description: 'Why no fold reads it (empty: readable)',
      value: (d) => d.unreadable,
    },
    { name: 'data', description: 'Its `data`, as compact JSON', value: (d) => compactJson(d.data) },
  ],
  rows: (page) => page.items,
  nextCursor: (page) => page.nextCursor,
});
