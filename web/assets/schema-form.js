// Forms built at run time from the API's own OpenAPI document (GET /docs-json), whose request
// envelopes come from the development types' registry (libs/domain/src/developments): one builder
// for every type, so a type added there gets its form here with no change to the page.

import { h } from './dom.js';
import { typeLabel } from './format.js';

let documentRequest = null;

/** The served OpenAPI document, fetched once. */
export function openApi() {
  documentRequest ??= fetch('/docs-json', { headers: { accept: 'application/json' } }).then(
    async (response) => {
      if (!response.ok) throw new Error(`the API description answered ${response.status}`);
      return response.json();
    },
  );
  documentRequest.catch(() => (documentRequest = null));
  return documentRequest;
}

/** A schema with its `$ref`s followed. */
export function resolve(doc, schema) {
  let resolved = schema;
  for (let hops = 0; resolved?.$ref && hops < 20; hops++)
    resolved = doc.components.schemas[resolved.$ref.split('/').pop()];
  return resolved ?? {};
}

/**
 * The development types a client may post, in the document's order, each with its request
 * envelope schema: the discriminator of POST /negotiations/{id}/events's body.
 */
export function developmentTypes(doc) {
  const body = doc.paths['/negotiations/{id}/events'].post.requestBody.content['application/json'];
  const union = resolve(doc, body.schema);
  return Object.entries(union.discriminator.mapping).map(([type, $ref]) => ({
    type,
    label: typeLabel(type),
    schema: resolve(doc, { $ref }),
  }));
}

