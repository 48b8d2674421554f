import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import type { CsvColumn, CsvValue } from './csv';
import { acceptsCsv, csvCell, csvText, requestedFormat } from './csv';
import { Problem } from './problem';

const columns = (count: number): CsvColumn<CsvValue[]>[] =>
  Array.from({ length: count }, (_, i) => ({
    name: `c${i}`,
    description: '',
    value: (row) => row[i],
  }));

/** What a spreadsheet shows of a cell as written: the text, a `'` before what would be a formula. */
const shown = (value: CsvValue): string => {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
};

describe('the CSV layer', () => {
  it('writes any text so that an RFC 4180 reader gets it back, a formula start neutralised', () => {
    const cell = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({
        unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', 'a', ' '),
      }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 })),
        (width, rows) => {
          const text = csvText(columns(width), rows);
          const read = parse(text, { record_delimiter: '\r\n' });
          expect(read[0]).toEqual(columns(width).map((column) => column.name));
          expect(read.slice(1)).toEqual(rows.map((row) => row.slice(0, width).map(shown)));
          expect(text.endsWith('\r\n')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('neutralises =, +, -, @, tab and carriage return at the start of a text cell, and nothing else', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('a=1')).toBe('a=1');
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvCell(undefined)).toBe('');
  });

  it.each([
    [undefined, false],
    ['*/*', false],
    ['application/json', false],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false],
    ['application/json, text/csv', false],
    ['text/csv;q=0, */*', false],
    ['text/csv', true],
    ['TEXT/CSV; charset=utf-8', true],
    ['text/csv, */*', true],
    ['text/*', true],
    ['application/json;q=0.5, text/csv', true],
  ])('Accept: %s prefers CSV: %s', (accept, csv) => {
    expect(acceptsCsv(accept)).toBe(csv);
  });

  it('takes format from the query before Accept, and refuses any other value naming format', () => {
    expect(requestedFormat({ format: 'json' }, 'text/csv')).toBe('json');
    expect(requestedFormat({ format: 'csv' }, undefined)).toBe('csv');
    expect(requestedFormat({}, 'text/csv')).toBe('csv');
    for (const format of [['csv', 'csv'], 'xml', 'CSV', '']) {
      let refused: unknown;
      try {
        requestedFormat({ format }, undefined);
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(Problem);
      expect((refused as Problem).getStatus()).toBe(400);
      expect((refused as Problem).extensions).toEqual({
        errors: [{ path: 'format', message: 'format must be one of: json, csv' }],
      });
    }
  });
});
