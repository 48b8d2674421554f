// The search box (issue 16): GET /search or GET /negotiations/:id/search, results listed with the
// words found marked (<mark>, from the answer's offsets, text never parsed as HTML), each a link
// that opens the page on its negotiation at the day it occurred, where it heads the timeline.

import { ApiError, get } from './api.js';
import { h, replace } from './dom.js';
import { dayOf, formatOccurred, typeLabel } from './format.js';

const PAGE = 20;

/** What each searched field is, in words. */
const FIELD_LABELS = {
  summary: 'Summary',
  'source.name': 'Source',
  'source.via': 'Via',
  'data.summary': 'Summary',
  'data.quote': 'Quote',
  'data.speaker': 'Speaker',
  'data.role': 'Role',
  'data.note': 'Note',
  'data.reason': 'Reason',
  'data.terms': 'Terms',
  'data.title': 'Title',
  'data.description': 'Description',
  'data.venue': 'Venue',
};
const fieldLabel = (path) =>
  FIELD_LABELS[path.replace(/\.\d+(?=\.|$)/g, '')] ??
  path.replace(/^data\./, '').replace(/\.\d+/g, '');

const ui = {
  form: document.getElementById('search-form'),
  q: document.getElementById('search-q'),
  scope: document.getElementById('search-scope'),
  retracted: document.getElementById('search-retracted'),
  error: document.getElementById('search-error'),
  panel: document.getElementById('search-panel'),
  status: document.getElementById('search-status'),
  results: document.getElementById('search-results'),
  more: document.getElementById('search-more'),
  close: document.getElementById('search-close'),
  negotiation: document.getElementById('negotiation'),
};

let current = null; // { path, query, nextCursor, shown }
/** Negotiation titles by id, for results across negotiations (asked once). */
let titles = null;

/** The snippet with each highlighted range in <mark>. */
function marked({ snippet, highlights }) {
  const parts = [];
  let at = 0;
  for (const { start, end } of highlights) {
    if (start < at) continue;
    parts.push(snippet.slice(at, start), h('mark', {}, snippet.slice(start, end)));
    at = end;
  }
  parts.push(snippet.slice(at));
  return parts;
}

function openHref(hit) {
  const params = new URLSearchParams({
    negotiation: hit.negotiationId,
    asOf: dayOf(hit.development.occurredAt),
    development: hit.development.eventId,
  });
  return `/?${params}`;
}

function renderHit(hit, across) {
  const d = hit.development;
  const when = formatOccurred(d.occurredAt, d.occurredPrecision);
  const title = `${typeLabel(d.type)}, ${when}`;
  return h(
    'li',
    { class: d.retracted ? 'search-hit retracted' : 'search-hit' },
    h(
      'a',
      { href: openHref(hit), class: 'search-open' },
      title,
      across ? ` (${titles?.get(hit.negotiationId) ?? hit.negotiationId})` : '',
    ),
    d.retracted ? h('span', { class: 'badge' }, ' retracted') : '',
    h(
      'dl',
      { class: 'search-matches' },
      hit.matches.flatMap((match) => [
        h('dt', {}, fieldLabel(match.field)),
        h('dd', {}, ...marked(match)),
      ]),
    ),
  );
}

function say(text) {
  ui.status.textContent = text;
}

function showError(error) {
  const fields = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  const onQ = fields.filter((e) => e.path === 'q').map((e) => e.message);
  if (onQ.length) {
    ui.error.textContent = onQ.join(' ');
    ui.q.setAttribute('aria-invalid', 'true');
    ui.panel.hidden = ui.results.children.length === 0;
    ui.q.focus();
  } else {
    say(`The search failed: ${error.message}`);
  }
}

async function fetchPage() {
  const page = await get(current.path, { ...current.query, cursor: current.nextCursor });
  current.nextCursor = page.nextCursor;
  current.shown += page.items.length;
  const across = current.path === '/search';
  if (across && !titles) {
    titles = new Map((await get('/negotiations')).map((n) => [n.id, n.title]));
  }
  ui.results.append(...page.items.map((hit) => renderHit(hit, across)));
  const where = across ? 'in every negotiation' : 'in this negotiation';
  say(
    page.total === 0
      ? `No development matches “${current.query.q}” ${where}.`
      : `${page.total} ${page.total === 1 ? 'development matches' : 'developments match'} “${current.query.q}” ${where}, best first${current.shown < page.total ? `; ${current.shown} shown` : ''}.`,
  );
  ui.more.hidden = !page.nextCursor;
}

async function search(event) {
  event.preventDefault();
  const q = ui.q.value.trim();
  ui.error.textContent = '';
  ui.q.removeAttribute('aria-invalid');
  if (!q) {
    ui.error.textContent = 'Type a word to search for.';
    ui.q.setAttribute('aria-invalid', 'true');
    ui.q.focus();
    return;
  }
  const within = ui.scope.value === 'this' && ui.negotiation.value;
  current = {
    path: within ? `/negotiations/${encodeURIComponent(ui.negotiation.value)}/search` : '/search',
    query: { q, limit: PAGE, includeRetracted: ui.retracted.checked ? 'true' : undefined },
    nextCursor: null,
    shown: 0,
  };
  replace(ui.results);
  ui.panel.hidden = false;
  say('Searching…');
  try {
    await fetchPage();
  } catch (error) {
    showError(error);
  }
}

async function more() {
  const first = ui.results.children.length;
  try {
    await fetchPage();
    ui.results.children[first]?.querySelector('a')?.focus();
  } catch (error) {
    showError(error);
  }
}

if (ui.form) {
  ui.form.addEventListener('submit', search);
  ui.more.addEventListener('click', more);
  ui.close.addEventListener('click', () => {
    ui.panel.hidden = true;
    ui.q.focus();
  });
}

// A result opened: the page was opened at its day with `development=<eventId>` in the address.
// Once the timeline lists it, it is marked and focused (app.js re-renders the timeline as the
// day's answers arrive: it is marked again each time, until the reader does something).
const opened = new URLSearchParams(location.search).get('development');
const timeline = document.getElementById('timeline');
if (opened && timeline) {
  let focused = false;
  const observer = new MutationObserver(() => mark());
  const stop = () => observer.disconnect();
  function mark() {
    const item = timeline.querySelector(`[data-event-id="${CSS.escape(opened)}"]`);
    if (!item) return;
    item.classList.add('search-opened');
    item.setAttribute('tabindex', '-1');
    if (!focused || document.activeElement === document.body) {
      focused = true;
      item.focus({ preventScroll: true });
      item.scrollIntoView({ block: 'center' });
    }
  }
  observer.observe(timeline, { childList: true });
  mark();
  for (const type of ['keydown', 'pointerdown']) addEventListener(type, stop, { once: true });
  setTimeout(stop, 15_000);
}
