// @ts-check
'use strict';

const { parseArgs } = require('node:util');
const { existsSync } = require('node:fs');
const { ParleyClient, ServerUnreachableError, refusalReason } = require('./http');
const { importFile, formatImportSummary } = require('./import');
const { exportNegotiation, exportNegotiationCsv, CommandError } = require('./export');
const { formatState } = require('./state');
const { formatDeadlines } = require('./deadlines');
const { table } = require('./table');

const USAGE = `parley: import, export and read negotiations on a Parley server

Usage:
  parley import FILE.ndjson --negotiation ID [--strict] [--batch-size N] [--fresh-ids] [--quiet] [--json]
  parley export ID [--csv] [--known-at T] [--output FILE] (NDJSON, or CSV, on stdout unless --output)
  parley state ID [--as-of DATE] [--known-at T] [--min-evidence LEVEL] [--product CODE] [--all-proposals] [--wide] [--json]
  parley deadlines ID [--as-of DATE] [--to DATE] [--known-at T] [--min-evidence LEVEL] [--wide] [--json]
  parley list [--json]

Options for every command:
  --url URL        the server (default: $PARLEY_URL or http://127.0.0.1:3000)
  -h, --help       this help

The API key, when the server needs one, is read from $PARLEY_API_KEY and sent as a bearer token.

import     posts the file's developments in batches (POST …/events/batch, --batch-size, default 500,
           at most 1000). A refused batch is posted again in halves, down to single lines, so only
           the lines at fault are refused; the others are recorded. --strict stops at the first
           refused batch instead.
           A first NegotiationOpened line (as export writes it) opens the negotiation when it does
           not exist. Lines without an eventId get one derived from their content, so importing a
           file twice records it once. --fresh-ids gives every line a new id (to copy a negotiation
           under another ID on the same server; eventIds are unique across negotiations; retractions,
           confirmations and disputes follow their targets).
           Lines as GET …/events lists them (a full UTC occurredAt with its occurredPrecision) are
           posted in the form that says that precision again (2025-04 a month, 2025 a year).
export     writes every development, retracted ones included, in the order they were recorded, each
           occurredAt in the form it was posted in (2025-04, 2025, 2025-04-23 or the full time), so
           that importing the file into an empty server gives the same state and the same log.
           --csv writes them for a spreadsheet instead, as GET …/events?format=csv does (README,
           "CSV"): a header row, one row per development in the log's order (occurredAt, then
           revision), its data as compact JSON in one column. A CSV file is not for import.
state      prints the state of play on --as-of (default: now) as known at --known-at (default:
           everything recorded) as tables. Date-only values mean the end of that day. Threatened
           and considered lines and proposals are listed apart from what is in force or open.
           --min-evidence corroborated|confirmed folds only the reports that well supported.
           --product CODE (an HS code: 8471, 8517.13.00) adds what goods of that product pay between
           each pair: the lines in force that cover it, less those another covering line displaces;
           lines of unknown scope are named and not counted.
deadlines  lists what is due after --as-of (default: now) up to --to (default: no end), by time:
           tariff steps (a temporary rate's end marked as a reversion), threatened or considered
           tariff changes with a date, trade measure changes, the next round of talks, agreements
           taking effect.

Exit status: 0 done; 1 some lines refused, the import stopped, or the server refused the request;
2 usage error; 3 the server cannot be reached.`;

/** @param {string} text */
const fail = (text) => {
  throw new UsageError(text);
};

class UsageError extends Error {}

/**
 * @param {string[]} argv
 * @param {{ stdout?: NodeJS.WriteStream, stderr?: NodeJS.WriteStream, env?: NodeJS.ProcessEnv }} [io]
 * @returns {Promise<number>} the exit status
 */
