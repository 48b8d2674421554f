import type { AppsOnStore } from '../support/apps-on-store';
import { negotiation, tariffChanged } from '../support/requests';
import type { RunningApp } from '../support/running-app';

/**
 * Contract v1.1, "Tariffs as goods pay them", end to end at the door: what a client may send of
 * temporary rates, products, displaced lines and scope changes. Every malformed value is a 400
 * naming its field, a scope change of a line not known then is a 422 `tariff-line-unknown`, and
 * neither writes anything, alone or in a batch; the well-formed ones are recorded and listed as
 * posted.
 */

const ID = 'tariff-input';
const path = (rest: string) => `/negotiations/${ID}${rest}`;

/** The US reciprocal tariff on China of 2 April 2025, in force from the 5th (04:01Z). */
const reciprocal = tariffChanged(
  { measure: 'reciprocal', rate: 34, effectiveAt: '2025-04-05T04:01:00.000Z' },
  { occurredAt: '2025-04-02T20:00:00.000Z' },
);

/** A scope change of the reciprocal line: computers, smartphones and chips out, from the 5th. */
const scopeChanged = (data: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) => ({
  type: 'TariffScopeChanged',
  occurredAt: '2025-04-11T22:00:00.000Z',
  ...envelope,
  data: {
    imposedBy: 'US',
    appliedTo: 'CN',
    measure: 'reciprocal',
    effectiveAt: '2025-04-05T04:01:00.000Z',
    exclude: ['8471', '8517.13', '8542'],
    ...data,
  },
});

/** Section 232 steel: selected goods, in place of the reciprocal tariff, 50% from 4 June. */
const steel = (data: Record<string, unknown> = {}) =>
  tariffChanged(
    {
      measure: 'section-232-steel',
      rate: 50,
      effectiveAt: '2025-06-04T04:01:00.000Z',
      coverage: 'selected-goods',
      products: ['72', '73'],
      displaces: ['reciprocal'],
      ...data,
    },
    { occurredAt: '2025-06-03T12:00:00.000Z' },
  );

type FieldError = { path: string; message: string };

/** Each case: a body, the status, and the paths its errors name (of a lone post; a batch prefixes them). */
const refused: [string, unknown, number, string[]][] = [
  ['a product code of one digit', steel({ products: ['7'] }), 400, ['data.products[0]']],
  ['a product code of 11 digits', steel({ products: ['72', '12345678901'] }), 400, ['data.products[1]']],
  ['a product code with two dots together', steel({ products: ['85..17'] }), 400, ['data.products[0]']],
  ['a product code of letters', steel({ products: ['abc'] }), 400, ['data.products[0]']],
  ['a product code sent as a number', steel({ products: [8471] }), 400, ['data.products[0]']],
  ['products as one code, not a list', steel({ products: '8471' }), 400, ['data.products']],
  ['no products in the list', steel({ products: [] }), 400, ['data.products']],
  ['a product code repeated', steel({ products: ['72', '72'] }), 400, ['data.products']],
  ['an excluded code malformed', scopeChanged({ exclude: ['8471', '84 71'] }), 400, ['data.exclude[1]']],
  ['an included code malformed', scopeChanged({ include: ['8471.3x'] }), 400, ['data.include[0]']],
  ['a displaced line that is no slug', steel({ displaces: ['Reciprocal'] }), 400, ['data.displaces[0]']],
  ['until before effectiveAt', steel({ until: '2025-06-01' }), 400, ['data.until']],
  ['until equal to effectiveAt', steel({ until: '2025-06-04T04:01:00Z' }), 400, ['data.until']],
  ['until the same instant written with an offset', steel({ until: '2025-06-04T00:01:00-04:00' }), 400, ['data.until']],
  ['until off the calendar', steel({ until: '2025-06-31' }), 400, ['data.until']],
  ['thenRate without until', steel({ thenRate: 25 }), 400, ['data.thenRate']],
  ['thenRate above 1000', steel({ until: '2025-09-01', thenRate: 1001 }), 400, ['data.thenRate']],
  ['products on an all-goods line', tariffChanged({ measure: 'reciprocal', products: ['8471'] }), 400, ['data.products']],
  ['a scope change with neither exclude nor include', scopeChanged({ exclude: undefined }), 400, ['data.exclude']],
  ['a scope change of a line never recorded', scopeChanged({ measure: 'section-301' }), 422, ['data.measure']],
  ['a scope change announced before its line', scopeChanged({}, { occurredAt: '2025-04-01' }), 422, ['data.measure']],
  ['a scope change threatened', scopeChanged({}, { modality: 'threatened' }), 400, ['modality']],
  ['an unknown field on a tariff change', steel({ scope: 'steel' }), 400, ['data.scope']],
  ['an unknown field on a scope change', scopeChanged({ rate: 10 }), 400, ['data.rate']],
];

