// @ts-check
'use strict';

const { table } = require('./table');

/** @param {string} instant */
const when = (instant) => instant.replace(/T00:00:00\.000Z$/, '').replace(/\.000Z$/, 'Z');

/**
 * Who a deadline concerns: the pair of a tariff line, the imposing party and those a trade
 * measure applies to, the parties to an agreement; a round of talks concerns the negotiation.
 * @param {Record<string, any>} d
 */
function who(d) {
  if (d.imposedBy !== undefined) {
    const to = Array.isArray(d.appliedTo) ? d.appliedTo.join(', ') : d.appliedTo;
    return `${d.imposedBy} → ${to}`;
  }
  if (Array.isArray(d.parties)) return d.parties.join(', ');
  return '';
}

/**
 * What becomes due, in words: a tariff line's rate (a temporary rate's expiry says so), a threat
 * or an option weighed with its modality, a trade measure's action, the next round of talks, an
 * agreement's summary.
 * @param {Record<string, any>} d
 */
function what(d) {
  switch (d.kind) {
    case 'tariff-change':
      return `${d.rate}%${d.coverage === 'selected-goods' ? ' on selected goods' : ''}${d.reversion ? ' (reversion: the temporary rate ends)' : ''}`;
    case 'tariff-threat':
      return `${d.rate}%${d.coverage === 'selected-goods' ? ' on selected goods' : ''} (${d.modality}, not decided)`;
    case 'trade-measure-change':
      return d.action;
    case 'talks-round':
      return 'next round of talks';
    case 'agreement-effective':
      return d.summary ?? 'agreement takes effect';
    default:
      return '';
  }
}

/**
 * What is due in a negotiation (GET /negotiations/:id/deadlines) as one table, in the server's
 * order (by time, then kind).
 * @param {Array<Record<string, any>>} deadlines
 * @param {{ negotiationId: string, asOf?: string, to?: string, wide?: boolean }} options
 * @returns {string}
 */
function formatDeadlines(deadlines, { negotiationId, asOf, to, wide = false }) {
  const span = `after ${asOf ?? 'now'}${to ? ` up to ${to}` : ''}`;
  const heading = `Deadlines of ${negotiationId}, ${span}`;
  if (deadlines.length === 0) return `${heading}\n  none`;
  return `${heading}\n${table(
    ['at', 'kind', 'who', 'measure', 'what', 'event'],
    deadlines.map((d) => [when(d.at), d.kind, who(d), d.measure ?? '', what(d), d.eventId]),
    { wide },
  )}`;
}

module.exports = { formatDeadlines };
