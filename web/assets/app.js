// The timeline page: choose a negotiation, replay it to a day, as known now or on a date.

import * as api from './api.js';
import { stepChart } from './chart.js';
import { h, none, replace } from './dom.js';
import { embedCode } from './embed-code.js';
import { chartCsvLink, showPageCsvLinks } from './csv-links.js';
import {
  attributionLabel,
  capitalise,
  dayMs,
  dayOf,
  describeDeadline,
  describeDevelopment,
  EVIDENCE_RANK,
  endOfDay,
  evidenceLabel,
  formatDay,
  formatInstant,
  formatMoment,
  formatOccurred,
  humanize,
  modalityLabel,
  occurredDatetime,
  percent,
  PRODUCT_CODE,
  typeLabel,
} from './format.js';

const $ = (id) => document.getElementById(id);

const ui = {
  negotiation: $('negotiation'),
  notice: $('notice'),
  range: $('as-of-range'),
  rangeStart: $('range-start'),
  rangeEnd: $('range-end'),
  rangeTodayLine: $('range-today-line'),
  rangeToday: $('range-today'),
  date: $('as-of-date'),
  previous: $('previous-development'),
  next: $('next-development'),
  latest: $('latest'),
  knownToggle: $('known-at-toggle'),
  knownAt: $('known-at'),
  knownMoment: $('known-at-moment'),
  knownAtError: $('known-at-error'),
  minEvidence: [...document.querySelectorAll('input[name="min-evidence"]')],
  basis: [...document.querySelectorAll('input[name="basis"]')],
  productForm: $('product-form'),
  product: $('product'),
  productApply: $('product-apply'),
  productError: $('product-error'),
  deadlines: $('deadlines'),
  allLink: $('all-negotiations-link'),
  status: $('status'),
  since: $('since'),
  sinceBody: $('since-body'),
  tariffs: $('tariffs'),
  talks: $('talks'),
  proposals: $('proposals'),
  stances: $('stances'),
  demands: $('demands'),
  tradeMeasures: $('trade-measures'),
  agreements: $('agreements'),
  timeline: $('timeline'),
  more: $('more-developments'),
};

const TIMELINE_PAGE = 100;
/**
 * A negotiation with more developments than this loads its log, its charts and the panels under
 * the tariffs only when asked for or scrolled to, so that the first load stays small (issue 16:
 * under 300 KB for 5,000 developments). Smaller ones load everything at once.
 */
const LARGE = 1000;
/** Lists longer than this show their first items and a button to show them all. */
const LIST_LIMIT = 10;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LAST_VISIT_KEY = (id) => `parley:last-visit:${id}`;
const SINCE_KEY = (id) => `parley:since:${id}`;
const MIN_EVIDENCE_LEVELS = ['corroborated', 'confirmed'];
/** Developments that judge a report rather than report something: they have no evidence of their own to show. */
const JUDGEMENTS = new Set(['DevelopmentRetracted', 'DevelopmentConfirmed', 'DevelopmentDisputed']);
/** Folded whatever `minEvidence` says (contract v1.1, Evidence). */
const ALWAYS_FOLDED = new Set([
  'NegotiationOpened',
  'PartyJoined',
  'DevelopmentRetracted',
  'DevelopmentConfirmed',
  'DevelopmentDisputed',
]);

/** Everything the page shows derives from this. */
const view = {
  id: null,
  summary: null,
  /** The log as known at `knownAt`, retracted reports included, in valid-time order. */
  log: [],
  startDay: null,
  endDay: null,
  asOf: null, // YYYY-MM-DD
  /** The day the page was opened, in UTC: where it opens and where "Latest" goes, never a scheduled day after it. */
  today: new Date().toISOString().slice(0, 10),
  knownAt: null, // ISO instant or null
  minEvidence: null, // 'corroborated' | 'confirmed' | null (all reports)
  /** 'asOf': as announced by then; 'effectiveOn': as goods entered that day owe, as finally decided. */
  basis: 'asOf',
  product: null, // a valid product code (contract v1.1) or null
  lastVisit: null, // ISO instant of the visit before this one, or null
  thisVisit: null, // ISO instant this visit began
  state: null,
  pairs: [], // [{imposedBy, appliedTo}]
  histories: new Map(), // "US-CN" -> points
  /** Measure slug → the `label` a development gives it. */
  labels: new Map(),
  /** The slider's stops (YYYY-MM-DD, oldest first) and the days something happened or took effect. */
  steps: [],
  changeDays: [],
  /** The moments something was recorded (distinct `recordedAt`, to the millisecond), oldest first: `[{at, count, first, last}]`. */
  moments: [],
  shown: TIMELINE_PAGE,
  /** Whether the log is loaded (a large negotiation loads it when asked). */
  logLoaded: false,
  /** Whether the whole state is asked (a large negotiation asks only the tariffs until the panels under them are shown). */
  fullState: false,
  /** The lists shown in full (keys of collapsedList). */
  expanded: new Set(),
  /** The pairs whose chart data table is open. */
  openTables: new Set(),
};

const isLarge = () => (view.summary?.eventCount ?? 0) > LARGE;

let stateRequest = { seq: 0, controller: null };

// ---- start ----------------------------------------------------------------------------------

async function start() {
  const params = new URLSearchParams(location.search);
  let negotiations;
  try {
    negotiations = await api.listNegotiations();
  } catch (error) {
    return showNotice(`Could not list the negotiations: ${error.message}`);
  }
  if (negotiations.length === 0) {
    replace(ui.negotiation, h('option', { value: '' }, 'No negotiations yet'));
    return showNotice(
      'No negotiation recorded yet. Load the example with “npm run example”, then reload.',
    );
  }
  replace(
    ui.negotiation,
    negotiations.map((n) =>
      h('option', { value: n.id }, `${n.title} (${n.eventCount} developments)`),
    ),
  );
  ui.negotiation.disabled = false;
  const wanted = params.get('negotiation');
  const initial = wanted === null ? negotiations[0] : negotiations.find((n) => n.id === wanted);
  wireControls();
  if (!initial) {
    // A shared link to a negotiation not recorded here: say so rather than show another one.
    ui.negotiation.prepend(h('option', { value: '' }, 'Choose a negotiation'));
    ui.negotiation.value = '';
    ui.status.textContent = '';
    return showNotice(
      `This link points to a negotiation this tracker does not know: “${wanted}”. Nothing is shown; choose a negotiation above.`,
    );
  }
  ui.negotiation.value = initial.id;
  setMinEvidence(params.get('minEvidence'));
  // The address says `effectiveOn=DAY` instead of `asOf=DAY` when the switch is on, as the API does.
  const effectiveOn = params.get('effectiveOn');
  setBasis(effectiveOn ? 'effectiveOn' : 'asOf');
  ui.product.value = params.get('product') ?? '';
  setProduct(ui.product.value);
  await choose(initial.id, {
    asOf: effectiveOn ?? params.get('asOf'),
    knownAt: params.get('knownAt'),
  });
}

/** Sets the evidence filter and its radio buttons; anything but a known level means all reports. */
function setMinEvidence(level) {
  view.minEvidence = MIN_EVIDENCE_LEVELS.includes(level) ? level : null;
  for (const radio of ui.minEvidence) radio.checked = radio.value === (view.minEvidence ?? '');
}

/** Sets the switch between "as announced by then" and "as goods entered that day owe". */
function setBasis(basis) {
  view.basis = basis === 'effectiveOn' ? 'effectiveOn' : 'asOf';
  for (const radio of ui.basis) radio.checked = radio.value === view.basis;
}

