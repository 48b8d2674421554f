/**
 * The e2e answer checker (test/support/documented-answers.ts) fails on anything the document does
 * not describe, and reads OpenAPI 3.0's `nullable` as JSON Schema's null.
 */
import fc from 'fast-check';
import { parseInstant } from '@parley/domain';
import { ISO_TIME_PATTERN } from '../../apps/api/src/docs/validation-schema';
import type { OpenApiDocument, ReceivedAnswer } from '../support/documented-answers';
import { DocumentedAnswers } from '../support/documented-answers';

const document: OpenApiDocument = {
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '404': { content: { 'application/problem+json': { schema: { type: 'object' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['status'],
        properties: { status: { type: 'string', enum: ['on', 'off', null], nullable: true } },
      },
    },
    responses: {
      NotFound: { content: { 'application/problem+json': { schema: { type: 'object' } } } },
      MethodNotAllowed: { content: { 'application/problem+json': { schema: { type: 'object' } } } },
    },
  },
};

const answer = (overrides: Partial<ReceivedAnswer> & { body?: unknown }): ReceivedAnswer => ({
  method: 'GET',
  url: '/things/a?x=1',
  status: 200,
  contentType: 'application/json; charset=utf-8',
  text: JSON.stringify(overrides.body ?? { status: 'on' }),
  headers: new Headers(),
  ...overrides,
});

describe('checking answers against the served document', () => {
  const documented = new DocumentedAnswers(document);

  it('passes an answer the document describes, null included where nullable', () => {
    expect(() => documented.check(answer({}))).not.toThrow();
    expect(() => documented.check(answer({ body: { status: null } }))).not.toThrow();
  });

  it.each([
    ['a value outside the enum', answer({ body: { status: 'dim' } })],
    ['a missing required field', answer({ body: {} })],
    ['a field the schema does not name', answer({ body: { status: 'on', extra: 1 } })],
    ['an undocumented status', answer({ status: 500, contentType: 'application/problem+json' })],
    ['an undocumented content type', answer({ contentType: 'text/plain', text: 'on' })],
    ['a path the document does not have, answered 200', answer({ url: '/nothing' })],
    ['a method a path does not take, answered 404', answer({ method: 'DELETE', status: 404 })],
  ])('fails on %s', (_what, received) => {
    expect(() => documented.check(received)).toThrow(/does not/);
  });

  it('passes a 405 only with the methods the path takes in Allow', () => {
    const refused = (allow: string) =>
      answer({
        method: 'PUT',
        status: 405,
        contentType: 'application/problem+json',
        body: { type: 'about:blank' },
        headers: new Headers({ allow }),
      });
    expect(() => documented.check(refused('GET, HEAD'))).not.toThrow();
    expect(() => documented.check(refused('POST'))).toThrow(/Allow/);
  });
});

describe('the time pattern of the document', () => {
  const pattern = new RegExp(ISO_TIME_PATTERN);

  it('matches every time the validation takes', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        fc.constantFrom('date', 'Z', 'minutes', 'offset'),
        (date, form) => {
          const iso = date.toISOString();
          const text =
            form === 'date'
              ? iso.slice(0, 10)
              : form === 'Z'
                ? iso
                : form === 'minutes'
                  ? `${iso.slice(0, 16)}Z`
                  : `${iso.slice(0, 19)}+05:30`;
          if (parseInstant(text, 'start-of-day') === undefined) return;
          expect(text).toMatch(pattern);
        },
      ),
    );
  });

  it.each(['yesterday', '2025-13-01', '2025-04-10T10:00', '2025-04-10 10:00Z', '20250410'])(
    'refuses %s, as the validation does',
    (text) => {
      expect(parseInstant(text, 'start-of-day')).toBeUndefined();
      expect(text).not.toMatch(pattern);
    },
  );
});
