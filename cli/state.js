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

/** What a development may report that did not occur (contract v1.1, Modality), as state lists them. */
const MODALITIES = /** @type {const} */ (['threatened', 'considered']);

/**
 * An evidence column for items that carry an `evidenceStatus` (contract v1.1, Evidence: every
 * state item with an eventId): its header and each item's cell, or nothing at all when none of
 * the items carries one (a server before v1.1), so that the table stays as it was.
 * @param {Array<Record<string, any>>} items
 */
function withEvidence(items) {
  const shown = items.some((item) => item.evidenceStatus !== undefined);
  const cells = (/** @type {Record<string, any>} */ item) =>
    shown ? [item.evidenceStatus ?? ''] : [];
  cells.header = shown ? ['evidence'] : [];
  return cells;
}

/**
 * What a tariff line says of its rate and scope besides its rate (contract v1.1, "Tariffs as
 * goods pay them"): a temporary rate's end and the rate after, a pending reversion, the goods a
 * selected-goods line covers, the codes excluded (or covered again), the lines it displaces.
 * Empty for a line that says none of these.
 * @param {Record<string, any>} line
 */
function lineNote(line) {
  const notes = [];
  if (line.reversion) notes.push('the temporary rate ends');
  if (line.until) notes.push(`until ${day(line.until)}, then ${line.thenRate ?? 0}%`);
  if (line.products?.length) notes.push(`products ${line.products.join(', ')}`);
  if (line.excluded?.length) notes.push(`excluding ${line.excluded.join(', ')}`);
  if (line.included?.length) notes.push(`again covering ${line.included.join(', ')}`);
  if (line.displaces?.length) notes.push(`displaces ${line.displaces.join(', ')}`);
  if (line.retroactive) notes.push('retroactive');
  return notes.join('; ');
}

/**
 * A note column for tariff lines: its header and each line's cell, or nothing when no line has
 * a note (a server before v1.1, or lines that are only rates), so that the table stays as it was.
 * @param {Array<Record<string, any>>} lines
 */
function withNotes(lines) {
  const shown = lines.some((line) => lineNote(line) !== '');
  const cells = (/** @type {Record<string, any>} */ line) => (shown ? [lineNote(line)] : []);
  cells.header = shown ? ['note'] : [];
  return cells;
}