/**
 * Takes the product field's text: a code as the API takes it (2 to 10 digits, dots allowed) is
 * asked for; anything else is said beside the field and no product is asked for. Returns whether
 * the text was accepted.
 */
function setProduct(text) {
  const code = String(text ?? '').trim();
  const valid = code === '' || PRODUCT_CODE.test(code);
  view.product = valid && code ? code : null;
  ui.productError.textContent = valid
    ? ''
    : `“${code}” is not a product code: 2 to 10 digits, dots allowed between them (72, 8471, 8517.13.00).`;
  if (valid) ui.product.removeAttribute('aria-invalid');
  else ui.product.setAttribute('aria-invalid', 'true');
  return valid;
}

/** What every request that takes them is asked with (contract v1.1: minEvidence). */
const perspective = () => ({ knownAt: view.knownAt, minEvidence: view.minEvidence });

function wireControls() {
  ui.negotiation.addEventListener('change', () => {
    if (!ui.negotiation.value) return;
    ui.negotiation.querySelector('option[value=""]')?.remove();
    choose(ui.negotiation.value, {});
  });
  let debounce;
  ui.range.addEventListener('input', () => {
    setAsOf(view.steps[Number(ui.range.value)] ?? view.startDay, { fetch: false });
    clearTimeout(debounce);
    debounce = setTimeout(refresh, 120);
  });
  ui.range.addEventListener('change', () => {
    clearTimeout(debounce);
    refresh();
  });
  // Typed digit by digit, a year passes through 0002, 0020, 0202 before 2025: a day outside the
  // span is left as typed until the field is left or Enter is pressed, never clamped under the cursor.
  ui.date.addEventListener('change', () => {
    const typed = ui.date.value;
    if (!DAY.test(typed) || typed < view.startDay || typed > view.endDay) return;
    setAsOf(typed);
  });
  const settleDate = () => {
    const typed = ui.date.value;
    if (DAY.test(typed) && typed >= '1000' && typed !== view.asOf) setAsOf(typed);
    else ui.date.value = view.asOf;
  };
  ui.date.addEventListener('blur', settleDate);
  ui.date.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') settleDate();
  });
  ui.previous.addEventListener('click', () => stepDevelopment(-1));
  ui.next.addEventListener('click', () => stepDevelopment(1));
  ui.latest.addEventListener('click', () => setAsOf(latestDay()));
  ui.knownToggle.addEventListener('change', async () => {
    await ensureLog();
    if (ui.knownToggle.checked && !ui.knownAt.value)
      ui.knownAt.value = toUtcInput(defaultKnownAt());
    ui.knownAt.disabled = !ui.knownToggle.checked;
    ui.knownMoment.disabled = !ui.knownToggle.checked;
    applyKnownAt();
  });
  ui.knownAt.addEventListener('change', () => {
    if (ui.knownToggle.checked) applyKnownAt();
  });
  ui.knownMoment.addEventListener('change', () => {
    if (!ui.knownToggle.checked || !ui.knownMoment.value) return;
    ui.knownAt.value = toUtcInput(ui.knownMoment.value);
    applyKnownAt();
  });
  for (const radio of ui.minEvidence)
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      setMinEvidence(radio.value);
      view.histories = new Map();
      refresh();
      loadHistories();
      renderSince();
    });
  for (const radio of ui.basis)
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      setBasis(radio.value);
      refresh();
    });
  ui.productForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const before = view.product;
    setProduct(ui.product.value);
    if (view.product !== before || !view.product) refresh();
  });
  // A large negotiation's panels under the tariffs are asked for (the whole state) once one is shown.
  const lower = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting) || !isLarge() || view.fullState) return;
    view.fullState = true;
    refresh();
  });
  for (const element of [
    ui.talks,
    ui.proposals,
    ui.stances,
    ui.demands,
    ui.tradeMeasures,
    ui.agreements,
  ])
    lower.observe(element);
  ui.more.addEventListener('click', () => {
    view.shown += TIMELINE_PAGE;
    renderTimeline();
  });
}

// ---- choosing a negotiation, the perspective, the day -----------------------------------------

async function choose(id, { asOf, knownAt }) {
  view.id = id;
  view.histories = new Map();
  view.shown = TIMELINE_PAGE;
  hideNotice();
  try {
    view.summary = await api.getNegotiation(id);
  } catch (error) {
    return showNotice(`Could not load ${id}: ${error.message}`);
  }
  document.title = `${view.summary.title}: Parley`;
  if (knownAt && !Number.isNaN(Date.parse(knownAt))) {
    ui.knownToggle.checked = true;
    ui.knownAt.disabled = false;
    ui.knownMoment.disabled = false;
    ui.knownAt.value = toUtcInput(knownAt);
    view.knownAt = new Date(knownAt).toISOString();
  } else {
    ui.knownToggle.checked = false;
    ui.knownAt.disabled = true;
    ui.knownMoment.disabled = true;
    view.knownAt = null;
  }
  view.fullState = false;
  view.expanded = new Set();
  if (isLarge() && !view.knownAt) {
    view.logLoaded = false;
    view.log = [];
    view.pairs = [];
    setSpan([]);
    setMoments([]);
  } else await loadLog();
  for (const control of [
    ui.range,
    ui.date,
    ui.previous,
    ui.next,
    ui.latest,
    ui.knownToggle,
    ...ui.minEvidence,
    ...ui.basis,
    ui.product,
    ui.productApply,
  ])
    control.disabled = false;
  const day = asOf && DAY.test(asOf) ? asOf : latestDay();
  setAsOf(day, { fetch: false });
  await Promise.all([refresh(), loadHistories(), showSinceLastVisit(id)]);
}

/**
 * Loads the log as known at `knownAt`. With `span`, first the whole log: the slider's span and the
 * moments something was recorded come from everything recorded, so that "as known on" neither
 * moves the slider's ends nor narrows the moments it offers.
 */
async function loadLog({ span = true } = {}) {
  try {
    const whole = span || !view.knownAt ? await api.getLog(view.id, null) : null;
    if (span) {
      view.logLoaded = true;
      setSpan(whole);
      setMoments(whole);
    }
    view.log = view.knownAt ? await api.getLog(view.id, view.knownAt) : whole;
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 404) view.log = [];
    else return showNotice(`Could not load the developments: ${error.message}`);
  }
  view.labels = new Map();
  for (const d of view.log) {
    const label = d.data?.label ?? d.data?.measureLabel;
    if (typeof d.data?.measure === 'string' && typeof label === 'string' && label.trim())
      view.labels.set(d.data.measure, label.trim());
  }
  const pairs = new Map();
  for (const d of view.log) {
    if (d.type === 'TariffChanged')
      pairs.set(`${d.data.imposedBy}-${d.data.appliedTo}`, {
        imposedBy: d.data.imposedBy,
        appliedTo: d.data.appliedTo,
      });
  }
  view.pairs = [...pairs.values()].sort((a, b) =>
    `${a.imposedBy}-${a.appliedTo}`.localeCompare(`${b.imposedBy}-${b.appliedTo}`),
  );
}

/** The moments something was recorded, to the millisecond, each with the revisions it holds. */
function setMoments(log) {
  const byMoment = new Map();
  for (const d of log) {
    const at = new Date(d.recordedAt).toISOString();
    const moment = byMoment.get(at) ?? { at, count: 0, first: d.revision, last: d.revision };
    moment.count += 1;
    moment.first = Math.min(moment.first, d.revision);
    moment.last = Math.max(moment.last, d.revision);
    byMoment.set(at, moment);
  }
  view.moments = [...byMoment.values()].sort((a, b) => a.at.localeCompare(b.at));
  replace(
    ui.knownMoment,
    h('option', { value: '' }, 'Another moment (typed above)'),
    view.moments
      .slice()
      .reverse()
      .map((m) =>
        h(
          'option',
          { value: m.at },
          `${formatMoment(m.at)}: ${
            m.count === 1
              ? `1 development (revision ${m.first})`
              : `${m.count} developments (revisions ${m.first} to ${m.last})`
          }`,
        ),
      ),
  );
  syncMoment();
}

