// The forms of record.js, loaded when first used: open a negotiation, record a development of any
// type through a form built from the API's schema (schema-form.js), and, from a development in
// the timeline, retract, confirm, dispute or correct it. Writes carry the API key the page asked
// for, kept for this browser session only. When something is recorded the page is told
// ('parley:recorded') and shows the new state.

import { ApiError, getLog } from './api.js';
import { h, replace } from './dom.js';
import { describeDevelopment, typeLabel } from './format.js';
import {
  clearErrors,
  developmentTypes,
  envelopeForm,
  fieldFor,
  openApi,
  resolve,
  showErrors,
} from './schema-form.js';

const $ = (id) => document.getElementById(id);
const KEY_STORE = 'parley:api-key';
const FLASH_STORE = 'parley:recorded-flash';

export { openApi };

/** The live regions record.js made: `status` in the panel, `timelineStatus` above the timeline. */
const ui = {};
export const setUp = (elements) => Object.assign(ui, elements);

const negotiationSelect = $('negotiation');
const currentNegotiation = () => negotiationSelect?.value || null;
const today = () => new Date().toISOString().slice(0, 10);

// ---- writing, with the key when the server asks for one -------------------------------------------

class Cancelled extends Error {}

function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORE);
  } catch {
    return null;
  }
}

/**
 * POSTs `body` as JSON. A 401 or 403 asks for the key (once: it is kept in sessionStorage for this
 * browser session) and sends again with `Authorization: Bearer`. Throws ApiError on a refusal,
 * Cancelled when the person gives no key.
 */
async function post(path, body) {
  for (;;) {
    const key = storedKey();
    const response = await fetch(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let answer = null;
    try {
      answer = text ? JSON.parse(text) : null;
    } catch {
      answer = { detail: text };
    }
    if (response.status === 401 || response.status === 403) {
      const entered = await askForKey(
        key
          ? response.status === 403
            ? 'The server refused that key for recording. Enter a key that may record (API_KEY).'
            : 'The server did not take that key. Enter it again.'
          : null,
      );
      if (!entered) throw new Cancelled('No key given: nothing was recorded.');
      try {
        sessionStorage.setItem(KEY_STORE, entered);
      } catch {
        throw new Cancelled('This browser keeps no session storage: the key cannot be kept.');
      }
      continue;
    }
    if (!response.ok) throw new ApiError(response.status, answer);
    return answer;
  }
}

/** The key dialog; resolves with the key typed, or null when cancelled. */
function askForKey(refusal) {
  const dialog = keyDialog();
  const input = dialog.querySelector('input');
  const error = dialog.querySelector('.field-error');
  input.value = '';
  error.textContent = refusal ?? '';
  if (refusal) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  return new Promise((resolvePromise) => {
    const form = dialog.querySelector('form');
    const finish = (value) => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      resolvePromise(value);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) {
        error.textContent = 'Enter the key, or cancel.';
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      finish(key);
    };
    const onClose = () => finish(null);
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', onClose);
    dialog.querySelector('[data-cancel]').onclick = () => finish(null);
    dialog.showModal();
    input.focus();
  });
}

let keyDialogElement = null;
function keyDialog() {
  if (keyDialogElement) return keyDialogElement;
  keyDialogElement = h(
    'dialog',
    {
      id: 'key-dialog',
      class: 'dialog',
      'aria-labelledby': 'key-heading',
      'aria-describedby': 'key-why',
    },
    h(
      'form',
      { novalidate: true },
      h('h2', { id: 'key-heading' }, 'A key is needed to record'),
      h(
        'p',
        { id: 'key-why', class: 'hint' },
        'This server records only with a key (its API_KEY). The page keeps it for this browser session only, and sends it with each recording.',
      ),
      h('label', { for: 'api-key' }, 'API key'),
      h('input', {
        id: 'api-key',
        name: 'api-key',
        type: 'password',
        autocomplete: 'off',
        spellcheck: 'false',
        'aria-describedby': 'api-key-error',
      }),
      h('p', { id: 'api-key-error', class: 'field-error' }),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit' }, 'Use this key'),
        h('button', { type: 'button', 'data-cancel': true }, 'Cancel'),
      ),
    ),
  );
  document.body.append(keyDialogElement);
  return keyDialogElement;
}

// ---- telling the page ----------------------------------------------------------------------------

/** Tells the page something was recorded, and waits until it shows the new state. */
async function recorded() {
  const event = new CustomEvent('parley:recorded', { detail: { waits: [] } });
  document.dispatchEvent(event);
  await Promise.allSettled(event.detail.waits);
}

