import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  PathItemObject,
  ResponseObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { CsvDocumentation } from '../http/csv';
import { CSV_EXTENSION, CSV_MEDIA_TYPE, FORMATS, FORMAT_PARAMETER, csvCell } from '../http/csv';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The CSV answer of every operation declared with `@CsvAnswer` (http/csv.ts): the `format` query
 * parameter, a `text/csv` content beside the JSON of its 200 answer (a string that starts with
 * the header row, its columns described), and the `Link` header of a paged one. The declaration's
 * own mark (`x-parley-csv`) is removed.
 */
export function describeCsvAnswers(document: OpenAPIObject): void {
  for (const item of Object.values<PathItemObject>(document.paths)) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      const marks = operation as Record<string, unknown> | undefined;
      const csv = marks?.[CSV_EXTENSION] as CsvDocumentation | undefined;
      if (!operation || !marks || !csv) continue;
      delete marks[CSV_EXTENSION];
      const format: ParameterObject = {
        name: FORMAT_PARAMETER,
        in: 'query',
        required: false,
        description:
          'The answer’s format: `csv` for RFC 4180 CSV (as `Accept: text/csv` asks; for a link, where no header can be set), `json` (the default). Any other value is 400 naming format.',
        schema: { type: 'string', enum: [...FORMATS] },
      };
      operation.parameters = [...(operation.parameters ?? []), format];
      const ok = operation.responses['200'] as ResponseObject | undefined;
      if (!ok) continue;
      const header = csv.columns.map((column) => csvCell(column.name)).join(',');
      const columns = csv.columns.map((column) => `\`${column.name}\`: ${column.description}`);
      ok.content = {
        ...ok.content,
        [CSV_MEDIA_TYPE]: {
          schema: {
            type: 'string',
            // The answer starts with its header row: the checker of answers holds it to it.
            pattern: `^${escapeRegExp(header)}\\r\\n`,
            description: [
              `RFC 4180 CSV (\`text/csv; charset=utf-8; header=present\`), ${csv.rowIs}. A header row, CRLF line ends; a cell with a comma, quote or line break is quoted (quotes doubled); a text cell starting with =, +, -, @, a tab or a carriage return is prefixed with ' so that no spreadsheet runs it. Empty cell: no value.`,
              `Columns: ${columns.join('; ')}.`,
            ].join(' '),
          },
        },
      };
      ok.headers = {
        ...ok.headers,
        'Content-Disposition': {
          description: 'With CSV: `attachment; filename="<id>-<table>.csv"`',
          schema: { type: 'string' },
        },
        Vary: {
          description: 'Accept: the same URL answers JSON or CSV as Accept says',
          schema: { type: 'string' },
        },
        ...(csv.paged
          ? {
              Link: {
                description:
                  'With CSV, unless this is the last page: `<the same request with cursor set to the next page’s>; rel="next"` (RFC 8288), where JSON has nextCursor',
                schema: { type: 'string' },
              },
            }
          : {}),
      };
      const said = `Also CSV: \`Accept: text/csv\` or \`format=csv\`; ${csv.rowIs}.`;
      operation.description = operation.description ? `${operation.description} ${said}` : said;
    }
  }
}
