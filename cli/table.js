// @ts-check
'use strict';

/**
 * Plain-text tables for a terminal: a header, a rule, aligned columns; numbers right-aligned.
 * Long text is cut to `maxWidth` characters with an ellipsis unless `wide`.
 *
 * @param {string[]} headers
 * @param {Array<Array<string | number | null | undefined>>} rows
 * @param {{ maxWidth?: number, wide?: boolean, indent?: string }} [options]
 * @returns {string}
 */
function table(headers, rows, { maxWidth = 60, wide = false, indent = '  ' } = {}) {
  const cell = (/** @type {string | number | null | undefined} */ value) => {
    const text =
      value === null || value === undefined || value === ''
        ? '–'
        : String(value).replace(/\s+/g, ' ');
    return !wide && text.length > maxWidth ? `${text.slice(0, maxWidth - 1)}…` : text;
  };
  const body = rows.map((row) => row.map(cell));
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'),
  );
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...body.map((row) => (row[i] ?? '').length)),
  );
  const line = (/** @type {string[]} */ cells) =>
    indent +
    cells
      .map((text, i) => (numeric[i] ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(headers),
    indent + widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
  ].join('\n');
}

module.exports = { table };