/** The moments list shows the moment typed, when it is one of them. */
function syncMoment() {
  ui.knownMoment.value = view.moments.some((m) => m.at === view.knownAt) ? view.knownAt : '';
}

/**
 * The span of the slider and its stops: the days something happened or took effect (a
 * development's date, and the dates it sets: effective, until, scheduled for), retracted reports
 * left out, with the first and last day and today. Between two stops nothing changes, so the
 * slider and Previous/Next go from one to the next (10 April 2025, when 145% took effect, is a
 * stop though nothing was reported that day).
 */
function setSpan(log) {
  const days = [dayOf(view.summary.firstOccurredAt), dayOf(view.summary.lastOccurredAt)];
  const changes = new Set();
  for (const d of log) {
    const dates = [d.data?.effectiveAt, d.data?.until, d.data?.scheduledFor];
    for (const t of dates) if (typeof t === 'string') days.push(dayOf(t));
    if (d.retracted) continue;
    for (const t of [d.occurredAt, ...dates]) if (typeof t === 'string') changes.add(dayOf(t));
  }
  days.sort();
  view.startDay = days[0];
  view.endDay = days[days.length - 1];
  view.changeDays = [...changes].sort();
  const stops = new Set([view.startDay, view.endDay, ...view.changeDays]);
  if (view.today > view.startDay && view.today < view.endDay) stops.add(view.today);
  view.steps = view.logLoaded ? [...stops].sort() : everyDay(view.startDay, view.endDay);
  ui.range.min = '0';
  ui.range.max = String(view.steps.length - 1);
  ui.date.min = view.startDay;
  ui.date.max = view.endDay;
  ui.rangeStart.textContent = formatDay(view.startDay);
  ui.rangeEnd.textContent =
    view.endDay > view.today
      ? `${formatDay(view.endDay)} (scheduled, to come)`
      : formatDay(view.endDay);
  markToday();
}

/** The latest day there is: today, within the span (the span may run on to scheduled days after it). */
const latestDay = () =>
  view.today < view.startDay ? view.startDay : view.today > view.endDay ? view.endDay : view.today;

/** Today, marked under the slider where it falls, when it falls within the span. */
function markToday() {
  const within = view.today >= view.startDay && view.today <= view.endDay;
  ui.rangeTodayLine.hidden = !within;
  if (!within) return;
  const at = (100 * stepIndex(view.today)) / Math.max(1, view.steps.length - 1);
  ui.rangeToday.textContent = `Today, ${formatDay(view.today)}`;
  ui.rangeToday.style.setProperty('left', `${at}%`);
  ui.rangeToday.style.setProperty('transform', `translateX(-${at}%)`);
}

async function applyKnownAt() {
  // The field is read in UTC, as every date on the page is shown; a moment it cannot read is said
  // beside it and nothing is asked.
  const typed = ui.knownToggle.checked ? ui.knownAt.value.trim() : '';
  const instant = typed ? fromUtcInput(typed) : null;
  ui.knownAtError.textContent =
    typed && !instant
      ? `“${typed}” is not a moment: write it as 2025-04-09 22:11:37.991 (UTC).`
      : '';
  if (typed && !instant) return ui.knownAt.setAttribute('aria-invalid', 'true');
  ui.knownAt.removeAttribute('aria-invalid');
  view.knownAt = instant;
  syncMoment();
  view.histories = new Map();
  await loadLog({ span: false });
  await Promise.all([refresh(), loadHistories()]);
}

/**
 * When "as known on" is switched on: the last moment something was recorded, to the millisecond,
 * so that switching it on shows what is known and empties nothing; the list then offers every
 * earlier moment something was recorded.
 */
function defaultKnownAt() {
  return view.moments.length ? view.moments[view.moments.length - 1].at : new Date().toISOString();
}

function setAsOf(day, { fetch = true } = {}) {
  const clamped = day < view.startDay ? view.startDay : day > view.endDay ? view.endDay : day;
  view.asOf = clamped;
  ui.range.value = String(stepIndex(clamped));
  ui.range.setAttribute('aria-valuetext', formatDay(clamped));
  ui.date.value = clamped;
  if (fetch) refresh();
}

/** Every day from `first` to `last`: the slider's stops until the log says which days changed anything. */
function everyDay(first, last) {
  const days = [];
  for (let ms = dayMs(first); ms <= dayMs(last); ms += 86_400_000)
    days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}

/** Loads the log of a large negotiation, when something needs it (the timeline, Previous/Next, "As known on"). */
async function ensureLog() {
  if (view.logLoaded) return;
  await loadLog();
  setAsOf(view.asOf, { fetch: false });
  renderTimeline();
}

/** The slider's stop for a day: the last stop on or before it. */
function stepIndex(day) {
  let index = 0;
  for (let i = 0; i < view.steps.length && view.steps[i] <= day; i++) index = i;
  return index;
}

/** Previous/Next: the days something happened or took effect. */
async function stepDevelopment(direction) {
  await ensureLog();
  const days = view.changeDays;
  const target =
    direction < 0 ? days.filter((d) => d < view.asOf).pop() : days.find((d) => d > view.asOf);
  if (target) setAsOf(target);
}

// ---- the state on the chosen day ----------------------------------------------------------------

async function refresh() {
  const seq = ++stateRequest.seq;
  stateRequest.controller?.abort();
  const controller = new AbortController();
  stateRequest.controller = controller;
  const { id, asOf, knownAt, minEvidence, basis, product } = view;
  updateUrl();
  renderTimeline();
  setBusy(true);
  const deadlines = loadDeadlines(seq, controller.signal);
  try {
    const day = basis === 'effectiveOn' ? { effectiveOn: asOf } : { asOf };
    const query = { ...day, knownAt, minEvidence, product };
    // A large negotiation's first screen shows the tariffs: the rest is asked once it is shown.
    const state =
      !isLarge() || view.fullState
        ? await api.getState(id, query, controller.signal)
        : { tariffs: await api.getTariffs(id, query, controller.signal), partial: true };
    if (seq !== stateRequest.seq) return;
    view.state = state;
    hideNotice();
    renderState(state);
    ui.status.textContent = `State of play at the end of ${formatDay(asOf)}, ${
      knownAt ? `as known on ${formatMoment(knownAt)}` : 'as known now'
    }${minEvidence ? `, counting only ${minEvidence} reports` : ''}${
      basis === 'effectiveOn' ? '; tariffs as goods entered that day owe, as finally decided' : ''
    }${product ? `; rates for product ${product}` : ''} ${
      state.revision === undefined ? '' : ` (revision ${state.revision})`
    }.${comingNote(asOf)}`;
  } catch (error) {
    if (seq !== stateRequest.seq || error.name === 'AbortError') return;
    view.state = null;
    if (error instanceof api.ApiError && error.rule === 'negotiation-not-known-yet') {
      renderState(null);
      ui.status.textContent = `Nothing about this negotiation had been recorded by ${formatMoment(knownAt)}.`;
    } else {
      showNotice(`Could not load the state: ${error.message}`);
    }
  } finally {
    await deadlines;
    if (seq === stateRequest.seq) setBusy(false);
  }
}

