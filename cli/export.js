// @ts-check
'use strict';

const { exportLine } = require('./ndjson');
const { refusalReason } = require('./http');

class CommandError extends Error {}

/**
 * Writes every development of a negotiation as NDJSON, in revision order (the order they were
 * recorded, so that importing the file again takes the same decisions and gives the same state),
 * retracted ones and the retractions included. The first line is the NegotiationOpened.
 *
 * @param {import('./http').ParleyClient} client
 * @param {{ negotiationId: string, knownAt?: string, write: (text: string) => Promise<void> | void }} options
 * @returns {Promise<number>} how many lines were written
 */
async function exportNegotiation(client, { negotiationId, knownAt, write }) {
  const base = `/negotiations/${encodeURIComponent(negotiationId)}/events`;
  /** @type {Record<string, any>[]} */
  const developments = [];
  /** @type {string | null} */
  let cursor = null;
  do {
    const query = new URLSearchParams({ includeRetracted: 'true', limit: '1000' });
    if (knownAt) query.set('knownAt', knownAt);
    if (cursor) query.set('cursor', cursor);
    const answer = await client.get(`${base}?${query}`);
    if (answer.status !== 200) throw new CommandError(refusalReason(answer));
    developments.push(...answer.body.items);
    cursor = answer.body.nextCursor;
  } while (cursor);
  developments.sort((a, b) => a.revision - b.revision);
  for (const development of developments)
    await write(`${JSON.stringify(exportLine(development))}\n`);
  return developments.length;
}

/**
 * How many records a CSV text holds: its line ends outside quoted cells (a quoted cell may hold
 * line breaks; a doubled quote inside one toggles twice and changes nothing).
 * @param {string} text
 */
function csvRecords(text) {
  let quoted = false;
  let records = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) records++;
  }
  return records;
}

/**
 * Writes every development of a negotiation as CSV, as the server writes it (GET …/events with
 * `format=csv`: its columns, escaping and neutralised formulas), retracted ones included, in the
 * log's valid-time order (occurredAt, then revision): one header row, then one row each, page
 * after page through the answer's `Link: <…>; rel="next"`.
 *
 * @param {import('./http').ParleyClient} client
 * @param {{ negotiationId: string, knownAt?: string, write: (text: string) => Promise<void> | void }} options
 * @returns {Promise<number>} how many developments were written
 */
async function exportNegotiationCsv(client, { negotiationId, knownAt, write }) {
  const query = new URLSearchParams({ includeRetracted: 'true', limit: '1000', format: 'csv' });
  if (knownAt) query.set('knownAt', knownAt);
  /** @type {string | null} */
  let path = `/negotiations/${encodeURIComponent(negotiationId)}/events?${query}`;
  let count = 0;
  let first = true;
  while (path) {
    const answer = await client.get(path);
    if (answer.status !== 200) throw new CommandError(refusalReason(answer));
    const text = String(answer.body);
    // Every page starts with the header row (no quoted cell in it): written once.
    const rows = first ? text : text.slice(text.indexOf('\r\n') + 2);
    await write(rows);
    count += csvRecords(rows) - (first ? 1 : 0);
    first = false;
    const next = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('link') ?? '');
    path = next ? (next[1] ?? null) : null;
  }
  return count;
}

module.exports = { exportNegotiation, exportNegotiationCsv, CommandError };
