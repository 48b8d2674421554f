// @ts-check
'use strict';

const { createHash, randomUUID } = require('node:crypto');

/** Fields the log adds to a development (GET …/events); an import drops them, they are the server's to set. */
const SERVER_FIELDS = ['negotiationId', 'revision', 'recordedAt', 'retracted', 'evidence'];

/** Types whose data names another development by its eventId (renamed with --fresh-ids). */
const TARGETING_TYPES = ['DevelopmentRetracted', 'DevelopmentConfirmed', 'DevelopmentDisputed'];

/**
 * How precisely an occurredAt is known follows from the form it is posted in (contract v1.1,
 * "Dates known roughly"): a date-time is an instant, `2025-04-23` a day, `2025-04` a month, `2025`
 * a year. The log lists every occurredAt as the full UTC start of its period with its
 * `occurredPrecision`; these are the lengths of the form that says each precision again.
 * @type {Record<string, { length: number, rest: string }>}
 */
const POSTED_FORMS = {
  day: { length: 10, rest: 'T00:00:00.000Z' },
  month: { length: 7, rest: '-01T00:00:00.000Z' },
  year: { length: 4, rest: '-01-01T00:00:00.000Z' },
};

/**
 * A listed development's occurredAt in the form a client posts to get the same precision again:
 * `2025-04-01T00:00:00.000Z` of precision month is `2025-04`. A time that is not the start of its
 * period, or another precision (instant, approximate), stays as it is.
 * @param {unknown} occurredAt @param {unknown} precision
 * @returns {unknown}
 */
function postedOccurredAt(occurredAt, precision) {
  const form = typeof precision === 'string' ? POSTED_FORMS[precision] : undefined;
  if (!form || typeof occurredAt !== 'string') return occurredAt;
  const start = occurredAt.slice(0, form.length);
  return /^\d{4}(-\d{2}){0,2}$/.test(start) && occurredAt === start + form.rest
    ? start
    : occurredAt;
}

/**
 * A development as a client posts it, from a line that may be a listed one (GET …/events, an
 * older export): its occurredAt in the form that says its precision, and `occurredPrecision`
 * kept only when it is `approximate` (the one a client may send). A precision that does not fit
 * its time is left for the server to refuse, naming the field.
 * @param {Record<string, any>} development
 */
function asPosted(development) {
  const { occurredPrecision } = development;
  if (occurredPrecision === undefined || occurredPrecision === 'approximate') return development;
  const occurredAt = postedOccurredAt(development.occurredAt, occurredPrecision);
  const fits =
    occurredPrecision === 'instant'
      ? typeof occurredAt === 'string' && occurredAt.includes('T')
      : occurredAt !== development.occurredAt;
  if (!fits) return development;
  const { occurredPrecision: _said, ...posted } = development;
  return { ...posted, occurredAt };
}

/** JSON with sorted keys, so that equal content gives equal text. @param {unknown} value @returns {string} */
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The namespace of the ids an import gives to lines without one (a fixed, random UUID). */
const IMPORT_NAMESPACE = 'a3c1f1e2-52c4-4c1b-8d8e-6f0f8c1d9b57';

/**
 * A name-based (version 5) UUID: the same negotiation and the same content always get the same
 * id, so importing a file twice records its lines once.
 * @param {string} negotiationId @param {unknown} content
 */
function contentId(negotiationId, content) {
  const namespace = Buffer.from(IMPORT_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1')
    .update(namespace)
    .update(`${negotiationId}\n${canonicalJson(content)}`)
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * @typedef {{ line: number, development: Record<string, any> }} Entry
 * @typedef {{ line: number, reason: string }} Refusal
 * @typedef {{ opening?: Entry, entries: Entry[], refused: Refusal[], lines: number }} Parsed
 */

/**
 * Reads an NDJSON file of developments: one envelope per line, as POST …/events takes it, with an
 * optional first `NegotiationOpened` line (as `parley export` writes it). Blank lines are skipped.
 *
 * @param {string} text
 * @param {{ negotiationId: string, freshIds?: boolean }} options
 * @returns {Parsed}
 */
function parseDevelopments(text, { negotiationId, freshIds = false }) {
  /** @type {Parsed} */
  const parsed = { entries: [], refused: [], lines: 0 };
  /** @type {Map<string, string>} */
  const renamed = new Map();
  const rows = text.split(/\r?\n/);
  rows.forEach((row, index) => {
    const line = index + 1;
    if (row.trim() === '') return;
    parsed.lines++;
    /** @type {unknown} */
    let value;
    try {
      value = JSON.parse(row);
    } catch (error) {
      parsed.refused.push({
        line,
        reason: `not JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      parsed.refused.push({ line, reason: 'not a JSON object (a development envelope)' });
      return;
    }
    let development = /** @type {Record<string, any>} */ ({ ...value });
    for (const field of SERVER_FIELDS) delete development[field];
    development = asPosted(development);
    if (development.type === 'NegotiationOpened') {
      if (parsed.opening || parsed.entries.length > 0) {
        parsed.refused.push({
          line,
          reason: 'NegotiationOpened may only be the first development of the file',
        });
      } else {
        parsed.opening = { line, development };
      }
      return;
    }
    if (freshIds) {
      if (typeof development.eventId === 'string') {
        const fresh = randomUUID();
        renamed.set(development.eventId, fresh);
        development.eventId = fresh;
      }
      const target = development.data?.targetEventId;
      if (
        TARGETING_TYPES.includes(development.type) &&
        typeof target === 'string' &&
        renamed.has(target)
      ) {
        development.data = { ...development.data, targetEventId: renamed.get(target) };
      }
    }
    if (development.eventId === undefined)
      development.eventId = contentId(negotiationId, development);
    parsed.entries.push({ line, development });
  });
  return parsed;
}

/**
 * A development as an export writes it: the envelope a client posts, without what the server
 * adds. `NegotiationOpened` keeps only what opening the negotiation again needs.
 * @param {Record<string, any>} development
 */
function exportLine(development) {
  // The occurredAt in the form that was posted (a day, a month, a year), so that importing the
  // line again records the same precision; `approximate` is said as it was.
  const occurredAt = postedOccurredAt(development.occurredAt, development.occurredPrecision);
  if (development.type === 'NegotiationOpened') {
    return { type: development.type, occurredAt, data: development.data };
  }
  /** @type {Record<string, unknown>} */
  const line = { type: development.type, eventId: development.eventId, occurredAt };
  if (development.occurredPrecision === 'approximate') line.occurredPrecision = 'approximate';
  if (development.modality !== undefined && development.modality !== 'occurred') {
    line.modality = development.modality;
  }
  for (const field of ['reportedAt', 'source', 'summary']) {
    if (development[field] !== undefined) line[field] = development[field];
  }
  line.data = development.data;
  return line;
}

module.exports = { parseDevelopments, exportLine, postedOccurredAt, contentId, canonicalJson };
