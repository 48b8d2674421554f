// Tariffs and deadlines of every negotiation at once (contract v1.1, Across negotiations):
// GET /tariffs and GET /deadlines, filtered by party, on one day, for one product if asked.

import * as api from './api.js';
import { h, replace } from './dom.js';
import { showAcrossCsvLinks } from './csv-links.js';
import {
  describeDeadline,
  formatDay,
  formatInstant,
  humanize,
  percent,
  PRODUCT_CODE,
} from './format.js';

const $ = (id) => document.getElementById(id);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PARTY = /^[A-Z]{2,3}$/;

const ui = {
  form: $('choices'),
  day: $('day'),
  product: $('product'),
  productError: $('product-error'),
  imposedBy: $('imposed-by'),
  appliedTo: $('applied-to'),
  party: $('party'),
  basis: [...document.querySelectorAll('input[name="basis"]')],
  status: $('status'),
  notice: $('notice'),
  table: $('tariffs-table'),
  deadlines: $('deadlines'),
  timelineLink: $('timeline-link'),
};

/** Everything shown derives from this; the address keeps it. */
const view = {
  day: null,
  basis: 'asOf', // or 'effectiveOn'
  product: null,
  imposedBy: null,
  appliedTo: null,
  party: null,
  knownAt: null, // kept from the address only (no control here)
  titles: new Map(),
};

let request = { seq: 0, controller: null };

async function start() {
  const params = new URLSearchParams(location.search);
  let negotiations = [];
  try {
    negotiations = await api.listNegotiations();
  } catch (error) {
    showNotice(`Could not list the negotiations: ${error.message}`);
  }
  view.titles = new Map(negotiations.map((n) => [n.id, n.title]));
  const parties = new Map();
  for (const n of negotiations) for (const p of n.parties ?? []) parties.set(p.code, p.name);
  const options = [...parties.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, name]) => [code, `${name} (${code})`]);
  for (const select of [ui.imposedBy, ui.appliedTo, ui.party])
    select.append(...options.map(([code, label]) => h('option', { value: code }, label)));

  const effectiveOn = params.get('effectiveOn');
  view.basis = effectiveOn ? 'effectiveOn' : 'asOf';
  const day = effectiveOn ?? params.get('asOf');
  view.day = day && DAY.test(day) ? day : new Date().toISOString().slice(0, 10);
  const knownAt = params.get('knownAt');
  view.knownAt = knownAt && !Number.isNaN(Date.parse(knownAt)) ? knownAt : null;
  ui.day.value = view.day;
  for (const radio of ui.basis) radio.checked = radio.value === view.basis;
  ui.product.value = params.get('product') ?? '';
  for (const [select, name] of [
    [ui.imposedBy, 'imposedBy'],
    [ui.appliedTo, 'appliedTo'],
    [ui.party, 'party'],
  ]) {
    const wanted = params.get(name);
    select.value = wanted && PARTY.test(wanted) && parties.has(wanted) ? wanted : '';
  }
  readChoices();

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    readChoices();
    refresh();
  });
  ui.form.addEventListener('change', (event) => {
    // The product applies with Enter or "Show"; the other choices at once.
    if (event.target === ui.product) return;
    readChoices();
    refresh();
  });
  await refresh();
}

/** Reads the form into the view; an invalid product code is said beside the field and not asked. */
function readChoices() {
  if (DAY.test(ui.day.value)) view.day = ui.day.value;
  view.basis = ui.basis.find((r) => r.checked)?.value === 'effectiveOn' ? 'effectiveOn' : 'asOf';
  const code = ui.product.value.trim();
  const valid = code === '' || PRODUCT_CODE.test(code);
  view.product = valid && code ? code : null;
  ui.productError.textContent = valid
    ? ''
    : `“${code}” is not a product code: 2 to 10 digits, dots allowed between them (72, 8471, 8517.13.00).`;
  if (valid) ui.product.removeAttribute('aria-invalid');
  else ui.product.setAttribute('aria-invalid', 'true');
  view.imposedBy = ui.imposedBy.value || null;
  view.appliedTo = ui.appliedTo.value || null;
  view.party = ui.party.value || null;
}

function updateUrl() {
  const params = new URLSearchParams();
  params.set(view.basis, view.day);
  for (const name of ['product', 'imposedBy', 'appliedTo', 'party', 'knownAt'])
    if (view[name]) params.set(name, view[name]);
  history.replaceState(null, '', `${location.pathname}?${params}`);
  const back = new URLSearchParams();
  back.set(view.basis, view.day);
  if (view.product) back.set('product', view.product);
  ui.timelineLink.href = `/?${back}`;
  showAcrossCsvLinks(view);
}

async function refresh() {
  const seq = ++request.seq;
  request.controller?.abort();
  const controller = new AbortController();
  request.controller = controller;
  updateUrl();
  const { day, basis, product, imposedBy, appliedTo, party, knownAt } = view;
  document.body.classList.add('busy');
  try {
    const [pairs, due] = await Promise.all([
      api.getAllTariffs(
        { [basis]: day, knownAt, product, imposedBy, appliedTo },
        controller.signal,
      ),
      api.getAllDeadlines({ asOf: day, knownAt, party }, controller.signal),
    ]);
    if (seq !== request.seq) return;
    hideNotice();
    renderTariffs(pairs);
    renderDeadlines(due);
    const filters = [
      imposedBy ? `imposed by ${imposedBy}` : '',
      appliedTo ? `applied to ${appliedTo}` : '',
    ].filter(Boolean);
    ui.status.textContent = `${pairs.length} pair${pairs.length === 1 ? '' : 's'} at the end of ${formatDay(day)}${
      basis === 'effectiveOn'
        ? ', as goods entered that day owe, as finally decided'
        : ', as announced by then'
    }${filters.length ? `, ${filters.join(' and ')}` : ''}${product ? `; rates for product ${product}` : ''}; ${due.length} deadline${due.length === 1 ? '' : 's'} coming up${party ? ` involving ${party}` : ''}.`;
  } catch (error) {
    if (seq !== request.seq || error.name === 'AbortError') return;
    showNotice(`Could not load the tariffs: ${error.message}`);
  } finally {
    if (seq === request.seq) document.body.classList.remove('busy');
  }
}