/** Said of the chosen day: today, or a day still to come, whose state is only what is scheduled by now. */
function comingNote(day) {
  if (day === view.today) return ' This is today.';
  if (day > view.today)
    return ` ${formatDay(day)} is still to come: this is what is scheduled for it, as announced so far.`;
  return '';
}

/**
 * The "Coming up" panel: what falls due after the chosen day, as announced by then (GET
 * …/deadlines). Under "as goods entered that day owe" too: a deadline is what is known to come.
 */
async function loadDeadlines(seq, signal) {
  const { id, asOf, knownAt, minEvidence } = view;
  try {
    const due = await api.getDeadlines(id, { asOf, knownAt, minEvidence }, signal);
    if (seq !== stateRequest.seq) return;
    renderDeadlines(due);
  } catch (error) {
    if (seq !== stateRequest.seq || error.name === 'AbortError') return;
    if (error instanceof api.ApiError && error.rule === 'negotiation-not-known-yet')
      return replace(ui.deadlines, h('li', { class: 'empty' }, 'Nothing known yet.'));
    replace(
      ui.deadlines,
      h('li', { class: 'empty' }, `What is coming up could not be loaded (${error.message}).`),
    );
  }
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
          class: `deadline kind-${d.kind}${d.reversion ? ' reversion' : ''}${
            d.modality ? ` modality-${d.modality}` : ''
          }`,
          'data-kind': d.kind,
          'data-event-id': d.eventId,
          'data-at': d.at,
        },
        h('time', { datetime: d.at }, formatInstant(d.at)),
        ': ',
        h('span', { class: 'what' }, describeDeadline(d)),
      ),
    ),
  );
}

function setBusy(busy) {
  ui.status.closest('section')?.setAttribute('aria-busy', String(busy));
  document.body.classList.toggle('busy', busy);
}

function updateUrl() {
  const params = new URLSearchParams();
  params.set('negotiation', view.id);
  params.set(view.basis, view.asOf);
  if (view.knownAt) params.set('knownAt', view.knownAt);
  if (view.minEvidence) params.set('minEvidence', view.minEvidence);
  if (view.product) params.set('product', view.product);
  history.replaceState(null, '', `${location.pathname}?${params}`);
  // The view across negotiations opens on the same day, basis and product.
  const across = new URLSearchParams();
  across.set(view.basis, view.asOf);
  if (view.product) across.set('product', view.product);
  if (view.knownAt) across.set('knownAt', view.knownAt);
  ui.allLink.href = `/all.html?${across}`;
  showPageCsvLinks(view);
}

/**
 * A measure's name: the `label` a development gives it (the latest that gives one), else its slug
 * in words (format.js humanize: `fentanyl-ieepa` → `fentanyl (IEEPA)`).
 */
const measureName = (slug) => view.labels.get(slug) ?? humanize(slug);

const partyName = (code) => view.summary?.parties.find((p) => p.code === code)?.name ?? code;

function renderState(state) {
  renderTariffs(state);
  // Below the tariffs: not loaded yet (the rest comes when scrolled to), or nothing to show.
  if (state?.partial || !state) {
    const say = state ? 'Loaded when scrolled to.' : 'Nothing known.';
    for (const element of [
      ui.talks,
      ui.proposals,
      ui.stances,
      ui.demands,
      ui.tradeMeasures,
      ui.agreements,
    ])
      replace(element, none(say));
    return;
  }
  renderTalks(state.talks);
  renderProposals(state.proposals);
  renderStances(state.stances);
  renderDemands(state.demands.filter((d) => d.status === 'open'));
  renderTradeMeasures(state.tradeMeasures);
  renderAgreements(state.agreements);
}

function renderTariffs(state) {
  const known = new Map((state?.tariffs ?? []).map((p) => [`${p.imposedBy}-${p.appliedTo}`, p]));
  const keys = new Map(view.pairs.map((p) => [`${p.imposedBy}-${p.appliedTo}`, p]));
  for (const [key, pair] of known) keys.set(key, pair);
  if (keys.size === 0) return replace(ui.tariffs, none('No tariff recorded.'));
  const cards = [...keys.keys()].sort().map((key) => {
    const pair = known.get(key) ?? { ...keys.get(key), total: 0, measures: [], scheduled: [] };
    const measures = pair.measures ?? [];
    const scheduled = pair.scheduled ?? [];
    const headingId = `pair-${key}-heading`;
    return h(
      'article',
      { class: 'pair', 'data-pair': key, 'aria-labelledby': headingId },
      h(
        'h3',
        { id: headingId },
        `${partyName(pair.imposedBy)} on ${partyName(pair.appliedTo)}`,
        h('span', { class: 'codes' }, ` ${pair.imposedBy} → ${pair.appliedTo}`),
      ),
      h(
        'p',
        { class: 'total' },
        h('span', { class: 'total-value', 'data-total': pair.total }, String(pair.total)),
        h('span', { class: 'unit' }, '%'),
        h('span', { class: 'total-label' }, ' on all goods'),
        selectedGoodsNote(measures),
      ),
      pair.applicable ? applicableBlock(key, pair.applicable) : '',
      measures.length
        ? collapsedList(
            `lines-${key}`,
            { class: 'lines' },
            [...measures]
              .sort((a, b) => (a.coverage === b.coverage ? 0 : a.coverage === 'all-goods' ? -1 : 1))
              .map((m) =>
                h(
                  'li',
                  {
                    class: m.coverage === 'all-goods' ? 'line' : 'line selected-goods',
                    'data-measure': m.measure,
                  },
                  h('span', { class: 'measure' }, capitalise(measureName(m.measure))),
                  ' ',
                  h('strong', {}, percent(m.rate)),
                  m.coverage === 'all-goods'
                    ? ''
                    : h('span', { class: 'note' }, ' on selected goods, not in the total'),
                  h('span', { class: 'since' }, ` since ${formatInstant(m.effectiveAt)}`),
                  m.until
                    ? h(
                        'span',
                        { class: 'until' },
                        ` until ${formatInstant(m.until)}, then ${percent(m.thenRate ?? 0)}`,
                      )
                    : '',
                  lineScope(m),
                  evidenceBadge(m.evidenceStatus),
                ),
              ),
            'lines',
          )
        : h('p', { class: 'empty' }, 'No line in force.'),
      scheduled.length
        ? h(
            'ul',
            { class: 'scheduled', 'aria-label': 'Scheduled, not yet in force' },
            scheduled.map((m) =>
              h(
                'li',
                { 'data-measure': m.measure },
                'Scheduled: ',
                h('span', { class: 'measure' }, measureName(m.measure)),
                ` ${m.rate === 0 ? 'lifted' : percent(m.rate)} from ${formatInstant(m.effectiveAt)}`,
                m.reversion ? ' (the temporary rate ends)' : '',
                Date.parse(m.effectiveAt) > Date.now()
                  ? [' · ', h('span', { class: 'badge coming' }, 'to come')]
                  : '',
                m.until && !m.reversion
                  ? h(
                      'span',
                      { class: 'until' },
                      ` until ${formatInstant(m.until)}, then ${percent(m.thenRate ?? 0)}`,
                    )
                  : '',
                lineScope(m),
                evidenceBadge(m.evidenceStatus),
              ),
            ),
          )
        : '',
      notDecidedGroup(`tariff-${key}`, 'threatened', pair.threatened, tariffEntry),
      notDecidedGroup(`tariff-${key}`, 'considered', pair.considered, tariffEntry),
      h('div', { class: 'chart-slot', 'data-chart': key }),
      chartCsvLink(view, pair, `${partyName(pair.imposedBy)} on ${partyName(pair.appliedTo)}`),
      // The iframe code of this pair's chart, as shown (web/assets/embed-code.js).
      embedCode({
        negotiation: view.id,
        imposedBy: pair.imposedBy,
        appliedTo: pair.appliedTo,
        basis: view.basis,
        day: view.asOf,
        product: view.product,
        pairName: `${partyName(pair.imposedBy)} on ${partyName(pair.appliedTo)}`,
      }),
    );
  });
  const focus = focusWithin(ui.tariffs);
  replace(ui.tariffs, cards);
  drawCharts();
  restoreFocus(ui.tariffs, focus);
}

