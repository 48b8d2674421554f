import type {
  Deadline,
  PossibleTariffLine,
  TariffLine,
  TariffPair,
  TariffPoint,
} from '@parley/projections';
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
  readonly pair: Pick<TariffPair, 'imposedBy' | 'appliedTo' | 'total' | 'applicable'> & {
    readonly negotiationId?: string;
  };
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

const PAIR_COLUMNS: readonly CsvColumn<TariffLineRow>[] = [
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
];

/** With `product=`: what goods of that code pay between the pair, repeated on each of its rows. */
const PRODUCT_COLUMNS: readonly CsvColumn<TariffLineRow>[] = [
  {
    name: 'product',
    description: 'With product=: the product code asked for (empty without)',
    value: (r) => r.pair.applicable?.product,
  },
  {
    name: 'productRate',
    description: 'With product=: what goods of that product pay between the pair',
    value: (r) => r.pair.applicable?.rate,
  },
  {
    name: 'productMeasures',
    description: 'With product=: the lines counted in productRate, separated by spaces',
    value: (r) => spaced(r.pair.applicable?.measures),
  },
  {
    name: 'productDisplaced',
    description: 'With product=: lines that cover it but another covering line displaces',
    value: (r) => spaced(r.pair.applicable?.displaced),
  },
  {
    name: 'productUncertain',
    description: 'With product=: selected-goods lines of unknown scope, not counted',
    value: (r) => spaced(r.pair.applicable?.uncertain),
  },
];

const pairRows = (pairs: readonly (TariffPair & { negotiationId?: string })[]): TariffLineRow[] =>
  pairs.flatMap((pair) =>
    PAIR_LISTS.flatMap((list) =>
      (pair[list] ?? []).map((line): TariffLineRow => ({ pair, list, line })),
    ),
  );

const PAIR_ROWS_ARE =
  'one row per line of each pair: its lines in force (`measures`), then `scheduled`, `threatened` and `considered`; the pair’s total (and, with product=, what that product pays) repeated on each of its rows';

/** GET …/tariffs: one row per line of each pair (in force, scheduled, threatened, considered). */
export const TARIFFS_CSV = csvTable<readonly TariffPair[], TariffLineRow>({
  name: 'tariffs',
  rowIs: PAIR_ROWS_ARE,
  columns: [...PAIR_COLUMNS, ...PRODUCT_COLUMNS],
  rows: pairRows,
});

/** GET /tariffs: the same rows for every negotiation, each with its negotiationId first. */
export const TARIFFS_ACROSS_CSV = csvTable<
  readonly (TariffPair & { negotiationId: string })[],
  TariffLineRow
>({
  name: 'tariffs',
  rowIs: `${PAIR_ROWS_ARE}; by negotiationId`,
  columns: [
    { name: 'negotiationId', description: 'The negotiation', value: (r) => r.pair.negotiationId },
    ...PAIR_COLUMNS,
    ...PRODUCT_COLUMNS,
  ],
  rows: pairRows,
});

/** A deadline as answered, any kind, with negotiationId on GET /deadlines. */
type DeadlineRow = Deadline & { readonly negotiationId?: string };

const field = <K extends string>(d: DeadlineRow, key: K): unknown =>
  key in d ? (d as unknown as Record<K, unknown>)[key] : undefined;

const DEADLINE_COLUMNS: readonly CsvColumn<DeadlineRow>[] = [
  { name: 'at', description: 'When it is due', value: (d) => d.at },
  {
    name: 'kind',
    description:
      'tariff-change, tariff-threat, trade-measure-change, talks-round or agreement-effective',
    value: (d) => d.kind,
  },
  {
    name: 'imposedBy',
    description: 'Tariffs and trade measures: the party imposing',
    value: (d) => field(d, 'imposedBy') as string | undefined,
  },
  {
    name: 'appliedTo',
    description: 'Tariffs and trade measures: the party or parties (separated by spaces)',
    value: (d) => {
      const to = field(d, 'appliedTo');
      return Array.isArray(to) ? spaced(to as string[]) : (to as string | undefined);
    },
  },
  {
    name: 'measure',
    description: 'The tariff line’s or trade measure’s slug',
    value: (d) => field(d, 'measure') as string | undefined,
  },
  {
    name: 'rate',
    description: 'Tariffs: the rate from then, in percent',
    value: (d) => field(d, 'rate') as number | undefined,
  },
  {
    name: 'coverage',
    description: 'Tariffs: all-goods or selected-goods',
    value: (d) => field(d, 'coverage') as string | undefined,
  },
  {
    name: 'reversion',
    description: 'Tariff changes: true for a temporary rate’s expiry',
    value: (d) => field(d, 'reversion') as boolean | undefined,
  },
  {
    name: 'modality',
    description: 'Tariff threats: threatened or considered',
    value: (d) => field(d, 'modality') as string | undefined,
  },
  {
    name: 'action',
    description: 'Trade measure changes: what is due',
    value: (d) => field(d, 'action') as string | undefined,
  },
  {
    name: 'parties',
    description: 'Agreements: the parties, separated by spaces',
    value: (d) => spaced(field(d, 'parties') as string[] | undefined),
  },
  {
    name: 'summary',
    description: 'Agreements: the summary',
    value: (d) => field(d, 'summary') as string | undefined,
  },
  { name: 'eventId', description: 'The development behind it', value: (d) => d.eventId },
];

/** GET …/deadlines: one row per deadline; the columns of other kinds empty. */
export const DEADLINES_CSV = csvTable<readonly DeadlineRow[], DeadlineRow>({
  name: 'deadlines',
  rowIs: 'one row per deadline, by at then kind; a column another kind has is empty',
  columns: DEADLINE_COLUMNS,
  rows: (deadlines) => deadlines,
});

/** GET /deadlines: the same rows for every negotiation, each with its negotiationId first. */
export const DEADLINES_ACROSS_CSV = csvTable<readonly DeadlineRow[], DeadlineRow>({
  name: 'deadlines',
  rowIs:
    'one row per deadline of every negotiation, by at then kind; a column another kind has is empty',
  columns: [
    { name: 'negotiationId', description: 'The negotiation', value: (d) => d.negotiationId },
    ...DEADLINE_COLUMNS,
  ],
  rows: (deadlines) => deadlines,
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
    {
      name: 'product',
      description: 'With product=: the product code asked for (empty without)',
      value: (p) => p.applicable?.product,
    },
    {
      name: 'productRate',
      description: 'With product=: what goods of that product pay from then',
      value: (p) => p.applicable?.rate,
    },
    {
      name: 'productMeasures',
      description: 'With product=: the lines counted in productRate, separated by spaces',
      value: (p) => spaced(p.applicable?.measures),
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