const title = (id) => view.titles.get(id) ?? id;

function timelineHref(negotiationId) {
  const params = new URLSearchParams();
  params.set('negotiation', negotiationId);
  params.set(view.basis, view.day);
  if (view.product) params.set('product', view.product);
  return `/?${params}`;
}

/** One line in force, as the timeline page words it. */
function lineText(m) {
  return [
    `${humanize(m.measure)} ${percent(m.rate)}`,
    m.coverage === 'all-goods' ? '' : ' on selected goods',
    m.products?.length ? ` (${m.products.join(', ')})` : '',
    m.until ? ` until ${formatInstant(m.until)}, then ${percent(m.thenRate ?? 0)}` : '',
    m.excluded?.length ? `; excluded: ${m.excluded.join(', ')}` : '',
    m.displaces?.length ? `; replaces ${m.displaces.map(humanize).join(', ')}` : '',
  ].join('');
}

function renderTariffs(pairs) {
  if (!pairs.length)
    return replace(ui.table, h('p', { class: 'empty' }, 'No tariff pair matches.'));
  const withProduct = pairs.some((p) => p.applicable);
  replace(
    ui.table,
    h(
      'table',
      { class: 'across' },
      h(
        'caption',
        { class: 'visually-hidden' },
        `Tariffs of every negotiation at the end of ${formatDay(view.day)}`,
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Negotiation'),
          h('th', { scope: 'col' }, 'Imposed by → applied to'),
          h('th', { scope: 'col' }, 'Total on all goods'),
          withProduct ? h('th', { scope: 'col' }, `Product ${view.product}`) : '',
          h('th', { scope: 'col' }, 'Lines in force'),
        ),
      ),
      h(
        'tbody',
        {},
        pairs.map((p) =>
          h(
            'tr',
            {
              'data-row': `${p.negotiationId} ${p.imposedBy}-${p.appliedTo}`,
              'data-negotiation': p.negotiationId,
              'data-pair': `${p.imposedBy}-${p.appliedTo}`,
            },
            h(
              'th',
              { scope: 'row' },
              h('a', { href: timelineHref(p.negotiationId) }, title(p.negotiationId)),
            ),
            h('td', {}, `${p.imposedBy} → ${p.appliedTo}`),
            h('td', { class: 'total-value', 'data-total': p.total }, percent(p.total)),
            withProduct
              ? h(
                  'td',
                  { class: 'applicable' },
                  p.applicable
                    ? [
                        h(
                          'strong',
                          { class: 'applicable-value', 'data-rate': p.applicable.rate },
                          percent(p.applicable.rate),
                        ),
                        p.applicable.measures.length
                          ? ` (${p.applicable.measures.map(humanize).join(' + ')})`
                          : ' (no line covers it)',
                        p.applicable.displaced.length
                          ? h(
                              'span',
                              { class: 'displaced' },
                              `; displaced: ${p.applicable.displaced.map(humanize).join(', ')}`,
                            )
                          : '',
                        p.applicable.uncertain.length
                          ? h(
                              'span',
                              { class: 'uncertain' },
                              `; not known whether covered, not counted: ${p.applicable.uncertain.map(humanize).join(', ')}`,
                            )
                          : '',
                      ]
                    : '–',
                )
              : '',
            h(
              'td',
              {},
              p.measures.length
                ? h(
                    'ul',
                    { class: 'lines' },
                    p.measures.map((m) =>
                      h(
                        'li',
                        { 'data-measure': m.measure },
                        lineText(m),
                        m.retroactive
                          ? h(
                              'span',
                              { class: 'retroactive' },
                              ' · ',
                              h('span', { class: 'badge' }, 'retroactive'),
                            )
                          : '',
                      ),
                    ),
                  )
                : 'None',
            ),
          ),
        ),
      ),
    ),
  );
}

function renderDeadlines(due) {
  if (!due.length)
    return replace(ui.deadlines, h('li', { class: 'empty' }, 'Nothing announced to come.'));
  replace(
    ui.deadlines,
    due.map((d) =>
      h(
        'li',
        {
          class: `deadline kind-${d.kind}`,
          'data-kind': d.kind,
          'data-negotiation': d.negotiationId,
          'data-event-id': d.eventId,
        },
        h('time', { datetime: d.at }, formatInstant(d.at)),
        ': ',
        h('span', { class: 'what' }, describeDeadline(d)),
        ' (',
        h('a', { href: timelineHref(d.negotiationId) }, title(d.negotiationId)),
        ')',
      ),
    ),
  );
}

function showNotice(text) {
  ui.notice.textContent = text;
  ui.notice.hidden = false;
}

function hideNotice() {
  ui.notice.hidden = true;
}

start();