/**
 * Where the focus is in the tariff cards, so that redrawing them for another day keeps it: the
 * pair and the element (a chart's data summary, a step of a chart, a list's button).
 */
function focusWithin(container) {
  const element = document.activeElement;
  if (!element || !container.contains(element)) return null;
  const pair = element.closest('[data-pair]')?.getAttribute('data-pair');
  if (!pair) return null;
  if (element.matches('summary')) return { pair, selector: '.chart details summary' };
  if (element.matches('.step-point'))
    return {
      pair,
      selector: '.step-point',
      index: [...element.parentNode.querySelectorAll('.step-point')].indexOf(element),
    };
  if (element.matches('button[data-list]'))
    return { pair, selector: `button[data-list="${element.getAttribute('data-list')}"]` };
  return { pair, selector: null };
}

function restoreFocus(container, focus) {
  if (!focus) return;
  const card = container.querySelector(`[data-pair="${focus.pair}"]`);
  const found = focus.selector ? card?.querySelectorAll(focus.selector) : null;
  const target = found?.[Math.min(focus.index ?? 0, found.length - 1)] ?? card;
  if (target && target !== card) target.focus();
  else if (card) {
    card.setAttribute('tabindex', '-1');
    card.focus();
  }
}

/** Beside a headline total: the lines on selected goods in force, which it does not count. */
function selectedGoodsNote(measures) {
  const selected = measures.filter((m) => m.coverage !== 'all-goods').length;
  if (!selected) return '';
  return h(
    'span',
    { class: 'note total-note' },
    ` (and ${selected} line${selected === 1 ? '' : 's'} on selected goods, not in this total)`,
  );
}

/**
 * A list that shows its first LIST_LIMIT items and a button to show them all (and back), so that
 * 205 lines or 137 agreements do not make the page 27,000 px tall. `key` remembers which are open.
 */
function collapsedList(
  key,
  attributes,
  items,
  noun = key.replace(/-/g, ' '),
  rerender = () => view.state && renderState(view.state),
) {
  if (items.length <= LIST_LIMIT) return h('ul', attributes, items);
  const open = view.expanded.has(key);
  const button = h(
    'button',
    {
      type: 'button',
      class: 'show-all',
      'data-list': key,
      'aria-expanded': String(open),
      onclick: () => {
        if (open) view.expanded.delete(key);
        else view.expanded.add(key);
        Promise.resolve(rerender()).then(() =>
          document.querySelector(`button[data-list="${key}"]`)?.focus(),
        );
      },
    },
    open ? `Show the first ${LIST_LIMIT} ${noun} only` : `Show all ${items.length} ${noun}`,
  );
  return [h('ul', attributes, open ? items : items.slice(0, LIST_LIMIT)), button];
}

/**
 * What one product pays on a pair (contract v1.1, `applicable`), beside the headline total: the
 * rate, the lines counted, those displaced by a line that replaces them, and the lines of
 * unknown scope, which are not counted.
 */
function applicableBlock(key, a) {
  const list = (slugs) => slugs.map(measureName).join(', ');
  return h(
    'div',
    {
      class: 'applicable',
      'data-product': a.product,
      role: 'group',
      'aria-label': `Product ${a.product}`,
    },
    h(
      'p',
      { class: 'applicable-rate' },
      h('span', { class: 'applicable-value', 'data-rate': a.rate }, String(a.rate)),
      h('span', { class: 'unit' }, '%'),
      h('span', { class: 'total-label' }, ` on product ${a.product}`),
    ),
    h(
      'ul',
      { class: 'applicable-lines' },
      h(
        'li',
        { class: 'counted' },
        a.measures.length
          ? `Lines that make it up: ${list(a.measures)}`
          : 'No line covers this product.',
      ),
      a.displaced.length
        ? h(
            'li',
            { class: 'displaced' },
            `Displaced (replaced for this product by another line): ${list(a.displaced)}`,
          )
        : '',
      a.uncertain.length
        ? h(
            'li',
            { class: 'uncertain' },
            `Not known whether they cover it (selected goods not listed; not counted): ${list(a.uncertain)}`,
          )
        : '',
    ),
  );
}

/**
 * A line's product scope (contract v1.1): the goods a selected-goods line covers, the codes
 * excluded from it or covered again, the lines it replaces, and whether it applies retroactively.
 */
function lineScope(m) {
  return [
    m.products?.length
      ? h('span', { class: 'products' }, ` · on products ${m.products.join(', ')}`)
      : '',
    m.excluded?.length
      ? h('span', { class: 'excluded' }, ` · excluded: ${m.excluded.join(', ')}`)
      : '',
    m.included?.length
      ? h('span', { class: 'included' }, ` · covered again: ${m.included.join(', ')}`)
      : '',
    m.displaces?.length
      ? h(
          'span',
          { class: 'displaces' },
          ` · replaces ${m.displaces.map(measureName).join(', ')} on these goods`,
        )
      : '',
    m.retroactive
      ? h(
          'span',
          { class: 'retroactive' },
          ' · ',
          h('span', { class: 'badge' }, 'retroactive'),
          ' (in force that day before it was announced)',
        )
      : '',
  ];
}

/**
 * What a party threatened or is weighing, apart from what is in force or scheduled (contract
 * v1.1, Modality): a threat is not an order, so it is never added to a total or called scheduled.
 */
const NOT_DECIDED = {
  threatened: {
    title: 'Threatened',
    note: 'announced as a threat; not in force, not in the total',
  },
  considered: {
    title: 'Under consideration',
    note: 'reported as weighed; not decided, not in the total',
  },
};

function notDecidedGroup(key, modality, entries, entry, heading = 'h4') {
  if (!Array.isArray(entries) || entries.length === 0) return '';
  const { title, note } = NOT_DECIDED[modality];
  const headingId = `${modality}-${key}-heading`;
  // A group, not a section: one landmark per pair and kind would crowd the landmarks list.
  return h(
    'div',
    { class: `not-decided ${modality}`, role: 'group', 'aria-labelledby': headingId },
    h(heading, { id: headingId }, title, h('span', { class: 'note' }, ` (${note})`)),
    h(
      'ul',
      {},
      entries.map((e) => entry(e)),
    ),
  );
}

function tariffEntry(e) {
  return h(
    'li',
    { 'data-measure': e.measure, 'data-event-id': e.eventId },
    h('span', { class: 'measure' }, capitalise(measureName(e.measure))),
    ' ',
    h('strong', {}, percent(e.rate)),
    e.coverage && e.coverage !== 'all-goods' ? ` on ${humanize(e.coverage)}` : ' on all goods',
    e.effectiveAt ? ` from ${formatInstant(e.effectiveAt)}` : ', no date set',
    e.at ? h('span', { class: 'since' }, ` (reported for ${formatDay(e.at)})`) : '',
    evidenceBadge(e.evidenceStatus),
  );
}

function tradeMeasureEntry(e) {
  return h(
    'li',
    { 'data-event-id': e.eventId },
    humanize(e.action),
    e.effectiveAt ? ` from ${formatInstant(e.effectiveAt)}` : ', no date set',
    e.at ? h('span', { class: 'since' }, ` (reported for ${formatDay(e.at)})`) : '',
    evidenceBadge(e.evidenceStatus),
  );
}

