import type { AppsOnStore } from '../support/apps-on-store';
import { negotiation, retraction, tariffChanged } from '../support/requests';
import type { RunningApp } from '../support/running-app';
import { SseClient } from '../support/sse-client';

/**
 * Contract v1.1, "Evidence", end to end: confirmations and disputes, a report's evidence as known
 * at knownAt on every listed development, evidenceStatus on state items, minEvidence on every
 * endpoint that takes it, and the refusals that write nothing.
 */

const ID = 'evidence';
const path = (rest: string) => `/negotiations/${ID}${rest}`;
const reuters = { name: 'Reuters', attribution: 'unnamed-sources' };

/** The contract's example: talks between embassy staff and the NSC, reported by Reuters (unnamed sources). */
const reutersTalks = {
  type: 'TalksHeld',
  occurredAt: '2025-04-22',
  reportedAt: '2025-04-23',
  source: reuters,
  summary: 'Officials had engaged in direct talks, embassy staff and the NSC',
  data: { participants: ['US', 'CN'], level: 'embassy' },
};

const confirmation = (
  targetEventId: string,
  envelope: Record<string, unknown> = {},
  data = {},
) => ({
  type: 'DevelopmentConfirmed',
  occurredAt: '2025-04-24',
  source: { name: 'Bloomberg', attribution: 'unnamed-sources' },
  ...envelope,
  data: { targetEventId, ...data },
});

const dispute = (targetEventId: string, envelope: Record<string, unknown> = {}, data = {}) => ({
  type: 'DevelopmentDisputed',
  occurredAt: '2025-04-25',
  ...envelope,
  data: { targetEventId, ...data },
});

