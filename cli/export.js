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

module.exports = { exportNegotiation, CommandError };