/** What a refusal says in a sentence, for the message above the form. */
function refusalText(error, fieldsTaken) {
  if (error instanceof Cancelled) return error.message;
  if (!(error instanceof ApiError)) return `Nothing was recorded: ${error.message}.`;
  const count = fieldsTaken;
  const detail = error.problem?.detail ?? `the server answered ${error.status}`;
  return count
    ? `Nothing was recorded: ${count === 1 ? 'one field needs' : `${count} fields need`} correcting (${detail}).`
    : `Nothing was recorded: ${detail}`;
}

/**
 * Shows a refusal: each error beside the field its path names, focus on the first of them (or on
 * the message when no field took one).
 */
function showRefusal(error, formMessage, parts) {
  const errors = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  const taken = [];
  const shown = new Set();
  for (const { fields, prefix } of parts) {
    const result = showErrors(fields, errors, prefix);
    taken.push(...result.fields);
    for (const e of result.shown) shown.add(e);
  }
  const left = errors.filter((e) => !shown.has(e));
  const extra = left.map((e) => `${e.path}: ${e.message}`).join('; ');
  formMessage.textContent = refusalText(error, taken.length) + (extra ? ` ${extra}` : '');
  formMessage.hidden = false;
  if (taken.length) taken[0].focus();
  else formMessage.focus();
}

// ---- open a negotiation ---------------------------------------------------------------------------

export function buildOpenForm(doc, slot) {
  const schema = resolve(doc, { $ref: '#/components/schemas/OpenNegotiationRequest' });
  const fields = new Map();
  const simple = Object.entries(schema.properties)
    .filter(([key]) => key !== 'parties')
    .map(([key, raw]) =>
      fieldFor(doc, `${key}`, key, raw, (schema.required ?? []).includes(key), fields),
    );
  const idField = fields.get('id');
  idField.element.querySelector('.hint')?.remove();
  idField.element.insertBefore(
    h(
      'p',
      { class: 'hint', id: `${idField.element.querySelector('input').id}-hint` },
      'Lowercase letters, digits and hyphens (us-china-trade); it is part of the addresses.',
    ),
    idField.element.querySelector('.field-error'),
  );
  idField.element
    .querySelector('input')
    .setAttribute(
      'aria-describedby',
      `${idField.element.querySelector('input').id}-hint ${idField.element.querySelector('input').id}-error`,
    );
  const rows = h('div', { class: 'party-rows' });
  const partiesError = h('p', { class: 'field-error', id: 'open-parties-error' });
  const partyFields = [];
  const partySchema = resolve(doc, schema.properties.parties.items);
  const addParty = () => {
    const i = partyFields.length;
    const rowFields = new Map();
    const row = fieldFor(doc, `parties[${i}]`, 'party', partySchema, i === 0, rowFields);
    row.element.querySelector('legend').textContent =
      `Party ${i + 1}${i === 0 ? ' (at least one)' : ''}`;
    for (const [path, field] of rowFields) fields.set(path, field);
    partyFields.push(row);
    rows.append(row.element);
    return row;
  };
  addParty();
  addParty();
  const partiesField = {
    path: 'parties',
    key: 'parties',
    element: null,
    read: () => partyFields.map((row) => row.read()).filter((party) => party !== undefined),
    write: () => {},
    focus: () => partyFields[0]?.focus(),
    setError: (message) => (partiesError.textContent = message ?? ''),
  };
  fields.set('parties', partiesField);
  const message = h('p', {
    class: 'form-message',
    id: 'open-message',
    tabindex: '-1',
    hidden: true,
  });
  const submit = h('button', { type: 'submit' }, 'Open the negotiation');
  const form = h(
    'form',
    {
      id: 'open-negotiation-form',
      novalidate: true,
      'aria-labelledby': 'open-details-summary',
      'aria-describedby': 'open-message',
    },
    message,
    simple.map((f) => f.element),
    h(
      'fieldset',
      { class: 'group parties', 'aria-describedby': 'open-parties-error' },
      h('legend', {}, 'Parties (required)'),
      h(
        'p',
        { class: 'hint' },
        'Code: capitals, as in the API (US, CN, EU). Name: as people say it.',
      ),
      partiesError,
      rows,
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => addParty().focus() },
        'Add a party',
      ),
    ),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields);
    message.hidden = true;
    const body = {};
    for (const f of simple) {
      const value = f.read();
      if (value !== undefined) body[f.key] = value;
    }
    body.parties = partiesField.read();
    submit.disabled = true;
    try {
      await post('/negotiations', body);
      try {
        sessionStorage.setItem(FLASH_STORE, `Opened “${body.title}” (${body.id}).`);
      } catch {
        // nothing carried over the reload
      }
      location.assign(`/?negotiation=${encodeURIComponent(body.id)}`);
    } catch (error) {
      showRefusal(error, message, [{ fields, prefix: '' }]);
    } finally {
      submit.disabled = false;
    }
  });
  replace(slot, form);
}