/** A state item's support (`evidenceStatus`), when the API gives it. */
function evidenceBadge(status) {
  if (!status) return '';
  return h(
    'span',
    { class: `evidence-status evidence-${status}`, 'data-evidence': status },
    ` · ${evidenceLabel(status).toLowerCase()}`,
  );
}

function renderTalks(talks) {
  replace(
    ui.talks,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Status'),
      h(
        'dd',
        { class: 'talks-status' },
        h('span', { class: `badge status-${talks.status}` }, humanize(talks.status)),
      ),
      h('dt', {}, 'Since'),
      h('dd', {}, talks.since ? formatInstant(talks.since) : '–'),
      h('dt', {}, 'Talks began'),
      h('dd', { class: 'talks-began' }, talksBegan()),
      h('dt', {}, 'Rounds held'),
      h('dd', {}, String(talks.rounds)),
      h('dt', {}, 'Last round'),
      h('dd', {}, talks.lastRoundAt ? formatInstant(talks.lastRoundAt) : '–'),
      h('dt', {}, 'Next round'),
      h('dd', {}, talks.nextRoundAt ? formatInstant(talks.nextRoundAt) : '–'),
    ),
  );
}

/**
 * When talks began, as of the chosen day: the first round held (a TalksHeld not retracted), dated
 * as precisely as it is known; before the log is loaded (a large negotiation), the opening.
 */
function talksBegan() {
  const until = endOfDay(view.asOf);
  const first = view.log.find(
    (d) => d.type === 'TalksHeld' && !d.retracted && d.occurredAt <= until,
  );
  if (first) return formatOccurred(first.occurredAt, first.occurredPrecision);
  if (!view.logLoaded) return `negotiation opened ${formatDay(view.summary?.firstOccurredAt)}`;
  return 'no round held yet';
}

function renderProposals(proposals) {
  const open = proposals.filter((p) => p.status === 'proposed' || p.status === 'under-review');
  const considered = proposals.filter((p) => p.status === 'considered');
  replace(
    ui.proposals,
    open.length
      ? collapsedList(
          'open-proposals',
          { class: 'items' },
          open.map((p) =>
            h(
              'li',
              { 'data-proposal': p.proposalId },
              h('strong', {}, `${partyName(p.by)} to ${p.to.map(partyName).join(', ')}`),
              ` (${humanize(p.subject)}, ${humanize(p.status)} since ${formatDay(p.updatedAt)}): `,
              p.summary,
              evidenceBadge(p.evidenceStatus),
            ),
          ),
        )
      : none('No open proposal.'),
    considered.length
      ? h(
          'div',
          {
            class: 'not-decided considered',
            role: 'group',
            'aria-labelledby': 'considered-proposals-heading',
          },
          h(
            'h3',
            { id: 'considered-proposals-heading' },
            'Under consideration',
            h('span', { class: 'note' }, ' (reported as weighed; not made, not open)'),
          ),
          h(
            'ul',
            { class: 'items' },
            considered.map((p) =>
              h(
                'li',
                { 'data-proposal': p.proposalId },
                h('strong', {}, `${partyName(p.by)} to ${p.to.map(partyName).join(', ')}`),
                ` (${humanize(p.subject)}, considered${
                  p.consideredAt ? ` as of ${formatDay(p.consideredAt)}` : ''
                }): `,
                p.summary,
                evidenceBadge(p.evidenceStatus),
              ),
            ),
          ),
        )
      : '',
  );
}

function renderStances(stances) {
  if (!stances.length) return replace(ui.stances, none('No stance reported.'));
  replace(
    ui.stances,
    h(
      'ul',
      { class: 'items' },
      stances.map((st) =>
        h(
          'li',
          { 'data-party': st.party },
          h('strong', {}, partyName(st.party)),
          ': ',
          h('span', { class: `badge stance-${st.stance}` }, st.stance),
          ` (${st.speaker}, ${formatDay(st.at)})`,
        ),
      ),
    ),
  );
}

function renderDemands(demands) {
  if (!demands.length) return replace(ui.demands, none('No open demand.'));
  replace(
    ui.demands,
    collapsedList(
      'open-demands',
      { class: 'items' },
      demands.map((d) =>
        h(
          'li',
          {},
          h('strong', {}, `${partyName(d.by)} → ${partyName(d.of)}`),
          ` (${humanize(d.issue)}, since ${formatDay(d.madeAt)}): `,
          d.summary,
        ),
      ),
    ),
  );
}

function renderTradeMeasures(measures) {
  if (!measures.length) return replace(ui.tradeMeasures, none('No trade measure recorded.'));
  replace(
    ui.tradeMeasures,
    collapsedList(
      'trade-measures',
      { class: 'items' },
      measures.map((m) =>
        h(
          'li',
          { 'data-trade-measure': `${m.imposedBy}-${m.measure}` },
          h(
            'strong',
            {},
            `${m.imposedBy} → ${m.appliedTo.join(', ')}: ${capitalise(measureName(m.measure))}`,
          ),
          ` (${humanize(m.kind)}) `,
          m.status
            ? h('span', { class: 'badge' }, `${m.status} since ${formatInstant(m.effectiveAt)}`)
            : h('span', { class: 'badge' }, 'not in effect'),
          evidenceBadge(m.evidenceStatus),
          (m.scheduled ?? []).map((sch) =>
            h('span', { class: 'note' }, `; ${sch.action} from ${formatInstant(sch.effectiveAt)}`),
          ),
          notDecidedGroup(
            `measure-${m.imposedBy}-${m.measure}`,
            'threatened',
            m.threatened,
            tradeMeasureEntry,
            'h3',
          ),
          notDecidedGroup(
            `measure-${m.imposedBy}-${m.measure}`,
            'considered',
            m.considered,
            tradeMeasureEntry,
            'h3',
          ),
        ),
      ),
    ),
  );
}

function renderAgreements(agreements) {
  if (!agreements.length) return replace(ui.agreements, none('No agreement yet.'));
  replace(
    ui.agreements,
    collapsedList(
      'agreements',
      { class: 'items' },
      agreements.map((a) =>
        h(
          'li',
          {},
          h('strong', {}, `${formatDay(a.at)}, ${a.parties.join(' and ')}`),
          ': ',
          a.summary,
          a.terms.length
            ? h(
                'ul',
                {},
                a.terms.map((t) => h('li', {}, t)),
              )
            : '',
        ),
      ),
    ),
  );
}

// ---- charts -------------------------------------------------------------------------------------

/** A large negotiation's charts are asked for when they are scrolled to. */
const chartObserver = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    chartObserver.unobserve(entry.target);
    loadHistory(entry.target.getAttribute('data-chart'));
  }
});

async function loadHistory(key) {
  const { id, knownAt, minEvidence } = view;
  if (!key || view.histories.has(key)) return;
  const [imposedBy, appliedTo] = key.split('-');
  view.histories.set(key, undefined);
  let points = null;
  try {
    points = await api.getTariffHistory(id, imposedBy, appliedTo, { knownAt, minEvidence });
  } catch {
    points = null;
  }
  if (view.id !== id || view.knownAt !== knownAt || view.minEvidence !== minEvidence) return;
  view.histories.set(key, points);
  drawCharts();
}

async function loadHistories() {
  if (isLarge()) return drawCharts();
  const { id, knownAt, minEvidence } = view;
  const current = () =>
    view.id === id && view.knownAt === knownAt && view.minEvidence === minEvidence;
  await Promise.all(
    view.pairs.map(async (pair) => {
      const key = `${pair.imposedBy}-${pair.appliedTo}`;
      try {
        const points = await api.getTariffHistory(id, pair.imposedBy, pair.appliedTo, {
          knownAt,
          minEvidence,
        });
        if (current()) view.histories.set(key, points);
      } catch {
        if (current()) view.histories.set(key, null);
      }
    }),
  );
  drawCharts();
}

