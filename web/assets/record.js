// Recording from the page, as the page first loads it: the Record panel's two disclosures and a
// button on each development of the timeline. The forms (record-forms.js, schema-form.js) and
// the API description they are built from are loaded when first used, not with the page.

import { h, replace } from './dom.js';
import { typeLabel } from './format.js';

const $ = (id) => document.getElementById(id);
const FLASH_STORE = 'parley:recorded-flash';
/** Judgements of a report: they are retracted, not confirmed or corrected. */
const JUDGEMENTS = new Set(['DevelopmentRetracted', 'DevelopmentConfirmed', 'DevelopmentDisputed']);

const panel = $('record');
const ui = {};

let formsModule = null;
/** The forms, loaded once, told where to say how a recording went. */
function forms() {
  formsModule ??= import('./record-forms.js').then((m) => {
    m.setUp(ui);
    return m;
  });
  formsModule.catch(() => (formsModule = null));
  return formsModule;
}

// ---- the panel -------------------------------------------------------------------------------------

async function start() {
  if (!panel) return;
  ui.status = h('p', {
    id: 'record-status',
    class: 'status record-status',
    role: 'status',
    tabindex: '-1',
  });
  // Built when first opened: the page's first load does not fetch the API description.
  ui.openSlot = h('div', { class: 'slot' });
  ui.recordSlot = h('div', { class: 'slot' });
  const openDetails = lazyDetails(
    'open-details',
    'Open a negotiation',
    ui.openSlot,
    'buildOpenForm',
  );
  const recordDetails = lazyDetails(
    'record-details',
    'Record a development',
    ui.recordSlot,
    'buildRecordForm',
  );
  replace(
    panel,
    h('h2', { id: 'record-heading' }, 'Record'),
    h(
      'p',
      { class: 'hint' },
      'Record what happened, with its source; the API checks it and says beside each field what is wrong. Nothing is recorded unless all of it is accepted.',
    ),
    ui.status,
    openDetails,
    recordDetails,
  );
  try {
    const flash = sessionStorage.getItem(FLASH_STORE);
    if (flash) {
      sessionStorage.removeItem(FLASH_STORE);
      ui.status.textContent = flash;
    }
  } catch {
    // no session storage: no message carried over the reload
  }
  watchTimeline();
}

/** A disclosure whose content is built from the API description the first time it is opened. */
function lazyDetails(id, title, slot, build) {
  let built = false;
  const details = h(
    'details',
    { id, class: 'record-part' },
    h('summary', { id: `${id}-summary` }, title),
    slot,
  );
  details.addEventListener('toggle', async () => {
    if (!details.open || built) return;
    built = true;
    replace(slot, h('p', { class: 'hint' }, 'Loading the form…'));
    try {
      const m = await forms();
      m[build](await m.openApi(), slot);
    } catch (error) {
      built = false;
      replace(
        slot,
        h('p', { class: 'form-message' }, `The form could not be built: ${error.message}.`),
      );
    }
  });
  return details;
}

// ---- from a development in the timeline ------------------------------------------------------------

/** Adds an "act on it" button to each development in the timeline, as the page draws it. */
function watchTimeline() {
  const timeline = $('timeline');
  if (!timeline) return;
  // What was done from the timeline is said above it, where it was done.
  ui.timelineStatus = h('p', {
    id: 'timeline-record-status',
    class: 'status record-status',
    role: 'status',
    tabindex: '-1',
  });
  timeline.before(ui.timelineStatus);
  const decorate = () => {
    for (const item of timeline.querySelectorAll('li.development[data-event-id]')) {
      if (item.querySelector(':scope > .act')) continue;
      const type = item.getAttribute('data-type');
      if (
        type === 'NegotiationOpened' ||
        JUDGEMENTS.has(type) ||
        item.classList.contains('retracted')
      )
        continue;
      const summary = item.querySelector('.summary')?.textContent ?? typeLabel(type);
      item.append(
        h(
          'p',
          { class: 'act' },
          h(
            'button',
            {
              type: 'button',
              class: 'secondary act-button',
              'aria-label': `Retract, confirm, dispute or correct: ${summary}`,
              onclick: async (event) => {
                const opener = event.currentTarget;
                try {
                  (await forms()).openActDialog(item.getAttribute('data-event-id'), opener);
                } catch (error) {
                  ui.timelineStatus.textContent = `Recording is unavailable: ${error.message}.`;
                }
              },
            },
            'Retract, confirm, dispute or correct…',
          ),
        ),
      );
    }
  };
  new MutationObserver(decorate).observe(timeline, { childList: true });
  decorate();
}

start();