/**
 * The state of play as readable tables: tariffs per pair with their lines, trade measures, talks,
 * open proposals, stances, open demands, agreements; what was only threatened or considered apart
 * from what is in force or open, and the evidence status of each line when the server gives it.
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
    const listedLines = state.tariffs.flatMap((/** @type {any} */ p) => [
      ...p.measures,
      ...p.scheduled,
    ]);
    const evidenced = withEvidence(listedLines);
    const noted = withNotes(listedLines);
    const lines = state.tariffs.flatMap((/** @type {any} */ p) => [
      ...p.measures.map((/** @type {any} */ m) => [
        `${p.imposedBy} → ${p.appliedTo}`,
        m.measure,
        m.rate,
        m.coverage,
        day(m.effectiveAt),
        'in force',
        ...evidenced(m),
        ...noted(m),
      ]),
      ...p.scheduled.map((/** @type {any} */ m) => [
        `${p.imposedBy} → ${p.appliedTo}`,
        m.measure,
        m.rate,
        m.coverage,
        day(m.effectiveAt),
        'scheduled',
        ...evidenced(m),
        ...noted(m),
      ]),
    ]);
    if (lines.length)
      out.push(
        '',
        t(
          [
            'pair',
            'measure',
            'rate %',
            'coverage',
            'effective',
            '',
            ...evidenced.header,
            ...noted.header,
          ],
          lines,
        ),
      );

    // With product=CODE every pair says what goods of that product pay (contract v1.1).
    const applicable = state.tariffs.filter((/** @type {any} */ p) => p.applicable);
    if (applicable.length) {
      out.push(
        '',
        `Applicable to product ${applicable[0].applicable.product} (lines in force that cover it)`,
      );
      out.push(
        t(
          ['pair', 'rate %', 'lines counted', 'displaced', 'unknown scope (not counted)'],
          applicable.map((/** @type {any} */ p) => [
            `${p.imposedBy} → ${p.appliedTo}`,
            p.applicable.rate,
            p.applicable.measures.join(', '),
            (p.applicable.displaced ?? []).join(', '),
            (p.applicable.uncertain ?? []).join(', '),
          ]),
        ),
      );
    }

    // Threats and options reported weighed are not in force and in no total: listed apart.
    /** @type {Array<{ pair: any, modality: string, line: any }>} */
    const possible = state.tariffs.flatMap((/** @type {any} */ p) =>
      MODALITIES.flatMap((modality) =>
        (p[modality] ?? []).map((/** @type {any} */ m) => ({ pair: p, modality, line: m })),
      ),
    );
    if (possible.length) {
      const evidencedPossible = withEvidence(possible.map((x) => x.line));
      out.push('', 'Threatened and considered tariff lines (not in force, in no total)');
      out.push(
        t(
          [
            'pair',
            'measure',
            'rate %',
            'coverage',
            'would take effect',
            'announced',
            '',
            ...evidencedPossible.header,
          ],
          possible.map(({ pair, modality, line }) => [
            `${pair.imposedBy} → ${pair.appliedTo}`,
            line.measure,
            line.rate,
            line.coverage,
            line.effectiveAt ? day(line.effectiveAt) : 'not given',
            day(line.at),
            modality,
            ...evidencedPossible(line),
          ]),
        ),
      );
    }
  }

  // A measure with only threats or options weighed has nothing in effect or scheduled: it is
  // listed only under them.
  const decided = state.tradeMeasures.filter(
    (/** @type {any} */ m) => m.status !== null || m.scheduled.length > 0,
  );
  if (decided.length) {
    const evidenced = withEvidence(decided);
    out.push('', 'Trade measures');
    out.push(
      t(
        [
          'imposed by',
          'applied to',
          'measure',
          'kind',
          'status',
          'effective',
          'scheduled',
          ...evidenced.header,
        ],
        decided.map((/** @type {any} */ m) => [
          m.imposedBy,
          m.appliedTo.join(', '),
          m.measure,
          m.kind,
          m.status ?? 'not yet in effect',
          day(m.effectiveAt),
          m.scheduled.map((/** @type {any} */ s) => `${s.action} ${day(s.effectiveAt)}`).join('; '),
          ...evidenced(m),
        ]),
      ),
    );
  }
  /** @type {Array<{ measure: any, modality: string, change: any }>} */
  const possibleMeasures = state.tradeMeasures.flatMap((/** @type {any} */ m) =>
    MODALITIES.flatMap((modality) =>
      (m[modality] ?? []).map((/** @type {any} */ c) => ({ measure: m, modality, change: c })),
    ),
  );
  if (possibleMeasures.length) {
    const evidenced = withEvidence(possibleMeasures.map((x) => x.change));
    out.push('', 'Threatened and considered trade measures (not in effect)');
    out.push(
      t(
        [
          'imposed by',
          'applied to',
          'measure',
          'kind',
          'action',
          'would take effect',
          'announced',
          '',
          ...evidenced.header,
        ],
        possibleMeasures.map(({ measure, modality, change }) => [
          measure.imposedBy,
          measure.appliedTo.join(', '),
          measure.measure,
          measure.kind,
          change.action,
          change.effectiveAt ? day(change.effectiveAt) : 'not given',
          day(change.at),
          modality,
          ...evidenced(change),
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

  // A proposal only reported weighed is not open, nor closed: it is listed apart, below.
  const proposals = allProposals
    ? state.proposals.filter((/** @type {any} */ p) => p.status !== 'considered')
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

  const considered = state.proposals.filter((/** @type {any} */ p) => p.status === 'considered');
  if (considered.length) {
    out.push('', 'Considered proposals (reported weighed, not made)');
    out.push(
      t(
        ['proposal', 'by', 'to', 'subject', 'considered', 'summary'],
        considered.map((/** @type {any} */ p) => [
          p.proposalId,
          p.by,
          p.to.join(', '),
          p.subject,
          day(p.consideredAt),
          p.summary,
        ]),
      ),
    );
  }

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