function drawCharts() {
  chartObserver.disconnect();
  for (const slot of ui.tariffs.querySelectorAll('[data-chart]')) {
    const key = slot.getAttribute('data-chart');
    if (!view.histories.has(key)) {
      if (isLarge()) chartObserver.observe(slot);
      continue;
    }
    const points = view.histories.get(key);
    if (points === undefined) continue;
    const [imposedBy, appliedTo] = key.split('-');
    if (points === null) {
      replace(slot, h('p', { class: 'empty' }, 'Chart unavailable.'));
      continue;
    }
    const focus = focusWithin(slot.closest('[data-pair]') ?? slot);
    const figure = stepChart(points, {
      id: `chart-${key}`,
      title: `Total tariff of ${partyName(imposedBy)} on ${partyName(appliedTo)} over time`,
      startMs: dayMs(view.startDay),
      endMs: dayMs(view.endDay) + 86_399_999,
      asOfMs: Date.parse(endOfDay(view.asOf)),
      width: slot.clientWidth,
    });
    // A chart's data table opened stays open when the day changes.
    const details = figure.querySelector('details');
    if (details) {
      details.open = view.openTables.has(key);
      details.addEventListener('toggle', () => {
        if (details.open) view.openTables.add(key);
        else view.openTables.delete(key);
      });
    }
    replace(slot, figure);
    restoreFocus(ui.tariffs, focus);
  }
}

// ---- the timeline -------------------------------------------------------------------------------

function renderTimeline() {
  if (!view.logLoaded) {
    ui.more.hidden = true;
    return replace(
      ui.timeline,
      h(
        'li',
        { class: 'empty' },
        h(
          'button',
          { type: 'button', id: 'load-developments', onclick: () => ensureLog() },
          `Show the developments (${view.summary?.eventCount ?? 0} recorded)`,
        ),
      ),
    );
  }
  const until = endOfDay(view.asOf);
  const retractions = new Map(
    view.log.filter((d) => d.type === 'DevelopmentRetracted').map((d) => [d.data.targetEventId, d]),
  );
  const byId = new Map(view.log.map((d) => [d.eventId, d]));
  const upToDay = view.log.filter((d) => d.occurredAt <= until).reverse();
  const shown = upToDay.slice(0, view.shown);
  replace(
    ui.timeline,
    shown.length
      ? shown.map((d) => developmentItem(d, retractions.get(d.eventId), byId))
      : h('li', { class: 'empty' }, 'Nothing yet on this day.'),
  );
  ui.more.hidden = upToDay.length <= view.shown;
}

/** Whether the evidence filter leaves this report out of the state (it stays in the timeline). */
function leftOut(d) {
  if (!view.minEvidence || ALWAYS_FOLDED.has(d.type)) return false;
  const status = d.evidence?.status;
  return status !== undefined && (EVIDENCE_RANK[status] ?? 0) < EVIDENCE_RANK[view.minEvidence];
}

function developmentItem(d, retraction, byId) {
  const detail = describeDevelopment(d, partyName);
  const summary = d.summary ?? detail;
  const source = d.source ?? {};
  const sourceName = source.name ?? (source.url ? new URL(source.url).hostname : null);
  const modality = modalityLabel(d.modality);
  const excluded = leftOut(d);
  const target = d.data?.targetEventId ? byId.get(d.data.targetEventId) : undefined;
  return h(
    'li',
    {
      class: `development type-${d.type}${d.retracted ? ' retracted' : ''}${
        excluded ? ' left-out' : ''
      }${d.modality ? ` modality-${d.modality}` : ''}`,
      'data-event-id': d.eventId,
      'data-type': d.type,
    },
    h(
      'div',
      { class: 'when' },
      h(
        'time',
        {
          datetime: occurredDatetime(d.occurredAt, d.occurredPrecision),
          'data-precision': d.occurredPrecision ?? 'instant',
        },
        formatOccurred(d.occurredAt, d.occurredPrecision),
      ),
      h('span', { class: 'type' }, typeLabel(d.type)),
      dayOf(d.occurredAt) !== view.asOf
        ? h(
            'button',
            {
              type: 'button',
              class: 'go-to-day link-button',
              'aria-label': `Go to ${formatDay(d.occurredAt)}`,
              onclick: () => setAsOf(dayOf(d.occurredAt)),
            },
            'Go to this day',
          )
        : '',
      modality ? h('span', { class: `badge modality modality-${d.modality}` }, modality) : '',
    ),
    h(
      'p',
      { class: 'summary' },
      d.retracted ? h('span', { class: 'visually-hidden' }, 'Retracted report: ') : '',
      d.retracted ? h('del', {}, summary) : summary,
    ),
    d.summary && detail !== d.summary
      ? h('p', { class: 'detail' }, d.retracted ? h('del', {}, detail) : detail)
      : '',
    target && target.type !== 'NegotiationOpened'
      ? h(
          'p',
          { class: 'target' },
          `About: ${target.summary ?? describeDevelopment(target, partyName)} (${formatOccurred(
            target.occurredAt,
            target.occurredPrecision,
          )})`,
        )
      : '',
    h(
      'p',
      { class: 'source' },
      'Source: ',
      sourceName
        ? source.url
          ? h('a', { href: source.url, rel: 'noopener noreferrer' }, sourceName)
          : sourceName
        : 'not given',
      source.via ? h('span', { class: 'via' }, `, citing ${source.via}`) : '',
      source.attribution
        ? h('span', { class: 'attribution' }, ` · ${attributionLabel(source.attribution)}`)
        : '',
      d.reportedAt
        ? h('span', { class: 'reported' }, ` · reported ${formatInstant(d.reportedAt)}`)
        : '',
      h(
        'span',
        { class: 'recorded', 'data-revision': d.revision },
        ` · recorded ${formatMoment(d.recordedAt)} (revision ${d.revision})`,
      ),
    ),
    evidenceLine(d),
    excluded
      ? h(
          'p',
          { class: 'left-out-note' },
          `Not counted in the state: only ${view.minEvidence} reports are counted.`,
        )
      : '',
    d.retracted && retraction
      ? h(
          'p',
          { class: 'retraction-note' },
          `Retracted (${formatDay(retraction.occurredAt)}): ${retraction.data.reason}`,
        )
      : '',
  );
}

/** One development in a short list: its date as precisely as known, and what it says. */
const developmentLine = (d) =>
  h(
    'li',
    {},
    h(
      'time',
      { datetime: occurredDatetime(d.occurredAt, d.occurredPrecision) },
      formatOccurred(d.occurredAt, d.occurredPrecision),
    ),
    ': ',
    d.summary ?? describeDevelopment(d, partyName),
  );

/**
 * How well a report is supported, as known at the chosen perspective (contract v1.1, Evidence):
 * its status, its originating sources, and who confirmed or disputed it. Only for reports that
 * carry it; confirmations, disputes and retractions are judgements of reports, not reports.
 */
