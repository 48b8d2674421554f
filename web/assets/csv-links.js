// "Download CSV" links beside the page's tables and charts (issue 16, README "CSV: a table into a
// spreadsheet"): plain <a href download> to the same API address the table or chart was read from,
// with `format=csv`, so what is downloaded is what is shown (day, basis, knownAt, minEvidence,
// product). The server names the file (Content-Disposition: "<id>-<table>.csv").

import { h, replace } from './dom.js';
import { formatDay, formatMoment } from './format.js';

/** The log's link gives one page of this many developments (the API's largest page). */
const LOG_PAGE = 1000;

/** An API address with `format=csv`; undefined, null and empty values are left out. */
export function csvHref(path, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  params.set('format', 'csv');
  return `${path}?${params}`;
}

/** The link, its text saying what the file holds; `hint` (optional) a line said after it. */
export function csvLink(href, text, hint) {
  return h(
    'p',
    { class: 'csv-link hint' },
    h('a', { href, download: '' }, text),
    hint ? ` ${hint}` : '',
  );
}

const negotiationPath = (id) => `/negotiations/${encodeURIComponent(id)}`;

/** ", as known on 9 Apr 2025 22:11:37.991 UTC, only confirmed reports": the perspective, in words. */
const perspectiveWords = ({ knownAt, minEvidence }) =>
  `${knownAt ? `, as known on ${formatMoment(knownAt)}` : ''}${
    minEvidence ? `, only ${minEvidence} reports` : ''
  }`;

const tariffsDayWords = ({ basis, day, product }) =>
  `the tariffs on ${formatDay(day)}${
    basis === 'effectiveOn' ? ' as goods entered that day owe' : ''
  }${product ? `, with the rate of product ${product}` : ''}`;

/**
 * The timeline page's links (its `view`): the tariffs of the day, what is coming up and the log,
 * put in #tariffs-csv, #deadlines-csv and #timeline-csv.
 */
export function showPageCsvLinks(view) {
  const { id, asOf: day, basis, knownAt, minEvidence, product } = view;
  if (!id || !day) return;
  const path = negotiationPath(id);
  const perspective = perspectiveWords({ knownAt, minEvidence });
  fill(
    'tariffs-csv',
    csvLink(
      csvHref(`${path}/tariffs`, {
        [basis === 'effectiveOn' ? 'effectiveOn' : 'asOf']: day,
        knownAt,
        minEvidence,
        product,
      }),
      `Download CSV of ${tariffsDayWords({ basis, day, product })}${perspective}`,
    ),
  );
  fill(
    'deadlines-csv',
    csvLink(
      csvHref(`${path}/deadlines`, { asOf: day, knownAt, minEvidence }),
      `Download CSV of what is coming up after ${formatDay(day)}${perspective}`,
    ),
  );
  const count = view.summary?.eventCount ?? 0;
  const more = count > LOG_PAGE;
  fill(
    'timeline-csv',
    csvLink(
      csvHref(`${path}/events`, { includeRetracted: true, limit: LOG_PAGE, knownAt }),
      more
        ? `Download CSV of the log: the first ${LOG_PAGE.toLocaleString('en-GB')} of ${count.toLocaleString('en-GB')} developments${perspective}`
        : `Download CSV of the log, every development${knownAt ? `, as known on ${formatMoment(knownAt)}` : ''}`,
      more
        ? `More follow: the whole log, every page in one file, with the command line: npx parley export ${id} --csv`
        : 'Oldest first, retracted reports included.',
    ),
  );
}

/** Under a pair's chart on the timeline page: its step series (…/tariffs/history), as the chart reads it. */
export function chartCsvLink(view, pair, pairName) {
  const { id, knownAt, minEvidence, product } = view;
  return csvLink(
    csvHref(`${negotiationPath(id)}/tariffs/history`, {
      imposedBy: pair.imposedBy,
      appliedTo: pair.appliedTo,
      knownAt,
      minEvidence,
      product,
    }),
    `Download CSV of the chart: the total of ${pairName} over time${
      product ? `, with the rate of product ${product}` : ''
    }${perspectiveWords({ knownAt, minEvidence })}`,
  );
}

/**
 * The all-negotiations page's links (its `view`): every pair's tariffs and every deadline, as the
 * page asks them, put in #across-tariffs-csv and #across-deadlines-csv.
 */
export function showAcrossCsvLinks(view) {
  const { day, basis, product, imposedBy, appliedTo, party, knownAt } = view;
  if (!day) return;
  const pairs = [
    imposedBy ? `imposed by ${imposedBy}` : '',
    appliedTo ? `applied to ${appliedTo}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const known = knownAt ? `, as known on ${formatMoment(knownAt)}` : '';
  fill(
    'across-tariffs-csv',
    csvLink(
      csvHref('/tariffs', {
        [basis === 'effectiveOn' ? 'effectiveOn' : 'asOf']: day,
        knownAt,
        product,
        imposedBy,
        appliedTo,
      }),
      `Download CSV of ${tariffsDayWords({ basis, day, product })}, every negotiation${
        pairs ? `, ${pairs}` : ''
      }${known}`,
    ),
  );
  fill(
    'across-deadlines-csv',
    csvLink(
      csvHref('/deadlines', { asOf: day, knownAt, party }),
      `Download CSV of what is coming up after ${formatDay(day)}, every negotiation${
        party ? `, involving ${party}` : ''
      }${known}`,
    ),
  );
}

function fill(slotId, link) {
  const slot = document.getElementById(slotId);
  if (slot) replace(slot, link);
}
