import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable, SetMetadata, UseInterceptors, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { map } from 'rxjs';
import { Problem } from './problem';

/**
 * CSV answers (RFC 4180) for reads whose JSON answer is a table: one row per item, flat columns,
 * a header row, CRLF line ends. A route declares its table once (`@CsvAnswer(table)`); the answer
 * is CSV when the request asks for it (`Accept: text/csv`, or `format=csv` for a link), else the
 * JSON as before. The OpenAPI document describes it from the same declaration
 * (docs/openapi.csv.ts).
 */

/** What one cell may hold; null and undefined are an empty cell. */
export type CsvValue = string | number | boolean | null | undefined;

/** One column: its header, what it holds (documented), and its value in a row. */
export interface CsvColumn<Row> {
  readonly name: string;
  readonly description: string;
  readonly value: (row: Row) => CsvValue;
}

/** What a route's request carries that its rows may need (the path's id, the query). */
export interface CsvRequest {
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, unknown>>;
}

/** A route's table: how its JSON answer becomes rows, and the columns of a row. */
export interface CsvTable<Answer, Row> {
  /** The file's name (`<id>-<name>.csv` on a route with an `:id`, else `<name>.csv`). */
  readonly name: string;
  /** What one row is, for the document ("one row per tariff line"). */
  readonly rowIs: string;
  readonly columns: readonly CsvColumn<Row>[];
  readonly rows: (answer: Answer, request: CsvRequest) => Iterable<Row>;
  /** A paged answer's next cursor (null: the last page): sent as a `Link: <…>; rel="next"` header. */
  readonly nextCursor?: (answer: Answer) => string | null;
}

/** Declares a table column by column, with its row type checked against the answer's. */
export const csvTable = <Answer, Row>(table: CsvTable<Answer, Row>): CsvTable<Answer, Row> => table;

export const CSV_MEDIA_TYPE = 'text/csv';
/** RFC 4180's registration: UTF-8, and the first line is the header row. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';
/** The query parameter choosing the answer's format (for a link, where no Accept can be set). */
export const FORMAT_PARAMETER = 'format';
export const FORMATS = ['json', 'csv'] as const;

/** Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell as written: text that a spreadsheet would run as a formula is prefixed with `'`
 * (shown as text, not run); a cell with a comma, quote or line break is quoted, quotes doubled.
 * Numbers and booleans are written as they are: a number cannot carry a formula, and prefixing
 * a negative one would make it text.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV text of rows: the header row, then one line per row, every line ended by CRLF. */