function evidenceLine(d) {
  const evidence = d.evidence;
  if (JUDGEMENTS.has(d.type)) return '';
  if (!evidence || typeof evidence !== 'object' || !evidence.status) return '';
  const sources = evidence.sources ?? [];
  const confirmedBy = evidence.confirmedBy ?? [];
  const disputedBy = evidence.disputedBy ?? [];
  return h(
    'p',
    { class: 'evidence', 'data-evidence': evidence.status },
    h('span', { class: `badge evidence-${evidence.status}` }, evidenceLabel(evidence.status)),
    sources.length
      ? h(
          'span',
          { class: 'evidence-sources' },
          ` · ${sources.length === 1 ? 'source' : `${sources.length} sources`}: ${sources.join(', ')}`,
        )
      : '',
    confirmedBy.length
      ? h(
          'span',
          { class: 'confirmed-by' },
          ` · confirmed by ${confirmedBy.map(partyName).join(', ')}`,
        )
      : '',
    disputedBy.length
      ? h(
          'span',
          { class: 'disputed-by' },
          ` · disputed by ${disputedBy.map(partyName).join(', ')}`,
        )
      : '',
  );
}

// ---- since you last looked -----------------------------------------------------------------------

async function showSinceLastVisit(id) {
  let previous = null;
  const now = new Date().toISOString();
  try {
    // A reload in the same browser session keeps the visit it compares with (sessionStorage),
    // instead of comparing with the load a moment before.
    previous = sessionStorage.getItem(SINCE_KEY(id)) ?? localStorage.getItem(LAST_VISIT_KEY(id));
    if (previous) sessionStorage.setItem(SINCE_KEY(id), previous);
    localStorage.setItem(LAST_VISIT_KEY(id), now);
  } catch {
    // storage disabled: no memory of visits
  }
  view.lastVisit = previous && !Number.isNaN(Date.parse(previous)) ? previous : null;
  view.thisVisit = now;
  await renderSince();
}

/** What changed between the last visit and this one, counting the reports the evidence filter counts. */
async function renderSince() {
  const { id, lastVisit: previous, thisVisit: now, minEvidence } = view;
  ui.since.hidden = false;
  if (!previous) {
    return replace(
      ui.sinceBody,
      h(
        'p',
        {},
        'This is your first visit to this negotiation in this browser. Next time, what changed meanwhile shows here.',
      ),
    );
  }
  const parts = [h('p', { class: 'last-visit' }, `Your last visit: ${formatMoment(previous)}.`)];
  try {
    const changes = await api.getChanges(id, previous, now, { minEvidence });
    if (view.id !== id || view.minEvidence !== minEvidence) return;
    parts.push(...describeChanges(changes));
  } catch (error) {
    parts.push(
      h('p', { class: 'empty' }, `What happened since could not be loaded (${error.message}).`),
    );
  }
  const late = view.log.filter((d) => d.recordedAt > previous && d.occurredAt <= previous);
  if (late.length) {
    parts.push(
      h('h3', {}, `Recorded since, about earlier dates (${late.length})`),
      h(
        'ul',
        { class: 'items late' },
        late
          .slice(-20)
          .reverse()
          .map(developmentLine),
      ),
    );
  }
  replace(ui.sinceBody, parts);
}

function describeChanges(changes) {
  const out = [];
  const items = [];
  for (const t of changes.tariffs ?? []) {
    const pair = `${partyName(t.imposedBy)} on ${partyName(t.appliedTo)}`;
    if (t.before !== t.after) items.push(`${pair}: ${percent(t.before)} → ${percent(t.after)}`);
    items.push(
      ...notDecidedChanges(
        t,
        (e) => `${pair}: ${measureName(e.measure)} ${percent(e.rate)}${from(e.effectiveAt)}`,
      ),
    );
  }
  if (changes.talks && changes.talks.before !== changes.talks.after)
    items.push(`Talks: ${humanize(changes.talks.before)} → ${humanize(changes.talks.after)}`);
  for (const p of changes.proposals?.opened ?? [])
    items.push(`New proposal by ${partyName(p.by)}: ${p.summary}`);
  for (const p of changes.proposals?.closed ?? [])
    items.push(`Proposal closed (${humanize(p.status)}): ${p.summary}`);
  for (const p of changes.proposals?.considered?.appeared ?? [])
    items.push(`Now under consideration, by ${partyName(p.by)}: ${p.summary}`);
  for (const m of changes.tradeMeasures ?? []) {
    if (m.before !== m.after)
      items.push(
        `${capitalise(measureName(m.measure))}: ${m.before ?? 'none'} → ${m.after ?? 'none'}`,
      );
    items.push(
      ...notDecidedChanges(
        m,
        (e) => `${measureName(m.measure)} ${humanize(e.action)}${from(e.effectiveAt)}`,
      ),
    );
  }
  for (const st of changes.stances ?? [])
    items.push(`${partyName(st.party)}’s stance: ${st.before ?? 'none'} → ${st.after ?? 'none'}`);
  for (const d of changes.demands?.made ?? [])
    items.push(`Demand by ${partyName(d.by)}: ${d.summary}`);
  for (const d of changes.demands?.resolved ?? []) items.push(`Demand resolved: ${d.summary}`);
  const count = changes.developments?.length ?? 0;
  out.push(
    h(
      'p',
      {},
      count
        ? `${count} development${count === 1 ? '' : 's'} happened since.`
        : 'Nothing has happened since, as far as is recorded.',
    ),
  );
  // The developments themselves, latest first, not only their number.
  if (count)
    out.push(
      ...[].concat(
        collapsedList(
          'since-developments',
          { class: 'items since-developments' },
          [...changes.developments]
            .reverse()
            .map(developmentLine),
          'developments',
          () => renderSince(),
        ),
      ),
    );
  if (items.length)
    out.push(
      h(
        'ul',
        { class: 'items changes' },
        items.map((text) => h('li', {}, text)),
      ),
    );
  return out;
}

/** Threats and options that appeared or went in the range (contract v1.1, /changes). */
function notDecidedChanges(item, say) {
  return [
    ...(item.threatened?.appeared ?? []).map((e) => `New threat: ${say(e)}`),
    ...(item.threatened?.went ?? []).map((e) => `Threat no longer standing: ${say(e)}`),
    ...(item.considered?.appeared ?? []).map((e) => `Now under consideration: ${say(e)}`),
    ...(item.considered?.went ?? []).map((e) => `No longer under consideration: ${say(e)}`),
  ];
}

const from = (effectiveAt) => (effectiveAt ? ` from ${formatInstant(effectiveAt)}` : '');

// ---- small things ----------------------------------------------------------------------------------

/** `2025-12-01T12:00:00.991Z` → `2025-12-01T12:00:00.991`, the value the datetime-local field shows, in UTC to the millisecond. */
const toUtcInput = (instant) => new Date(instant).toISOString().slice(0, 23).replace('T', ' ');

/** `2025-12-01 12:00:00.991` (or with `T`, seconds and milliseconds optional, `Z` or `UTC` allowed) → an instant, read in UTC; null if not one. */
function fromUtcInput(text) {
  const match =
    /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)\s*(?:Z|UTC)?$/i.exec(
      text.trim(),
    );
  const at = match ? new Date(`${match[1]}T${match[2]}Z`) : null;
  return at && !Number.isNaN(at.getTime()) ? at.toISOString() : null;
}

function showNotice(text) {
  ui.notice.textContent = text;
  ui.notice.hidden = false;
}

function hideNotice() {
  ui.notice.hidden = true;
}

// Recorded from the page (web/assets/record.js): the log again and the state with it; a page on
// the latest day (today, within the span) stays on it. record.js waits for it before saying it is done.
document.addEventListener('parley:recorded', (event) => event.detail?.waits?.push(showRecorded()));

async function showRecorded() {
  if (!view.id) return;
  const atLatest = view.asOf === latestDay();
  view.summary = await api.getNegotiation(view.id);
  view.histories = new Map();
  await loadLog();
  setAsOf(atLatest ? latestDay() : view.asOf, { fetch: false });
  await Promise.all([refresh(), loadHistories()]);
}

start();