// ---- record a development --------------------------------------------------------------------------

export function buildRecordForm(doc, target) {
  const types = developmentTypes(doc);
  const select = h(
    'select',
    { id: 'record-type', name: 'type' },
    types.map((t) => h('option', { value: t.type }, `${t.label} (${t.type})`)),
  );
  const message = h('p', {
    class: 'form-message',
    id: 'record-message',
    tabindex: '-1',
    hidden: true,
  });
  const slot = h('div', { class: 'envelope-slot' });
  const submit = h('button', { type: 'submit', id: 'record-submit' }, 'Record');
  let form = null;
  const build = (keep) => {
    const chosen = types.find((t) => t.type === select.value) ?? types[0];
    form = envelopeForm(doc, chosen.type, chosen.schema, {
      dataLegend: `What happened: ${typeLabel(chosen.type).toLowerCase()}`,
    });
    if (keep) form.write(keep);
    replace(slot, form.element);
  };
  select.value = types.some((t) => t.type === 'TariffChanged') ? 'TariffChanged' : types[0].type;
  build({ occurredAt: today(), occurredPrecision: 'day' });
  select.addEventListener('change', () => {
    const before = form.read();
    build({
      ...before,
      occurredPrecision: before.occurredPrecision ?? 'day',
      occurredAt: before.occurredAt ?? today(),
    });
    message.hidden = true;
  });
  const element = h(
    'form',
    { id: 'record-form', novalidate: true, 'aria-labelledby': 'record-details-summary' },
    message,
    h('div', { class: 'field' }, h('label', { for: 'record-type' }, 'Type'), select),
    slot,
    submit,
  );
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form.fields);
    message.hidden = true;
    const id = currentNegotiation();
    if (!id) {
      message.textContent = 'Open a negotiation first: nothing to record it in.';
      message.hidden = false;
      message.focus();
      return;
    }
    const body = form.read();
    submit.disabled = true;
    try {
      const answer = await post(`/negotiations/${encodeURIComponent(id)}/events`, body);
      // A fresh form for the next one, from the same source.
      build({
        source: body.source,
        occurredAt: body.occurredAt,
        occurredPrecision: body.occurredPrecision ?? guessPrecision(body.occurredAt),
      });
      await recorded();
      announce(
        `Recorded: ${describeDevelopment(body)} (revision ${answer.revision}). The page shows the state with it.`,
      );
    } catch (error) {
      showRefusal(error, message, [{ fields: form.fields, prefix: '' }]);
    } finally {
      submit.disabled = false;
    }
  });
  replace(target, element);
}

/** The precision a posted occurredAt was given in, to fill the next form alike. */
function guessPrecision(at) {
  if (/^\d{4}$/.test(at ?? '')) return 'year';
  if (/^\d{4}-\d{2}$/.test(at ?? '')) return 'month';
  if (/T/.test(at ?? '')) return 'instant';
  return 'day';
}

/** Says how a recording went in a live region: the panel's, or the timeline's for what was done from it. */
function announce(text, where = ui.status) {
  where.textContent = text;
}

// ---- from a development in the timeline ------------------------------------------------------------

const ACTIONS = [
  { value: 'retract', label: 'Retract it: the report was false', type: 'DevelopmentRetracted' },
  { value: 'confirm', label: 'Confirm it', type: 'DevelopmentConfirmed' },
  { value: 'dispute', label: 'Dispute it', type: 'DevelopmentDisputed' },
  {
    value: 'correct',
    label: 'Correct it: retract it and record it as it should be, in one go',
    type: null,
  },
];

let actDialogElement = null;

