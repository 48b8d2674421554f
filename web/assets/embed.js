// The embeddable chart (web/embed.html, at /embed/negotiations/:id/tariffs?imposedBy=&appliedTo=
// &from=&to=&product=&effectiveOn=): one pair's step chart, drawn by the page's own chart module,
// its source line and a link back to the timeline page. The server has checked the address.

import * as api from './api.js';
import { stepChart } from './chart.js';
import { h, replace } from './dom.js';
import { dayMs, dayOf, endOfDay, formatDay, formatInstant, humanize, percent } from './format.js';
import { timelineAddress } from './embed-code.js';

const $ = (id) => document.getElementById(id);

/** An API bound as the API reads it: a date alone is the end of that day. */
const boundMs = (value) =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(endOfDay(value)) : Date.parse(value);
/** A bound in words: `12 Apr 2025` for a date, `12 Apr 2025 04:01 UTC` for an instant. */
const boundLabel = (value) =>
  /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? formatDay(value)
    : formatInstant(new Date(boundMs(value)).toISOString());
/** The UTC day of a bound, for the timeline page's address. */
const boundDay = (value) => new Date(boundMs(value)).toISOString().slice(0, 10);

function read() {
  const match = /^\/embed\/negotiations\/([^/]+)\/tariffs$/.exec(location.pathname);
  const params = new URLSearchParams(location.search);
  const get = (name) => params.get(name) ?? undefined;
  return {
    id: match ? decodeURIComponent(match[1]) : undefined,
    imposedBy: get('imposedBy'),
    appliedTo: get('appliedTo'),
    from: get('from'),
    to: get('to'),
    product: get('product'),
    effectiveOn: get('effectiveOn'),
  };
}

async function start() {
  const q = read();
  const main = document.querySelector('main');
  if (!q.id || !q.imposedBy || !q.appliedTo) {
    main.setAttribute('aria-busy', 'false');
    return say(
      'This page shows a chart at /embed/negotiations/<id>/tariffs?imposedBy=…&appliedTo=…',
    );
  }
  const day = q.effectiveOn ? boundDay(q.effectiveOn) : q.to ? boundDay(q.to) : undefined;
  $('embed-back').href = timelineAddress({
    negotiation: q.id,
    imposedBy: q.imposedBy,
    appliedTo: q.appliedTo,
    basis: q.effectiveOn ? 'effectiveOn' : 'asOf',
    day,
    product: q.product,
  });
  const negotiationPath = `/negotiations/${encodeURIComponent(q.id)}`;
  try {
    const [summary, points, decided] = await Promise.all([
      api.getNegotiation(q.id),
      api.get(`${negotiationPath}/tariffs/history`, {
        imposedBy: q.imposedBy,
        appliedTo: q.appliedTo,
        from: q.from,
        to: q.to,
        product: q.product,
      }),
      q.effectiveOn
        ? api.get(`${negotiationPath}/tariffs`, { effectiveOn: q.effectiveOn, product: q.product })
        : null,
    ]);
    draw(q, summary, points, decided);
  } catch (error) {
    say(`The figures could not be loaded: ${error.message}`);
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

function draw(q, summary, points, decided) {
  const name = (code) => summary.parties.find((p) => p.code === code)?.name ?? code;
  const pair = `${name(q.imposedBy)} on ${name(q.appliedTo)}`;
  const what = q.product ? `what goods of ${q.product} pay` : 'total on all goods';
  const title = `Additional tariff of ${pair}: ${what}`;
  document.title = `${title}: Parley`;
  $('embed-title').textContent = title;

  // With product=, the chart follows what that product pays (each point's `applicable`).
  const series = points.map((p) => ({
    at: p.at,
    total: q.product ? (p.applicable?.rate ?? 0) : p.total,
  }));
  const now = Date.now();
  const endMs = q.to ? boundMs(q.to) : now;
  const startMs = q.from ? boundMs(q.from) : dayMs(dayOf(summary.firstOccurredAt));
  const markMs = q.effectiveOn ? boundMs(q.effectiveOn) : endMs;
  replace(
    $('embed-chart'),
    stepChart(series, { id: 'embed', title, startMs, endMs, asOfMs: markMs }),
  );

  const when = q.effectiveOn
    ? ` for goods entering on ${boundLabel(q.effectiveOn)}, as finally decided`
    : q.to
      ? ` on ${boundLabel(q.to)}`
      : ' now';
  if (q.effectiveOn) {
    // The lines on that day by everything decided since, back-dated changes included (…/tariffs?
    // effectiveOn=): the chart shows them as they took effect, this as they are finally owed.
    const found = (decided ?? []).find(
      (p) => p.imposedBy === q.imposedBy && p.appliedTo === q.appliedTo,
    );
    const rate = q.product ? (found?.applicable?.rate ?? 0) : (found?.total ?? 0);
    headline(rate, when);
    const lines = found?.measures ?? [];
    replace(
      $('embed-lines'),
      lines.length
        ? h(
            'ul',
            { class: 'embed-lines', 'aria-label': `Lines${when}` },
            lines.map((m) =>
              h(
                'li',
                { 'data-measure': m.measure },
                `${humanize(m.measure)} ${percent(m.rate)}`,
                m.coverage === 'all-goods' ? '' : ' on selected goods',
                q.product && found?.applicable && !found.applicable.measures.includes(m.measure)
                  ? ` (not paid on goods of ${q.product})`
                  : '',
                m.retroactive ? ' (retroactive: decided after it took effect)' : '',
              ),
            ),
          )
        : h('p', { class: 'embed-source' }, `No line in force${when}.`),
    );
  } else {
    const last = series.filter((p) => Date.parse(p.at) <= markMs).pop();
    headline(last?.total ?? 0, when);
  }

  const range =
    (q.from ? ` from ${boundLabel(q.from)}` : '') + (q.to ? ` to ${boundLabel(q.to)}` : ' to now');
  $('embed-source').textContent =
    `Additional duties of ${pair}, percent ad valorem${
      q.product ? `, on goods of ${q.product}` : ', the lines on all goods'
    }, by the date they took effect${range}. ` +
    `Source: Parley, “${summary.title}”; data as of ${formatDay(new Date(now).toISOString())}.`;
}

function headline(rate, when) {
  replace(
    $('embed-headline'),
    h('span', { 'data-rate': rate }, percent(rate)),
    h('span', { class: 'embed-when' }, when),
  );
}

function say(text) {
  replace($('embed-chart'), h('p', { class: 'embed-notice', role: 'alert' }, text));
}

start();
