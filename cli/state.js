// @ts-check
'use strict';

const { table } = require('./table');

/** @param {string | null | undefined} instant */
const day = (instant) =>
  instant
    ? instant
        .replace(/T00:00:00\.000Z$/, '')
        .replace(/T23:59:59\.999Z$/, ' (end of day)')
        .replace(/\.000Z$/, 'Z')
    : '';

/**
 * The state of play as readable tables: tariffs per pair with their lines, trade measures, talks,
 * open proposals, stances, open demands, agreements.
 *
 * @param {Record<string, any>} state the answer of GET /negotiations/:id/state
 * @param {{ wide?: boolean, allProposals?: boolean }} [options]
 * @returns {string}
 */
function formatState(state, { wide = false, allProposals = false } = {}) {
  const names = new Map(
    (state.parties ?? []).map((/** @type {{code: string, name: string}} */ p) => [p.code, p.name]),
  );
  const t = (/** @type {string[]} */ headers, /** @type {any[][]} */ rows) =>
    table(headers, rows, { wide });
  const out = [];
  out.push(`${state.title} (${state.negotiationId})`);
  out.push(
    `As of ${day(state.asOf)}, as known ${state.knownAt ? `at ${state.knownAt}` : 'now'}; revision ${state.revision}`,
  );
  out.push(
    `Parties: ${(state.parties ?? []).map((/** @type {{code: string, name: string}} */ p) => `${p.code} ${p.name}`).join(', ')}`,
  );

  out.push('', 'Tariffs (total = lines on all goods)');
  if (state.tariffs.length === 0) out.push('  none');
  else {
    out.push(
      t(
        ['imposed by', 'applied to', 'total %'],
        state.tariffs.map((/** @type {any} */ p) => [
          `${p.imposedBy} ${names.get(p.imposedBy) ?? ''}`.trim(),
          `${p.appliedTo} ${names.get(p.appliedTo) ?? ''}`.trim(),
          p.total,
        ]),
      ),
    );
    const lines = state.tariffs.flatMap((/** @type {any} */ p) => [
      ...p.measures.map((/** @type {any} */ m) => [
        `${p.imposedBy} → ${p.appliedTo}`,
        m.measure,
        m.rate,
        m.coverage,
        day(m.effectiveAt),
        'in force',
      ]),
      ...p.scheduled.map((/** @type {any} */ m) => [
        `${p.imposedBy} → ${p.appliedTo}`,
        m.measure,
        m.rate,
        m.coverage,
        day(m.effectiveAt),
        'scheduled',
      ]),
    ]);
    out.push('', t(['pair', 'measure', 'rate %', 'coverage', 'effective', ''], lines));
  }

  if (state.tradeMeasures.length) {
    out.push('', 'Trade measures');
    out.push(
      t(
        ['imposed by', 'applied to', 'measure', 'kind', 'status', 'effective', 'scheduled'],
        state.tradeMeasures.map((/** @type {any} */ m) => [
          m.imposedBy,
          m.appliedTo.join(', '),
          m.measure,
          m.kind,
          m.status ?? 'not yet in effect',
          day(m.effectiveAt),
          m.scheduled.map((/** @type {any} */ s) => `${s.action} ${day(s.effectiveAt)}`).join('; '),
        ]),
      ),
    );
  }

  const talks = state.talks;
  out.push('', 'Talks');
  out.push(
    t(
      ['status', 'since', 'rounds', 'last round', 'next round'],
      [
        [
          talks.status,
          day(talks.since),
          talks.rounds,
          day(talks.lastRoundAt),
          day(talks.nextRoundAt),
        ],
      ],
    ),
  );

  const proposals = allProposals
    ? state.proposals
    : state.proposals.filter(
        (/** @type {any} */ p) => p.status === 'proposed' || p.status === 'under-review',
      );
  out.push('', allProposals ? 'Proposals' : 'Open proposals');
  if (proposals.length === 0) out.push('  none');
  else
    out.push(
      t(
        ['proposal', 'by', 'to', 'subject', 'status', 'made', 'summary'],
        proposals.map((/** @type {any} */ p) => [
          p.proposalId,
          p.by,
          p.to.join(', '),
          p.subject,
          p.status,
          day(p.madeAt),
          p.summary,
        ]),
      ),
    );

  out.push('', 'Stances');
  if (state.stances.length === 0) out.push('  none');
  else
    out.push(
      t(
        ['party', 'stance', 'speaker', 'at'],
        state.stances.map((/** @type {any} */ s) => [s.party, s.stance, s.speaker, day(s.at)]),
      ),
    );

  const openDemands = state.demands.filter((/** @type {any} */ d) => d.status === 'open');
  out.push('', 'Open demands');
  if (openDemands.length === 0) out.push('  none');
  else
    out.push(
      t(
        ['by', 'of', 'issue', 'made', 'summary'],
        openDemands.map((/** @type {any} */ d) => [d.by, d.of, d.issue, day(d.madeAt), d.summary]),
      ),
    );

  if (state.agreements.length) {
    out.push('', 'Agreements');
    out.push(
      t(
        ['parties', 'at', 'effective', 'summary'],
        state.agreements.map((/** @type {any} */ a) => [
          a.parties.join(', '),
          day(a.at),
          day(a.effectiveAt),
          a.summary,
        ]),
      ),
    );
  }
  return out.join('\n');
}

module.exports = { formatState };