export async function openActDialog(eventId, opener) {
  const negotiation = currentNegotiation();
  if (!negotiation) return;
  let target;
  let doc;
  try {
    doc = await openApi();
    target = (await getLog(negotiation)).find((d) => d.eventId === eventId);
  } catch (error) {
    announce(`Could not load that development: ${error.message}.`, ui.timelineStatus);
    return;
  }
  if (!target) return announce('That development is no longer in the log.', ui.timelineStatus);
  const types = new Map(developmentTypes(doc).map((t) => [t.type, t]));
  actDialogElement?.remove();
  const heading = h('h2', { id: 'act-heading' }, 'Act on a development');
  const about = h(
    'p',
    { class: 'about', id: 'act-about' },
    `${typeLabel(target.type)}: ${target.summary ?? describeDevelopment(target)}`,
  );
  const message = h('p', {
    class: 'form-message',
    id: 'act-message',
    tabindex: '-1',
    hidden: true,
  });
  const slot = h('div', { class: 'act-slot' });
  const radios = ACTIONS.map((action, i) =>
    h('input', {
      type: 'radio',
      name: 'act-kind',
      id: `act-${action.value}`,
      value: action.value,
      checked: i === 0,
    }),
  );
  const submit = h('button', { type: 'submit', id: 'act-submit' }, 'Record');
  let current = null;
  const build = () => {
    const action = ACTIONS.find((a) => a.value === radios.find((r) => r.checked).value);
    message.hidden = true;
    const judgement = (type, legend) =>
      envelopeForm(doc, type, types.get(type).schema, {
        fixed: { 'data.targetEventId': target.eventId },
        dataLegend: legend,
      });
    if (action.type) {
      const form = judgement(
        action.type,
        action.value === 'retract' ? 'Why it is retracted' : `Who ${action.value}s it, and how`,
      );
      form.write({ occurredAt: today(), occurredPrecision: 'day' });
      current = { action, parts: [{ form, prefix: '' }] };
      replace(slot, form.element);
    } else {
      const retraction = judgement('DevelopmentRetracted', 'Why the report is corrected');
      retraction.write({ occurredAt: today(), occurredPrecision: 'day' });
      const corrected = envelopeForm(doc, target.type, types.get(target.type).schema, {
        dataLegend: `As it should be: ${typeLabel(target.type).toLowerCase()}`,
      });
      corrected.write(target);
      current = {
        action,
        parts: [
          { form: retraction, prefix: 'events[0].' },
          { form: corrected, prefix: 'events[1].' },
        ],
      };
      replace(
        slot,
        h(
          'section',
          { class: 'part', 'aria-labelledby': 'act-retraction-heading' },
          h('h3', { id: 'act-retraction-heading' }, 'The retraction'),
          retraction.element,
        ),
        h(
          'section',
          { class: 'part', 'aria-labelledby': 'act-corrected-heading' },
          h('h3', { id: 'act-corrected-heading' }, 'The corrected development'),
          corrected.element,
        ),
      );
    }
  };
  for (const radio of radios) radio.addEventListener('change', build);
  const form = h(
    'form',
    { novalidate: true, method: 'dialog' },
    heading,
    about,
    message,
    h(
      'fieldset',
      { class: 'group act-kind' },
      h('legend', {}, 'What to record'),
      ACTIONS.map((action, i) =>
        h('div', { class: 'check' }, radios[i], h('label', { for: radios[i].id }, action.label)),
      ),
    ),
    slot,
    h(
      'div',
      { class: 'buttons' },
      submit,
      h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
    ),
  );
  const dialog = h(
    'dialog',
    {
      id: 'act-dialog',
      class: 'dialog',
      'aria-labelledby': 'act-heading',
      'aria-describedby': 'act-about',
    },
    form,
  );
  actDialogElement = dialog;
  build();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const part of current.parts) clearErrors(part.form.fields);
    message.hidden = true;
    const { action, parts } = current;
    submit.disabled = true;
    try {
      let answer;
      if (parts.length === 1) {
        answer = await post(
          `/negotiations/${encodeURIComponent(negotiation)}/events`,
          parts[0].form.read(),
        );
      } else {
        // One batch: the retraction and the corrected development are recorded together or not at all.
        answer = await post(`/negotiations/${encodeURIComponent(negotiation)}/events/batch`, {
          events: parts.map((part) => part.form.read()),
        });
      }
      dialog.close();
      await recorded();
      const done = {
        retract: 'Retracted',
        confirm: 'Confirmed',
        dispute: 'Disputed',
        correct: 'Corrected',
      }[action.value];
      announce(
        `${done}: ${target.summary ?? describeDevelopment(target)} (revision ${answer.revision}). The page shows the state with it.`,
        ui.timelineStatus,
      );
      // Back where it was done: the development, as the timeline now shows it.
      const item = $('timeline').querySelector(`li[data-event-id="${CSS.escape(target.eventId)}"]`);
      if (item) {
        item.setAttribute('tabindex', '-1');
        item.focus();
      } else ui.timelineStatus.focus();
    } catch (error) {
      showRefusal(
        error,
        message,
        parts.map((part) => ({ fields: part.form.fields, prefix: part.prefix })),
      );
    } finally {
      submit.disabled = false;
    }
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (actDialogElement === dialog) actDialogElement = null;
    if (opener?.isConnected && document.activeElement === document.body) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  radios[0].focus();
}