type Evidence = { status: string; sources: string[]; confirmedBy: string[]; disputedBy: string[] };
type Listed = { eventId: string; type: string; evidence: Evidence | null };
type Recorded = { eventId: string; revision: number; recordedAt: string };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeEvidence(apps: AppsOnStore): void {
  describe(`evidence (${apps.storeName})`, () => {
    let app: RunningApp;
    const recorded: Record<string, Recorded> = {};

    /** Records a development (201) and keeps its answer under `name`. */
    async function record(name: string, body: Record<string, unknown>): Promise<Recorded> {
      const answer = await app.post(path('/events'), body);
      expect({ name, status: answer.status, body: answer.body }).toMatchObject({
        name,
        status: 201,
      });
      recorded[name] = answer.body as Recorded;
      // Each development recorded at a later millisecond, so that knownAt can fall between two.
      await pause(3);
      return recorded[name];
    }

    const listed = async (query = ''): Promise<Listed[]> => {
      const answer = await app.get(path(`/events?limit=1000${query}`));
      expect(answer.status).toBe(200);
      return answer.body.items as Listed[];
    };
    const evidenceOf = async (name: string, query = '') =>
      (await listed(query)).find((item) => item.eventId === recorded[name]!.eventId)?.evidence;
    const rounds = async (query = '') => {
      const answer = await app.get(path(`/talks${query}`));
      expect(answer.status).toBe(200);
      return answer.body.rounds as number;
    };

    beforeAll(async () => {
      app = await apps.start();
      expect(
        (await app.post('/negotiations', negotiation({ id: ID, openedAt: '2025-04-01' }))).status,
      ).toBe(201);
    });

    afterAll(() => app.destroy());

    describe('the contract example: Reuters reports talks, Bloomberg confirms, China disputes', () => {
      beforeAll(async () => {
        await record('talks', reutersTalks);
      });

      it('is reported on Reuters alone: /talks counts the round, ?minEvidence=corroborated does not', async () => {
        expect(await evidenceOf('talks')).toEqual({
          status: 'reported',
          sources: ['Reuters'],
          confirmedBy: [],
          disputedBy: [],
        });
        expect(await rounds()).toBe(1);
        expect(await rounds('?minEvidence=corroborated')).toBe(0);
      });

      it('is corroborated by a second outlet: one meeting, one TalksHeld and one confirmation, one round', async () => {
        await record('bloomberg', confirmation(recorded.talks!.eventId));
        expect(await evidenceOf('talks')).toEqual({
          status: 'corroborated',
          sources: ['Reuters', 'Bloomberg'],
          confirmedBy: [],
          disputedBy: [],
        });
        expect(await rounds()).toBe(1);
        expect(await rounds('?minEvidence=corroborated')).toBe(1);
        expect(await rounds('?minEvidence=confirmed')).toBe(0);
      });

      it('is disputed by China: evidence as the contract gives it; /talks still counts the round, corroborated does not', async () => {
        await record(
          'byChina',
          dispute(
            recorded.talks!.eventId,
            { source: { name: 'Ministry of Commerce', attribution: 'official-statement' } },
            { by: 'CN', note: 'No talks have taken place' },
          ),
        );
        expect(await evidenceOf('talks')).toEqual({
          status: 'disputed',
          sources: ['Reuters', 'Bloomberg'],
          confirmedBy: [],
          disputedBy: ['CN'],
        });
        expect(await rounds()).toBe(1);
        expect(await rounds('?minEvidence=corroborated')).toBe(0);
      });

      it('answers as known before the dispute: corroborated, and counted with minEvidence', async () => {
        const knownAt = encodeURIComponent(recorded.bloomberg!.recordedAt);
        expect((await evidenceOf('talks', `&knownAt=${knownAt}`))?.status).toBe('corroborated');
        expect(await rounds(`?minEvidence=corroborated&knownAt=${knownAt}`)).toBe(1);
        // At every asOf: even the world on the day of the talks, before the confirmation occurred.
        expect(await rounds(`?minEvidence=corroborated&knownAt=${knownAt}&asOf=2025-04-22`)).toBe(
          1,
        );
      });

      it('/live lists the developments with their evidence as known when sent, as the log does', async () => {
        const client = await SseClient.connect(`${app.baseUrl}${path('/live')}?lastEventId=0`);
        try {
          const [talks, bloomberg] = await client.take(2, 'development');
          expect(talks!.data).toMatchObject({
            eventId: recorded.talks!.eventId,
            evidence: {
              status: 'disputed',
              sources: ['Reuters', 'Bloomberg'],
              confirmedBy: [],
              disputedBy: ['CN'],
            },
          });
          expect(bloomberg!.data).toMatchObject({ type: 'DevelopmentConfirmed', evidence: null });
        } finally {
          client.close();
        }
      });

      it('gives no evidence for what is not a report: the opening, the confirmation, the dispute', async () => {
        const items = await listed();
        const byType = (type: string) => items.find((item) => item.type === type);
        expect(byType('NegotiationOpened')?.evidence).toBeNull();
        expect(byType('DevelopmentConfirmed')?.evidence).toBeNull();
        expect(byType('DevelopmentDisputed')?.evidence).toBeNull();
      });

      it('takes the round again once the dispute is retracted, from the retraction on', async () => {
        await record(
          'disputeRetracted',
          retraction(recorded.byChina!.eventId, { occurredAt: '2025-04-26' }),
        );
        expect(await evidenceOf('talks')).toMatchObject({ status: 'corroborated', disputedBy: [] });
        expect(await rounds('?minEvidence=corroborated')).toBe(1);
        const before = encodeURIComponent(recorded.byChina!.recordedAt);
        expect(await rounds(`?minEvidence=corroborated&knownAt=${before}`)).toBe(0);
      });

      it('is confirmed by a party, and back to corroborated when that confirmation is retracted', async () => {
        await record(
          'byUs',
          confirmation(recorded.talks!.eventId, { source: undefined }, { by: 'US' }),
        );
        expect(await evidenceOf('talks')).toEqual({
          status: 'confirmed',
          sources: ['Reuters', 'Bloomberg'],
          confirmedBy: ['US'],
          disputedBy: [],
        });
        expect(await rounds('?minEvidence=confirmed')).toBe(1);
        await record(
          'byUsRetracted',
          retraction(recorded.byUs!.eventId, { occurredAt: '2025-04-27' }),
        );
        expect(await evidenceOf('talks')).toMatchObject({
          status: 'corroborated',
          confirmedBy: [],
        });
        expect(await rounds('?minEvidence=confirmed')).toBe(0);
      });

      it('counts two outlets citing the same source as one', async () => {
        const relayed = await record('relayed', {
          ...reutersTalks,
          occurredAt: '2025-05-06',
          source: { name: 'CNBC', via: 'Wall Street Journal' },
        });
        await record(
          'relayedAgain',
          confirmation(relayed.eventId, {
            source: { name: 'Politico', via: 'Wall Street Journal' },
          }),
        );
        expect(await evidenceOf('relayed')).toEqual({
          status: 'reported',
          sources: ['Wall Street Journal'],
          confirmedBy: [],
          disputedBy: [],
        });
      });

      it('names the source of a dispute without a party', async () => {
        await record(
          'relayedDisputed',
          dispute(recorded.relayed!.eventId, { source: { name: 'SCMP', via: 'Caixin' } }),
        );
        expect(await evidenceOf('relayed')).toMatchObject({
          status: 'disputed',
          disputedBy: ['Caixin'],
        });
      });
    });

    describe('evidenceStatus on state items and minEvidence on every endpoint', () => {
      beforeAll(async () => {
        // Fentanyl 20, officially announced: confirmed by its own attribution.
        await record(
          'fentanyl',
          tariffChanged(
            { rate: 20, effectiveAt: '2025-04-05' },
            {
              occurredAt: '2025-04-04',
              source: { name: 'White House', attribution: 'official-statement' },
            },
          ),
        );
        // Reciprocal 125 from 10 April, only reported.
        await record(
          'reciprocal',
          tariffChanged(
            { measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10' },
            { occurredAt: '2025-04-09', source: reuters },
          ),
        );
        // A trade measure on Reuters' word, scheduled from June.
        await record('exemption', {
          type: 'TradeMeasureChanged',
          occurredAt: '2025-04-11',
          source: reuters,
          data: {
            imposedBy: 'US',
            appliedTo: ['CN'],
            measure: 'de-minimis-exemption',
            kind: 'exemption',
            action: 'revoked',
            effectiveAt: '2025-06-01',
          },
        });
        // A proposal on Reuters' word, then confirmed by the proposer.
        await record('offer', {
          type: 'ProposalMade',
          occurredAt: '2025-04-12',
          source: reuters,
          data: {
            proposalId: 'geneva',
            by: 'US',
            to: ['CN'],
            subject: 'talks',
            summary: 'Talks in Geneva',
          },
        });
        await record(
          'offerConfirmed',
          confirmation(recorded.offer!.eventId, { source: undefined }, { by: 'US' }),
        );
      });

      it('marks each tariff line, trade measure and scheduled entry with its evidence status', async () => {
        const answer = await app.get(path('/state?asOf=2025-04-30'));
        expect(answer.status).toBe(200);
        expect(answer.body.tariffs).toMatchObject([
          {
            imposedBy: 'US',
            appliedTo: 'CN',
            total: 145,
            measures: [
              {
                measure: 'fentanyl-ieepa',
                eventId: recorded.fentanyl!.eventId,
                evidenceStatus: 'confirmed',
              },
              {
                measure: 'reciprocal',
                eventId: recorded.reciprocal!.eventId,
                evidenceStatus: 'reported',
              },
            ],
          },
        ]);
        expect(answer.body.tradeMeasures).toMatchObject([
          {
            measure: 'de-minimis-exemption',
            status: null,
            eventId: null,
            evidenceStatus: null,
            scheduled: [
              {
                action: 'revoked',
                eventId: recorded.exemption!.eventId,
                evidenceStatus: 'reported',
              },
            ],
          },
        ]);
        const tariffs = await app.get(path('/tariffs?asOf=2025-04-09'));
        expect(tariffs.body[0].scheduled).toMatchObject([
          { measure: 'reciprocal', evidenceStatus: 'reported' },
        ]);
      });

      it('/state and /tariffs fold only the reports at least that well supported', async () => {
        const state = await app.get(path('/state?asOf=2025-06-30&minEvidence=confirmed'));
        expect(state.status).toBe(200);
        expect(state.body.tariffs).toMatchObject([
          { total: 20, measures: [{ measure: 'fentanyl-ieepa' }] },
        ]);
        expect(state.body.tradeMeasures).toEqual([]);
        expect(state.body.talks.rounds).toBe(0);
        const tariffs = await app.get(path('/tariffs?asOf=2025-06-30&minEvidence=corroborated'));
        expect(tariffs.body.map((p: { total: number }) => p.total)).toEqual([20]);
        const all = await app.get(path('/tariffs?asOf=2025-06-30'));
        expect(all.body.map((p: { total: number }) => p.total)).toEqual([145]);
      });

      it('/proposals keeps a proposal its proposer confirmed', async () => {
        const confirmed = await app.get(path('/proposals?minEvidence=confirmed&asOf=2025-04-30'));
        expect(confirmed.status).toBe(200);
        expect(confirmed.body.map((p: { proposalId: string }) => p.proposalId)).toEqual(['geneva']);
        const before = encodeURIComponent(recorded.offer!.recordedAt);
        const asKnownBefore = await app.get(
          path(`/proposals?minEvidence=confirmed&asOf=2025-04-30&knownAt=${before}`),
        );
        expect(asKnownBefore.body).toEqual([]);
      });

      it('/changes compares and lists only the selected developments, each with its evidence', async () => {
        const all = await app.get(path('/changes?from=2025-04-01&to=2025-04-30'));
        expect(all.status).toBe(200);
        expect(all.body.tariffs).toMatchObject([{ before: 0, after: 145 }]);
        const reciprocalListed = all.body.developments.find(
          (d: Listed) => d.eventId === recorded.reciprocal!.eventId,
        );
        expect(reciprocalListed.evidence).toEqual({
          status: 'reported',
          sources: ['Reuters'],
          confirmedBy: [],
          disputedBy: [],
        });
        expect(all.body.tariffs[0].lines).toMatchObject([
          { measure: 'fentanyl-ieepa', after: { evidenceStatus: 'confirmed' } },
          { measure: 'reciprocal', after: { evidenceStatus: 'reported' } },
        ]);
        const confirmed = await app.get(
          path('/changes?from=2025-04-01&to=2025-04-30&minEvidence=confirmed'),
        );
        expect(confirmed.body.tariffs).toMatchObject([{ before: 0, after: 20 }]);
        expect(confirmed.body.talks).toEqual({ before: 'none', after: 'none' });
        const ids = confirmed.body.developments.map((d: Listed) => d.eventId);
        expect(ids).toContain(recorded.fentanyl!.eventId);
        expect(ids).not.toContain(recorded.reciprocal!.eventId);
        expect(ids).not.toContain(recorded.talks!.eventId);
      });

      it('/tariffs/history steps only with the selected changes', async () => {
        const levels = async (query: string) => {
          const answer = await app.get(
            path(`/tariffs/history?imposedBy=US&appliedTo=CN&to=2025-06-30${query}`),
          );
          expect(answer.status).toBe(200);
          return answer.body.map((p: { at: string; total: number }) => [p.at, p.total]);
        };
        expect(await levels('')).toEqual([
          ['2025-04-05T00:00:00.000Z', 20],
          ['2025-04-10T00:00:00.000Z', 145],
        ]);
        expect(await levels('&minEvidence=corroborated')).toEqual([
          ['2025-04-05T00:00:00.000Z', 20],
        ]);
      });

      it('/replay replays only the selected developments', async () => {
        const answer = await app.get(path('/replay?to=2025-04-30&minEvidence=confirmed'));
        expect(answer.status).toBe(200);
        const steps = answer.body.items.map(
          (i: { development: Listed; state: { tariffs: { total: number }[] } }) => [
            i.development.type,
            i.state.tariffs.map((t) => t.total),
          ],
        );
        // Fentanyl alone, as of its announcement on 4 April (effective the next day: not yet counted).
        expect(
          steps.filter(([type]: [string]) => type === 'TariffChanged' || type === 'TalksHeld'),
        ).toEqual([['TariffChanged', [0]]]);
        const full = await app.get(path('/replay?to=2025-04-30'));
        const talks = full.body.items.find(
          (i: { development: Listed }) => i.development.eventId === recorded.talks!.eventId,
        );
        expect(talks.development.evidence).toMatchObject({ status: 'corroborated' });
      });

      it.each([
        '/state',
        '/tariffs',
        '/talks',
        '/proposals',
        '/changes',
        '/tariffs/history?imposedBy=US&appliedTo=CN',
        '/replay',
      ])(
        '%s refuses a minEvidence it does not know with 400 naming minEvidence',
        async (endpoint) => {
          for (const value of ['reported', 'disputed', 'CONFIRMED', '']) {
            const glue = endpoint.includes('?') ? '&' : '?';
            const answer = await app.get(path(`${endpoint}${glue}minEvidence=${value}`));
            expect({ value, status: answer.status }).toEqual({ value, status: 400 });
            expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'minEvidence' })]);
          }
        },
      );

      it('does not take minEvidence on the log', async () => {
        const answer = await app.get(path('/events?minEvidence=confirmed'));
        expect(answer.status).toBe(400);
      });
    });

    describe('the OpenAPI document', () => {
      it('documents minEvidence on every endpoint that takes it, evidence on the log and evidenceStatus on state items', async () => {
        const document = (await app.get('/docs-json')).body;
        for (const route of [
          'state',
          'tariffs',
          'talks',
          'proposals',
          'changes',
          'tariffs/history',
          'replay',
        ]) {
          const parameters = document.paths[`/negotiations/{id}/${route}`].get.parameters as {
            name: string;
            in: string;
            description?: string;
            schema: { enum?: string[] };
          }[];
          const minEvidence = parameters.find((p) => p.name === 'minEvidence');
          expect({
            route,
            in: minEvidence?.in,
            enum: minEvidence?.schema.enum,
            description: minEvidence?.description,
          }).toEqual({
            route,
            in: 'query',
            enum: ['corroborated', 'confirmed'],
            description: expect.stringContaining('as known at knownAt'),
          });
        }
        const schemas = document.components.schemas;
        expect(schemas.Evidence.required).toEqual([
          'status',
          'sources',
          'confirmedBy',
          'disputedBy',
        ]);
        expect(schemas.ListedTalksHeld.required).toContain('evidence');
        for (const item of [
          'TariffLine',
          'PossibleTariffLine',
          'ScheduledTradeMeasureChange',
          'TradeMeasureItem',
        ]) {
          expect({ item, required: schemas[item].required }).toEqual({
            item,
            required: expect.arrayContaining(['eventId', 'evidenceStatus']),
          });
        }
      });
    });

    describe('refusals: nothing is written', () => {
      const revision = async () => (await app.get(`/negotiations/${ID}`)).body.revision as number;

      async function refused(
        body: Record<string, unknown>,
        status: number,
        expected: Record<string, unknown>,
      ) {
        const before = await revision();
        const answer = await app.post(path('/events'), body);
        expect({ status: answer.status, body: answer.body }).toMatchObject({
          status,
          body: expected,
        });
        expect(await revision()).toBe(before);
      }

      it('422 for an unknown target', async () => {
        await refused(confirmation('11111111-2222-4333-8444-555555555555'), 422, {
          rule: 'evidence-target-unknown',
        });
      });

      it('422 for a target that is not a report: the opening, a retraction, a confirmation, a dispute', async () => {
        const opening = (await listed()).find((item) => item.type === 'NegotiationOpened')!;
        for (const target of [
          opening.eventId,
          recorded.disputeRetracted!.eventId,
          recorded.bloomberg!.eventId,
          recorded.relayedDisputed!.eventId,
        ]) {
          await refused(dispute(target, {}, { by: 'CN' }), 422, {
            rule: 'evidence-target-not-a-report',
          });
          await refused(confirmation(target), 422, { rule: 'evidence-target-not-a-report' });
        }
      });

      it('422 for a retracted target', async () => {
        const misreported = await record(
          'misreported',
          tariffChanged(
            { measure: 'section-301', rate: 25, effectiveAt: '2025-04-20' },
            { occurredAt: '2025-04-18' },
          ),
        );
        await record(
          'misreportedRetracted',
          retraction(misreported.eventId, { occurredAt: '2025-04-19' }),
        );
        await refused(confirmation(misreported.eventId), 422, {
          rule: 'evidence-target-retracted',
        });
        await refused(dispute(misreported.eventId, {}, { by: 'CN' }), 422, {
          rule: 'evidence-target-retracted',
        });
      });

      it('422 for a party not declared', async () => {
        await refused(confirmation(recorded.talks!.eventId, {}, { by: 'JP' }), 422, {
          rule: 'party-unknown',
        });
        await refused(dispute(recorded.talks!.eventId, {}, { by: 'JP' }), 422, {
          rule: 'party-unknown',
        });
      });

      it('400 naming source for a confirmation or a dispute with neither a party nor a source', async () => {
        for (const body of [
          confirmation(recorded.talks!.eventId, { source: undefined }),
          dispute(recorded.talks!.eventId),
        ]) {
          const before = await revision();
          const answer = await app.post(path('/events'), JSON.parse(JSON.stringify(body)));
          expect(answer.status).toBe(400);
          expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'source' })]);
          expect(await revision()).toBe(before);
        }
      });

      it('400 naming the field for every malformed value of a v1.1 field, nothing written', async () => {
        const talks = recorded.talks!.eventId;
        const cases: [string, Record<string, unknown>][] = [
          ['source.via', confirmation(talks, { source: { name: 'AP', via: '' } })],
          ['source.via', confirmation(talks, { source: { name: 'AP', via: 'x'.repeat(201) } })],
          ['source.via', confirmation(talks, { source: { name: 'AP', via: 5 } })],
          ['modality', confirmation(talks, { modality: 'maybe' })],
          ['modality', confirmation(talks, { modality: 7 })],
          ['occurredPrecision', confirmation(talks, { occurredPrecision: 'month' })],
          ['occurredPrecision', confirmation(talks, { occurredPrecision: 'roughly' })],
          ['occurredAt', confirmation(talks, { occurredAt: '2025-13' })],
          ['occurredAt', confirmation(talks, { occurredAt: '2025-4' })],
          ['occurredAt', confirmation(talks, { occurredAt: '25' })],
          ['data.by', confirmation(talks, {}, { by: 'cn' })],
          ['data.by', dispute(talks, {}, { by: 'C' })],
          ['data.note', dispute(talks, {}, { by: 'CN', note: 'x'.repeat(2001) })],
          ['data.note', dispute(talks, {}, { by: 'CN', note: 12 })],
          ['data.targetEventId', dispute('not-a-uuid', {}, { by: 'CN' })],
        ];
        for (const [field, body] of cases) {
          const before = await revision();
          const answer = await app.post(path('/events'), body);
          expect({
            field,
            status: answer.status,
            paths: answer.body.errors?.map((e: { path: string }) => e.path),
          }).toEqual({
            field,
            status: 400,
            paths: [field],
          });
          expect(await revision()).toBe(before);
        }
      });

      it('400 for a target that is not a UUID', async () => {
        const answer = await app.post(path('/events'), confirmation('talks'));
        expect(answer.status).toBe(400);
        expect(answer.body.errors).toEqual([
          expect.objectContaining({ path: 'data.targetEventId' }),
        ]);
      });

      it('refuses a whole batch when one member judges badly, and writes none of it', async () => {
        const before = await revision();
        const answer = await app.post(path('/events/batch'), {
          events: [
            confirmation(recorded.reciprocal!.eventId, { source: { name: 'AP' } }),
            confirmation('11111111-2222-4333-8444-555555555555'),
          ],
        });
        expect(answer.status).toBe(422);
        expect(await revision()).toBe(before);
      });
    });
  });
}