export function describeTariffInput(apps: AppsOnStore): void {
  describe(`tariff input, contract v1.1 (${apps.storeName})`, () => {
    let app: RunningApp;

    const revision = async (): Promise<number> => (await app.get(path(''))).body.revision;
    const listed = async (eventId: string) => {
      const answer = await app.get(path('/events?limit=1000'));
      expect(answer.status).toBe(200);
      const item = (answer.body.items as { eventId: string }[]).find((i) => i.eventId === eventId);
      if (!item) throw new Error(`${eventId} is not listed`);
      return item as Record<string, unknown>;
    };

    beforeAll(async () => {
      app = await apps.start();
      expect((await app.post('/negotiations', negotiation({ id: ID }))).status).toBe(201);
      expect((await app.post(path('/events'), reciprocal)).status).toBe(201);
    });

    afterAll(() => app.destroy());

    describe.each(refused)('refuses %s', (_case, body, status, paths) => {
      it(`alone: ${status} naming ${paths.join(', ')}, nothing written`, async () => {
        const before = await revision();
        const answer = await app.post(path('/events'), body);
        expect({ status: answer.status, paths: answer.body.errors?.map((e: FieldError) => e.path) }).toEqual({ status, paths });
        expect(answer.contentType).toContain('application/problem+json');
        if (status === 422) expect(answer.body).toMatchObject({ type: '/problems/tariff-line-unknown', rule: 'tariff-line-unknown' });
        for (const error of answer.body.errors as FieldError[]) expect(error.message).toMatch(/\S/);
        expect(await revision()).toBe(before);
      });

      it(`in a batch after a good member: ${status} naming events[1], nothing of the batch written`, async () => {
        const before = await revision();
        const good = tariffChanged({ measure: 'batch-good', rate: 5 }, { occurredAt: '2025-04-03' });
        const answer = await app.post(path('/events/batch'), { events: [good, body] });
        expect({ status: answer.status, paths: answer.body.errors?.map((e: FieldError) => e.path) }).toEqual({
          status,
          paths: paths.map((p) => `events[1].${p}`),
        });
        expect(await revision()).toBe(before);
        expect((await app.get(path('/events?type=TariffChanged'))).body.items.map((i: { data: { measure: string } }) => i.data.measure)).not.toContain('batch-good');
      });
    });

    it('names the rule of a refused until in words: both instants, read from their offsets', async () => {
      const answer = await app.post(path('/events'), steel({ until: '2025-06-04T06:00:00+02:00' }));
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        {
          path: 'data.until',
          message: 'data.until (2025-06-04T04:00:00.000Z) must be after data.effectiveAt (2025-06-04T04:01:00.000Z)',
        },
      ]);
    });

    it('names every offending field of one envelope at once', async () => {
      const answer = await app.post(path('/events'), tariffChanged({ measure: 'reciprocal', products: ['8471'], thenRate: 0 }));
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: FieldError) => e.path)).toEqual(['data.thenRate', 'data.products']);
    });

    describe('accepts the well-formed', () => {
      it('a temporary selected-goods line with its products and the lines it displaces: 201, listed as posted', async () => {
        const body = steel({ until: '2025-12-01T05:01:00.000Z', thenRate: 25 });
        const answer = await app.post(path('/events'), body);
        expect(answer.status).toBe(201);
        expect(await listed(answer.body.eventId)).toMatchObject({
          type: 'TariffChanged',
          occurredAt: '2025-06-03T12:00:00.000Z',
          data: body.data,
        });
        expect((await listed(answer.body.eventId)).data).toEqual(body.data);
      });

      it('until written with an offset is listed as the UTC instant it names', async () => {
        const body = tariffChanged(
          { measure: 'reciprocal', rate: 10, effectiveAt: '2025-05-14T04:01:00Z', until: '2025-08-12T00:01:00-04:00', thenRate: 34 },
          { occurredAt: '2025-05-12' },
        );
        const answer = await app.post(path('/events'), body);
        expect(answer.status).toBe(201);
        expect((await listed(answer.body.eventId)).data).toEqual({
          ...body.data,
          effectiveAt: '2025-05-14T04:01:00.000Z',
          until: '2025-08-12T04:01:00.000Z',
        });
      });

      it('a scope change of a known line, back-dated before it was announced: 201, listed as posted', async () => {
        const body = scopeChanged({ include: ['8471.30'], description: 'Smartphones, computers and chips' });
        const answer = await app.post(path('/events'), body);
        expect(answer.status).toBe(201);
        expect(await listed(answer.body.eventId)).toMatchObject({ type: 'TariffScopeChanged', occurredAt: '2025-04-11T22:00:00.000Z' });
        expect((await listed(answer.body.eventId)).data).toEqual(body.data);
        const scopes = await app.get(path('/events?type=TariffScopeChanged'));
        expect(scopes.status).toBe(200);
        expect(scopes.body.items.map((i: { eventId: string }) => i.eventId)).toEqual([answer.body.eventId]);
      });

      it('a scope change announced at the very instant its line was', async () => {
        const answer = await app.post(path('/events'), scopeChanged({ exclude: ['9503'] }, { occurredAt: reciprocal.occurredAt }));
        expect(answer.status).toBe(201);
      });

      it('a scope change in the batch that records its line, after it', async () => {
        const line = tariffChanged({ measure: 'section-301', rate: 25 }, { occurredAt: '2025-04-20' });
        const answer = await app.post(path('/events/batch'), {
          events: [line, scopeChanged({ measure: 'section-301', exclude: ['8703'] }, { occurredAt: '2025-04-21' })],
        });
        expect(answer.status).toBe(201);
        expect(answer.body.results).toHaveLength(2);
      });

      it('but not one in a batch before the member that records its line, when dated before it', async () => {
        const before = await revision();
        const answer = await app.post(path('/events/batch'), {
          events: [
            scopeChanged({ measure: 'section-122', exclude: ['8703'] }, { occurredAt: '2025-04-21' }),
            tariffChanged({ measure: 'section-122', rate: 15 }, { occurredAt: '2025-04-22' }),
          ],
        });
        expect({ status: answer.status, paths: answer.body.errors?.map((e: FieldError) => e.path) }).toEqual({
          status: 422,
          paths: ['events[0].data.measure'],
        });
        expect(await revision()).toBe(before);
      });
    });

    describe('a retracted line', () => {
      it('cannot have its scope changed once its only change is retracted (422), though it could before', async () => {
        const line = await app.post(path('/events'), tariffChanged({ measure: 'false-report', rate: 60 }, { occurredAt: '2025-04-06' }));
        expect(line.status).toBe(201);
        expect((await app.post(path('/events'), scopeChanged({ measure: 'false-report' }, { occurredAt: '2025-04-07' }))).status).toBe(201);
        const retraction = await app.post(path('/events'), {
          type: 'DevelopmentRetracted',
          occurredAt: '2025-04-08',
          data: { targetEventId: line.body.eventId, reason: 'misreported' },
        });
        expect(retraction.status).toBe(201);
        const before = await revision();
        const answer = await app.post(path('/events'), scopeChanged({ measure: 'false-report', include: ['8471'] }, { occurredAt: '2025-04-09' }));
        expect(answer.status).toBe(422);
        expect(answer.body.type).toBe('/problems/tariff-line-unknown');
        expect(await revision()).toBe(before);
      });
    });
  });
}