export function csvText<Row>(columns: readonly CsvColumn<Row>[], rows: Iterable<Row>): string {
  const lines = [columns.map((column) => csvCell(column.name)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvCell(column.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A list of codes or words as one cell: separated by spaces (none holds one). */
export const spaced = (values: readonly string[] | undefined): string | undefined =>
  values && values.length > 0 ? values.join(' ') : undefined;

/** A value as compact JSON in one cell (the `data` of a development). */
export const compactJson = (value: unknown): string | undefined =>
  value === undefined ? undefined : JSON.stringify(value);

interface MediaRange {
  type: string;
  q: number;
}

function mediaRanges(accept: string): MediaRange[] {
  return accept.split(',').map((part) => {
    const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return { type, q: Number.isFinite(weight) ? weight : 0 };
  });
}

/** The weight an Accept header gives a media type: that of its most specific range (RFC 9110 §12.5.1). */
function weightOf(ranges: readonly MediaRange[], mediaType: string): { q: number; named: boolean } {
  const [major] = mediaType.split('/');
  const exact = ranges.find((range) => range.type === mediaType);
  if (exact) return { q: exact.q, named: true };
  const family = ranges.find((range) => range.type === `${major}/*`);
  if (family) return { q: family.q, named: false };
  const any = ranges.find((range) => range.type === '*/*');
  return { q: any?.q ?? 0, named: false };
}

/**
 * Whether an Accept header prefers CSV to JSON: text/csv weighs more than application/json, or as
 * much and only it is named (`Accept: text/csv, *\/*`). A browser's or curl's default is JSON.
 */
export function acceptsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = mediaRanges(accept);
  const csv = weightOf(ranges, CSV_MEDIA_TYPE);
  const json = weightOf(ranges, 'application/json');
  if (csv.q <= 0) return false;
  return csv.q > json.q || (csv.q === json.q && csv.named && !json.named);
}

/**
 * The format a request asks for: `format` in the query wins (a link), else the Accept header.
 * An unknown or repeated `format` is a 400 naming it.
 */
export function requestedFormat(
  query: Readonly<Record<string, unknown>>,
  accept: string | undefined,
): 'json' | 'csv' {
  const format = query[FORMAT_PARAMETER];
  if (format === undefined) return acceptsCsv(accept) ? 'csv' : 'json';
  if (format === 'json' || format === 'csv') return format;
  throw Problem.invalid([
    {
      path: FORMAT_PARAMETER,
      message: `${FORMAT_PARAMETER} must be one of: ${FORMATS.join(', ')}`,
    },
  ]);
}

/** The URL of the next page: this request's path and query with `cursor` set to the next one. */
function nextPageUrl(url: string, cursor: string): string {
  const mark = url.indexOf('?');
  const query = new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1));
  query.set('cursor', cursor);
  return `${mark < 0 ? url : url.slice(0, mark)}?${query.toString()}`;
}

/** `Vary: Accept` kept beside what other hooks add (compression adds Accept-Encoding later). */
function varyOnAccept(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  const names = typeof vary === 'string' ? vary.split(',').map((name) => name.trim()) : [];
  if (names.some((name) => name.toLowerCase() === 'accept' || name === '*')) return;
  void reply.header('vary', [...names.filter(Boolean), 'Accept'].join(', '));
}

const CSV_TABLE = Symbol('parley.csvTable');

/** What the OpenAPI document says of a route's CSV answer (docs/openapi.csv.ts reads it). */
export const CSV_EXTENSION = 'x-parley-csv';
export interface CsvDocumentation {
  rowIs: string;
  columns: { name: string; description: string }[];
  paged: boolean;
}

/**
 * Answers the route's JSON as CSV when asked. Runs before the query is validated: a valid `format`
 * is taken out of the query there, so that the route's query DTO need not know it.
 */
@Injectable()
export class CsvAnswers implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const table = this.reflector.get<CsvTable<unknown, unknown> | undefined>(
      CSV_TABLE,
      context.getHandler(),
    );
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    varyOnAccept(reply); // the same URL answers JSON or CSV as Accept says: caches must know
    if (!table) return next.handle();
    const query = (request.query ?? {}) as Record<string, unknown>;
    const format = requestedFormat(query, request.headers.accept);
    delete query[FORMAT_PARAMETER];
    if (format === 'json') return next.handle();
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    return next.handle().pipe(
      map((answer: unknown) => {
        const text = csvText(table.columns, table.rows(answer, { params, query }));
        const file = params.id ? `${params.id}-${table.name}.csv` : `${table.name}.csv`;
        void reply.header('content-type', CSV_CONTENT_TYPE);
        // The id is a slug (letters, digits, dashes): safe in a quoted file name.
        void reply.header('content-disposition', `attachment; filename="${file}"`);
        const cursor = table.nextCursor?.(answer);
        if (cursor) void reply.header('link', `<${nextPageUrl(request.url, cursor)}>; rel="next"`);
        return text;
      }),
    );
  }
}

/**
 * A read that also answers CSV: `@CsvAnswer(table)` on the route's handler, beside its JSON
 * description. The document gets the `format` parameter, the text/csv answer and its columns.
 */
export function CsvAnswer<Answer, Row>(table: CsvTable<Answer, Row>): MethodDecorator {
  const documentation: CsvDocumentation = {
    rowIs: table.rowIs,
    columns: table.columns.map(({ name, description }) => ({ name, description })),
    paged: table.nextCursor !== undefined,
  };
  return applyDecorators(
    SetMetadata(CSV_TABLE, table),
    UseInterceptors(CsvAnswers),
    ApiExtension(CSV_EXTENSION, documentation),
  );
}