/** `imposedBy` → `Imposed by`, `thenRate` → `Then rate`. */
export function labelOf(key) {
  if (key === 'url') return 'URL';
  const words = String(key)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A time field of the contract (a date or a date-time with Z or an offset): its pattern says so. */
const isTimeField = (schema) =>
  schema.type === 'string' &&
  typeof schema.pattern === 'string' &&
  /^\^\\d\{4\}-/.test(schema.pattern);

/** The technical tail of a description (the ISO 8601 forms) said shortly in a hint of its own. */
const shortDescription = (description) =>
  String(description ?? '')
    .replace(/\s*ISO 8601:.*$/s, '')
    .trim();

let counter = 0;
const idFor = (path) => `sf${++counter}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** The hint and error lines under a control, and the ids that describe it. */
function describedField(path, label, control, hintText) {
  const id = control.id;
  const hint = hintText ? h('p', { class: 'hint', id: `${id}-hint` }, hintText) : null;
  const error = h('p', { class: 'field-error', id: `${id}-error` });
  control.setAttribute(
    'aria-describedby',
    [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' '),
  );
  const element = h(
    'div',
    { class: 'field', 'data-path': path },
    h('label', { for: id }, label),
    control,
    hint,
    error,
  );
  return { element, error };
}

function errorSetter(error, controls) {
  return (message) => {
    error.textContent = message ?? '';
    for (const control of controls) {
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
  };
}

/** The label of a field: its name, and whether it must be given. */
const labelText = (key, required) => [labelOf(key), required ? ' (required)' : ''];

/**
 * One field for the schema of `path`: a select for a closed set, a checkbox for yes or no, a
 * number, a list (codes on one line, texts one a line), a nested fieldset for an object, text
 * otherwise. Each answers read() (undefined when left empty), write(value), focus() and
 * setError(message).
 */
export function fieldFor(doc, path, key, rawSchema, required, fields) {
  const schema = resolve(doc, rawSchema);
  const id = idFor(path);
  const hintText = shortDescription(schema.description);

  if (schema.type === 'object' && schema.properties) {
    const error = h('p', { class: 'field-error', id: `${id}-error` });
    const children = Object.entries(schema.properties).map(([childKey, childSchema]) =>
      fieldFor(
        doc,
        `${path}.${childKey}`,
        childKey,
        childSchema,
        (schema.required ?? []).includes(childKey),
        fields,
      ),
    );
    const element = h(
      'fieldset',
      { class: 'group', 'data-path': path, 'aria-describedby': `${id}-error` },
      h('legend', {}, ...labelText(key, required)),
      hintText ? h('p', { class: 'hint' }, hintText) : null,
      error,
      children.map((child) => child.element),
    );
    const field = {
      path,
      element,
      read() {
        const value = {};
        for (const child of children) {
          const v = child.read();
          if (v !== undefined) value[child.key] = v;
        }
        return Object.keys(value).length ? value : undefined;
      },
      write(value) {
        for (const child of children) child.write(value?.[child.key]);
      },
      focus: () => children[0]?.focus(),
      setError: errorSetter(error, []),
      key,
    };
    fields.set(path, field);
    return field;
  }

  let control;
  let read;
  let write;
  let hint = hintText;
  if (Array.isArray(schema.enum)) {
    control = h(
      'select',
      { id, name: path },
      h('option', { value: '' }, required ? 'Choose…' : '(not given)'),
      schema.enum.map((value) => h('option', { value }, String(value))),
    );
    read = () => (control.value === '' ? undefined : control.value);
    write = (value) => (control.value = value ?? '');
  } else if (schema.type === 'boolean') {
    control = h('input', { id, name: path, type: 'checkbox' });
    read = () => (control.checked ? true : undefined);
    write = (value) => (control.checked = value === true);
  } else if (schema.type === 'number' || schema.type === 'integer') {
    control = h('input', {
      id,
      name: path,
      type: 'number',
      step: schema.type === 'integer' ? '1' : 'any',
      inputmode: 'decimal',
    });
    // Sent as typed: the API says what is wrong with it, beside this field.
    read = () => (control.value === '' ? undefined : Number(control.value));
    write = (value) => (control.value = value ?? '');
  } else if (schema.type === 'array') {
    const items = resolve(doc, schema.items);
    if (items.type === 'string' && (items.pattern || items.enum)) {
      control = h('input', {
        id,
        name: path,
        type: 'text',
        autocomplete: 'off',
        spellcheck: 'false',
      });
      read = () => {
        const list = control.value.split(/[\s,;]+/).filter(Boolean);
        return list.length ? list : undefined;
      };
      write = (value) => (control.value = Array.isArray(value) ? value.join(', ') : '');
      hint = [hint, 'Separate them with commas or spaces.'].filter(Boolean).join(' ');
    } else if (items.type === 'string') {
      control = h('textarea', { id, name: path, rows: '3' });
      read = () => {
        const list = control.value
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        return list.length ? list : undefined;
      };
      write = (value) => (control.value = Array.isArray(value) ? value.join('\n') : '');
      hint = [hint, 'One a line.'].filter(Boolean).join(' ');
    } else {
      control = h('textarea', { id, name: path, rows: '4', spellcheck: 'false' });
      read = () => {
        if (!control.value.trim()) return undefined;
        try {
          return JSON.parse(control.value);
        } catch {
          return control.value; // the API names the field
        }
      };
      write = (value) =>
        (control.value = value === undefined ? '' : JSON.stringify(value, null, 2));
      hint = [hint, 'As JSON.'].filter(Boolean).join(' ');
    }
  } else if (isTimeField(schema)) {
    control = h('input', {
      id,
      name: path,
      type: 'text',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'YYYY-MM-DD',
    });
    read = () => (control.value.trim() === '' ? undefined : control.value.trim());
    write = (value) => (control.value = value ?? '');
    hint = [
      hint,
      'A date (2025-04-10), or a date and time with Z or an offset (2025-04-10T04:01Z).',
    ]
      .filter(Boolean)
      .join(' ');
  } else {
    // Free text that may run long gets a text area; a URL or a code stays on one line.
    const long = (schema.maxLength ?? 0) > 500 && !schema.pattern;
    control = long
      ? h('textarea', { id, name: path, rows: '3' })
      : h('input', {
          id,
          name: path,
          type: key === 'url' ? 'url' : 'text',
          autocomplete: 'off',
          ...(key === 'url' ? { inputmode: 'url' } : {}),
        });
    read = () => (control.value.trim() === '' ? undefined : control.value.trim());
    write = (value) => (control.value = value ?? '');
  }
  if (required) control.setAttribute('aria-required', 'true');
  const { element, error } = describedField(path, labelText(key, required), control, hint);
  const field = {
    path,
    key,
    element,
    read,
    write,
    focus: () => control.focus(),
    setError: errorSetter(error, [control]),
  };
  fields.set(path, field);
  return field;
}

/**
 * Where an error's path shows: the field of that path, else of the nearest enclosing one
 * (`data.products[2]` → `data.products`, `data.party.code` → `data.party`), else nowhere.
 */
export function fieldOfPath(fields, path) {
  let p = path;
  while (p) {
    if (fields.has(p)) return fields.get(p);
    const shorter = p.replace(/(\[\d+\]|\.[^.[\]]+)$/, '');
    if (shorter === p) break;
    p = shorter;
  }
  return fields.get(p);
}

/**
 * Shows problem+json `errors` ([{path, message}]) beside their fields; `prefix` is stripped first
 * (`events[1].`). Returns the fields that took an error, in the order of the form, and the
 * errors they show.
 */
export function showErrors(fields, errors, prefix = '') {
  const taken = new Map();
  const shown = new Set();
  for (const e of errors) {
    if (prefix && !String(e.path).startsWith(prefix)) continue;
    const field = fieldOfPath(fields, String(e.path).slice(prefix.length));
    if (!field) continue;
    taken.set(field, [...(taken.get(field) ?? []), e.message]);
    shown.add(e);
  }
  for (const [field, messages] of taken) field.setError(messages.join('; '));
  const ordered = [...new Set(fields.values())].filter((f) => taken.has(f));
  return { fields: ordered, shown };
}

export function clearErrors(fields) {
  for (const field of fields.values()) field.setError(null);
}

// ---- the envelope of a development ---------------------------------------------------------------

const PRECISIONS = [
  { value: 'day', label: 'On a day', input: { type: 'date' } },
  { value: 'month', label: 'In a month', input: { type: 'month', placeholder: 'YYYY-MM' } },
  {
    value: 'year',
    label: 'In a year',
    input: { type: 'number', min: '1900', max: '2100', step: '1', inputmode: 'numeric' },
  },
  { value: 'instant', label: 'At a moment (UTC)', input: { type: 'datetime-local', step: '1' } },
];

/**
 * When it happened (occurredAt) with how precisely that is known: a day, a month, a year or a
 * moment, and whether only roughly (occurredPrecision `approximate`). Errors on either path show here.
 */
function occurredField(path, schema, fields) {
  const id = idFor(path);
  const precision = h(
    'select',
    { id: `${id}-precision` },
    PRECISIONS.map((p) => h('option', { value: p.value }, p.label)),
  );
  const dateLabel = h('label', { for: id }, 'Date (required)');
  let input = h('input', { id, name: path, type: 'date', 'aria-required': 'true' });
  const approximate = h('input', { id: `${id}-approximate`, type: 'checkbox' });
  const error = h('p', { class: 'field-error', id: `${id}-error` });
  const hint = h(
    'p',
    { class: 'hint', id: `${id}-hint` },
    shortDescription(schema.description) || 'When it happened in the world.',
  );
  const describe = (control) => control.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
  describe(input);
  const inputSlot = h('div', { class: 'date-input' }, dateLabel, input);
  const setKind = (kind) => {
    const spec = PRECISIONS.find((p) => p.value === kind) ?? PRECISIONS[0];
    const next = h('input', { id, name: path, 'aria-required': 'true', ...spec.input });
    if (input.getAttribute('aria-invalid')) next.setAttribute('aria-invalid', 'true');
    describe(next);
    input.replaceWith(next);
    input = next;
    dateLabel.textContent =
      kind === 'month'
        ? 'Month (required)'
        : kind === 'year'
          ? 'Year (required)'
          : kind === 'instant'
            ? 'Date and time, UTC (required)'
            : 'Date (required)';
  };
  precision.addEventListener('change', () => setKind(precision.value));
  const element = h(
    'fieldset',
    { class: 'group occurred', 'data-path': path },
    h('legend', {}, 'When it happened'),
    hint,
    h('div', { class: 'field' }, h('label', { for: `${id}-precision` }, 'How precisely it is known'), precision),
    inputSlot,
    h(
      'div',
      { class: 'check' },
      approximate,
      h('label', { for: `${id}-approximate` }, 'Only roughly (approximate)'),
    ),
    error,
  );
  const field = {
    path,
    key: 'occurredAt',
    element,
    read() {
      const v = input.value.trim();
      if (!v) return {};
      const kind = precision.value;
      const occurredAt = kind === 'year' ? v.padStart(4, '0') : kind === 'instant' ? `${v}Z` : v;
      return { occurredAt, ...(approximate.checked ? { occurredPrecision: 'approximate' } : {}) };
    },
    /** From a development as the log lists it: occurredAt an instant, occurredPrecision as kept. */
    write(value) {
      const at = value?.occurredAt ?? '';
      const kept = value?.occurredPrecision ?? 'instant';
      const kind = kept === 'approximate' ? 'day' : kept;
      precision.value = PRECISIONS.some((p) => p.value === kind) ? kind : 'day';
      setKind(precision.value);
      input.value =
        precision.value === 'month'
          ? at.slice(0, 7)
          : precision.value === 'year'
            ? at.slice(0, 4)
            : precision.value === 'instant'
              ? at.slice(0, 19)
              : at.slice(0, 10);
      approximate.checked = kept === 'approximate';
    },
    focus: () => input.focus(),
    setError(message) {
      error.textContent = message ?? '';
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
  fields.set(path, field);
  fields.set('occurredPrecision', field);
  return field;
}

/** What kind of act it reports, among those its type allows (the envelope's `modality` enum). */
function modalityField(path, schema, fields) {
  const id = idFor(path);
  const labels = {
    occurred: 'It happened',
    threatened: 'Threatened',
    considered: 'Under consideration',
  };
  const radios = schema.enum.map((value, i) =>
    h('input', {
      id: `${id}-${value}`,
      type: 'radio',
      name: `${id}-modality`,
      value,
      checked: i === 0,
    }),
  );
  const error = h('p', { class: 'field-error', id: `${id}-error` });
  const element = h(
    'fieldset',
    { class: 'group modality', 'data-path': path, 'aria-describedby': `${id}-error` },
    h('legend', {}, 'What kind of act'),
    radios.map((radio) =>
      h(
        'div',
        { class: 'check' },
        radio,
        h('label', { for: radio.id }, labels[radio.value] ?? labelOf(radio.value)),
      ),
    ),
    error,
  );
  const field = {
    path,
    key: 'modality',
    element,
    read() {
      const chosen = radios.find((r) => r.checked)?.value;
      return chosen && chosen !== 'occurred' ? chosen : undefined;
    },
    write(value) {
      for (const radio of radios) radio.checked = radio.value === (value ?? 'occurred');
    },
    focus: () => (radios.find((r) => r.checked) ?? radios[0]).focus(),
    setError(message) {
      error.textContent = message ?? '';
      for (const radio of radios)
        if (message) radio.setAttribute('aria-invalid', 'true');
        else radio.removeAttribute('aria-invalid');
    },
  };
  fields.set(path, field);
  return field;
}

/** Envelope fields the page never asks for: the type is chosen, the server makes the eventId. */
const NOT_ASKED = new Set(['type', 'eventId', 'expectedRevision', 'occurredPrecision']);
/** The order the envelope is asked in: when, what kind, what happened, then where it comes from. */
const ORDER = ['occurredAt', 'modality', 'data', 'summary', 'source', 'reportedAt'];

/**
 * The form of one development type's envelope, from its schema. `fixed` gives values the page
 * knows and does not ask (`{ 'data.targetEventId': id }`); `dataLegend` names the data fieldset.
 * Returns `{ element, fields, read(), write(development) }`.
 */
export function envelopeForm(doc, type, schema, { fixed = {}, dataLegend } = {}) {
  const fields = new Map();
  const properties = Object.entries(schema.properties ?? {}).filter(([key]) => !NOT_ASKED.has(key));
  properties.sort(
    ([a], [b]) =>
      (ORDER.indexOf(a) + 1 || ORDER.length + 1) - (ORDER.indexOf(b) + 1 || ORDER.length + 1),
  );
  const required = schema.required ?? [];
  const parts = [];
  for (const [key, raw] of properties) {
    const propertySchema = resolve(doc, raw);
    if (key === 'occurredAt') {
      parts.push(occurredField(key, propertySchema, fields));
    } else if (key === 'modality') {
      // Nothing to choose when the type reports only what occurred.
      if ((propertySchema.enum ?? []).length > 1)
        parts.push(modalityField(key, propertySchema, fields));
    } else if (key === 'data') {
      const dataSchema = { ...propertySchema, properties: { ...propertySchema.properties } };
      for (const path of Object.keys(fixed))
        if (path.startsWith('data.')) delete dataSchema.properties[path.slice(5)];
      const field = fieldFor(doc, 'data', key, dataSchema, true, fields);
      if (dataLegend) field.element.querySelector('legend').textContent = dataLegend;
      parts.push(field);
    } else {
      parts.push(fieldFor(doc, key, key, raw, required.includes(key), fields));
    }
  }
  return {
    type,
    fields,
    element: h(
      'div',
      { class: 'envelope', 'data-type': type },
      parts.map((p) => p.element),
    ),
    read() {
      const body = { type };
      for (const part of parts) {
        if (part.key === 'occurredAt') Object.assign(body, part.read());
        else {
          const value = part.read();
          if (value !== undefined) body[part.key] = value;
        }
      }
      for (const [path, value] of Object.entries(fixed)) {
        const [head, tail] = path.split('.');
        if (tail === undefined) body[head] = value;
        else body[head] = { ...(body[head] ?? {}), [tail]: value };
      }
      return body;
    },
    write(development) {
      for (const part of parts) {
        if (part.key === 'occurredAt') part.write(development);
        else part.write(development?.[part.key]);
      }
    },
  };
}