async function main(argv, io = {}) {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        negotiation: { type: 'string', short: 'n' },
        strict: { type: 'boolean' },
        'batch-size': { type: 'string' },
        'fresh-ids': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        json: { type: 'boolean' },
        'as-of': { type: 'string' },
        'known-at': { type: 'string' },
        'min-evidence': { type: 'string' },
        product: { type: 'string' },
        to: { type: 'string' },
        'all-proposals': { type: 'boolean' },
        wide: { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        csv: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || command === 'help' || command === undefined) {
      stdout.write(`${USAGE}\n`);
      return command === undefined && !values.help ? 2 : 0;
    }
    const client = new ParleyClient(values.url ?? env.PARLEY_URL ?? 'http://127.0.0.1:3000', {
      apiKey: env.PARLEY_API_KEY || undefined,
    });
    switch (command) {
      case 'import': {
        const [file] = rest;
        if (!file || rest.length > 1)
          fail('import takes one file: parley import FILE.ndjson --negotiation ID');
        if (!values.negotiation) fail('import needs --negotiation ID');
        if (!existsSync(/** @type {string} */ (file))) fail(`no such file: ${file}`);
        const batchSize =
          values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
        if (
          batchSize !== undefined &&
          !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 1000)
        ) {
          fail('--batch-size must be a whole number from 1 to 1000');
        }
        const summary = await importFile(client, {
          file: /** @type {string} */ (file),
          negotiationId: /** @type {string} */ (values.negotiation),
          strict: values.strict,
          freshIds: values['fresh-ids'],
          quiet: values.quiet,
          stderr,
          ...(batchSize !== undefined ? { batchSize } : {}),
        });
        stdout.write(
          values.json
            ? `${JSON.stringify(summary, null, 2)}\n`
            : `${formatImportSummary(summary)}\n`,
        );
        return summary.refused.length > 0 || summary.stopped ? 1 : 0;
      }
      case 'export': {
        const [id] = rest;
        if (!id || rest.length > 1)
          fail('export takes one negotiation id: parley export ID > FILE.ndjson');
        const { createWriteStream } = require('node:fs');
        const out = values.output ? createWriteStream(values.output) : stdout;
        const count = await (values.csv ? exportNegotiationCsv : exportNegotiation)(client, {
          negotiationId: /** @type {string} */ (id),
          knownAt: values['known-at'],
          write: (text) =>
            new Promise((resolve, reject) => {
              out.write(text, (error) => (error ? reject(error) : resolve()));
            }),
        });
        if (values.output) await new Promise((resolve) => out.end(() => resolve(undefined)));
        if (!values.quiet) stderr.write(`exported ${count} developments of ${id}\n`);
        return 0;
      }
      case 'state': {
        const [id] = rest;
        if (!id || rest.length > 1)
          fail('state takes one negotiation id: parley state ID --as-of DATE');
        const query = new URLSearchParams();
        if (values['as-of']) query.set('asOf', values['as-of']);
        if (values['known-at']) query.set('knownAt', values['known-at']);
        if (values['min-evidence']) query.set('minEvidence', values['min-evidence']);
        if (values.product !== undefined) query.set('product', values.product);
        const answer = await client.get(
          `/negotiations/${encodeURIComponent(/** @type {string} */ (id))}/state${query.size ? `?${query}` : ''}`,
        );
        if (answer.status !== 200) throw new CommandError(refusalReason(answer));
        stdout.write(
          values.json
            ? `${JSON.stringify(answer.body, null, 2)}\n`
            : `${formatState(answer.body, { wide: values.wide, allProposals: values['all-proposals'] })}\n`,
        );
        return 0;
      }
      case 'deadlines': {
        const [id] = rest;
        if (!id || rest.length > 1)
          fail('deadlines takes one negotiation id: parley deadlines ID --as-of DATE --to DATE');
        const query = new URLSearchParams();
        if (values['as-of']) query.set('asOf', values['as-of']);
        if (values.to) query.set('to', values.to);
        if (values['known-at']) query.set('knownAt', values['known-at']);
        if (values['min-evidence']) query.set('minEvidence', values['min-evidence']);
        const answer = await client.get(
          `/negotiations/${encodeURIComponent(/** @type {string} */ (id))}/deadlines${query.size ? `?${query}` : ''}`,
        );
        if (answer.status !== 200) throw new CommandError(refusalReason(answer));
        stdout.write(
          values.json
            ? `${JSON.stringify(answer.body, null, 2)}\n`
            : `${formatDeadlines(answer.body, {
                negotiationId: /** @type {string} */ (id),
                asOf: values['as-of'],
                to: values.to,
                wide: values.wide,
              })}\n`,
        );
        return 0;
      }
      case 'list': {
        if (rest.length) fail('list takes no arguments');
        const answer = await client.get('/negotiations');
        if (answer.status !== 200) throw new CommandError(refusalReason(answer));
        if (values.json) stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
        else if (answer.body.length === 0) stdout.write('no negotiations yet\n');
        else
          stdout.write(
            `${table(
              ['id', 'title', 'events', 'first', 'last'],
              answer.body.map((/** @type {any} */ n) => [
                n.id,
                n.title,
                n.eventCount,
                n.firstOccurredAt.slice(0, 10),
                n.lastOccurredAt.slice(0, 10),
              ]),
              { indent: '' },
            )}\n`,
          );
        return 0;
      }
      default:
        return fail(`unknown command "${command}"; try: parley --help`);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      stderr.write(`parley: ${error.message}\nTry: parley --help\n`);
      return 2;
    }
    if (error instanceof ServerUnreachableError) {
      stderr.write(`parley: ${error.message}\n`);
      return 3;
    }
    if (error instanceof CommandError) {
      stderr.write(`parley: the server refused: ${error.message}\n`);
      return 1;
    }
    if (error instanceof Error && 'code' in error && error.code === 'EPIPE') return 0;
    throw error;
  }
}

module.exports = { main, USAGE };
