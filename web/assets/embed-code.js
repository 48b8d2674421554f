// The embeddable chart's addresses (README, "Embedding a chart"): the iframe code the timeline
// page offers under each pair's chart, and the way back from the embed to the timeline page.

import { h } from './dom.js';

/** The pair the address asked for (`#pair-US-CN-heading`), read before the page rewrites its address. */
const wantedPair = location.hash;
let scrolledToPair = false;

/**
 * The timeline page at a pair and day: `/?negotiation=…&asOf=DAY` (or `effectiveOn=DAY`),
 * the product if any, and the pair's heading as the fragment.
 */
export function timelineAddress({ negotiation, imposedBy, appliedTo, basis, day, product }) {
  const params = new URLSearchParams({ negotiation });
  if (day) params.set(basis === 'effectiveOn' ? 'effectiveOn' : 'asOf', day);
  if (product) params.set('product', product);
  return `/?${params}#pair-${imposedBy}-${appliedTo}-heading`;
}

/**
 * The embed's address for what the page shows: the pair, the product, and the chosen day, as
 * `to` (the chart ends on that day) or, when the page reads tariffs as goods entered that day owe,
 * `effectiveOn` (the chart runs to the day it is read, the lines are those finally owed that day).
 */
export function embedAddress({ negotiation, imposedBy, appliedTo, basis, day, product }) {
  const params = new URLSearchParams({ imposedBy, appliedTo });
  if (product) params.set('product', product);
  if (day) params.set(basis === 'effectiveOn' ? 'effectiveOn' : 'to', day);
  return `${location.origin}/embed/negotiations/${encodeURIComponent(negotiation)}/tariffs?${params}`;
}

const escapeAttribute = (text) =>
  String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The HTML to paste into an article. */
export function iframeCode(options) {
  const title = `Tariff chart: ${options.pairName} (Parley)`;
  return (
    `<iframe src="${escapeAttribute(embedAddress(options))}" title="${escapeAttribute(title)}"` +
    ` width="100%" height="400" style="border:0" loading="lazy"></iframe>`
  );
}

/**
 * "Embed this chart", under a pair's chart on the timeline page: the iframe code, read-only, and
 * a button to copy it. `pairName`: "United States on China".
 */
export function embedCode(options) {
  const key = `${options.imposedBy}-${options.appliedTo}`;
  const id = `embed-code-${key}`;
  const code = iframeCode(options);
  const said = h('span', { class: 'hint', role: 'status' });
  const field = h('textarea', {
    id,
    class: 'embed-code-text',
    rows: 4,
    readonly: true,
    spellcheck: 'false',
    'aria-describedby': `${id}-hint`,
  });
  field.value = code;
  const copy = async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(code);
      said.textContent = 'Copied.';
    } catch {
      // Without clipboard access (an insecure origin, a refusal) the code stays selected to copy.
      said.textContent = 'Selected: copy it with Ctrl+C (⌘C).';
    }
  };
  if (!scrolledToPair && wantedPair === `#pair-${key}-heading`) {
    scrolledToPair = true;
    requestAnimationFrame(() => document.getElementById(`pair-${key}-heading`)?.scrollIntoView());
  }
  return h(
    'details',
    { class: 'embed-code', 'data-embed': key },
    h('summary', {}, 'Embed this chart'),
    h('label', { for: id }, 'Code to paste into a web page'),
    field,
    h(
      'p',
      { class: 'hint', id: `${id}-hint` },
      options.basis === 'effectiveOn'
        ? 'The chart up to the day it is read, marked on the chosen day, with the lines goods entering that day owe, as finally decided.'
        : 'The chart up to the chosen day. Without “&to=…” it runs up to the day it is read.',
    ),
    h('button', { type: 'button', onclick: copy }, 'Copy the code'),
    ' ',
    said,
  );
}
