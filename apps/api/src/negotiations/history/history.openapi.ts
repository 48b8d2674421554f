import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** OpenAPI schemas of the history answers, as docs/history-api.md describes them. */

const instant: SchemaObject = {
  type: 'string',
  format: 'date-time',
  example: '2025-04-10T00:00:00.000Z',
};
const nullableInstant: SchemaObject = { ...instant, nullable: true };
const party: SchemaObject = { type: 'string', example: 'US' };

const tariffLine: SchemaObject = {
  type: 'object',
  properties: {
    measure: { type: 'string', example: 'reciprocal' },
    rate: { type: 'number', example: 125 },
    coverage: { type: 'string', enum: ['all-goods', 'selected-goods'] },
    effectiveAt: instant,
    eventId: { type: 'string' },
  },
};

const tariffLineValue: SchemaObject = {
  type: 'object',
  nullable: true,
  properties: {
    rate: { type: 'number' },
    coverage: { type: 'string', enum: ['all-goods', 'selected-goods'] },
    effectiveAt: instant,
    eventId: { type: 'string' },
  },
};

/** A development as `GET …/events` lists it: the envelope plus revision, recordedAt and retracted. */
export const DEVELOPMENT_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    'The envelope as posted, plus `negotiationId`, `revision`, `recordedAt` and `retracted`, as `GET …/events` lists it',
  properties: {
    type: { type: 'string', example: 'TariffChanged' },
    eventId: { type: 'string' },
    occurredAt: instant,
    reportedAt: instant,
    source: { type: 'object' },
    summary: { type: 'string' },
    data: { type: 'object' },
    negotiationId: { type: 'string' },
    revision: { type: 'integer' },
    recordedAt: instant,
    retracted: { type: 'boolean' },
  },
};

const proposal: SchemaObject = {
  type: 'object',
  description: 'A proposal as in the state',
  properties: {
    proposalId: { type: 'string' },
    by: party,
    to: { type: 'array', items: party },
    subject: { type: 'string' },
    summary: { type: 'string' },
    terms: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', example: 'accepted' },
    counterProposalId: { type: 'string', nullable: true },
    madeAt: instant,
    updatedAt: instant,
  },
};

const demand: SchemaObject = {
  type: 'object',
  description: 'A demand as in the state',
  properties: {
    by: party,
    of: party,
    issue: { type: 'string' },
    summary: { type: 'string' },
    status: { type: 'string', enum: ['open', 'resolved'] },
    madeAt: instant,
    resolvedAt: nullableInstant,
  },
};

export const STATE_SUMMARY_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    asOf: instant,
    tariffs: {
      type: 'array',
      items: {
        type: 'object',
        properties: { imposedBy: party, appliedTo: party, total: { type: 'number', example: 145 } },
      },
    },
    talksStatus: { type: 'string', example: 'stalled' },
    openProposals: { type: 'integer', example: 1 },
  },
};

export const CHANGES_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    negotiationId: { type: 'string' },
    from: nullableInstant,
    to: instant,
    knownAt: nullableInstant,
    revision: { type: 'integer', description: 'The last revision considered (the knownAt cut)' },
    developments: {
      type: 'array',
      items: DEVELOPMENT_SCHEMA,
      description: 'occurredAt in (from, to], valid-time order',
    },
    tariffs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          imposedBy: party,
          appliedTo: party,
          before: { type: 'number', example: 20 },
          after: { type: 'number', example: 145 },
          lines: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                measure: { type: 'string' },
                before: tariffLineValue,
                after: tariffLineValue,
              },
            },
          },
        },
      },
    },
    talks: {
      type: 'object',
      properties: { before: { type: 'string' }, after: { type: 'string' } },
    },
    proposals: {
      type: 'object',
      properties: {
        opened: { type: 'array', items: proposal },
        closed: { type: 'array', items: proposal },
        stillOpen: { type: 'array', items: proposal },
      },
    },
    tradeMeasures: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          imposedBy: party,
          measure: { type: 'string' },
          appliedTo: { type: 'array', items: party },
          kind: { type: 'string' },
          before: { type: 'string', nullable: true },
          after: { type: 'string', nullable: true },
        },
      },
    },
    stances: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          party,
          before: { type: 'string', nullable: true },
          after: { type: 'string', nullable: true },
          speaker: { type: 'string', nullable: true },
          at: nullableInstant,
        },
      },
    },
    demands: {
      type: 'object',
      properties: {
        made: { type: 'array', items: demand },
        resolved: { type: 'array', items: demand },
      },
    },
  },
};

export const TARIFF_HISTORY_SCHEMA: SchemaObject = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      at: instant,
      total: { type: 'number', example: 145 },
      measures: { type: 'array', items: tariffLine },
    },
  },
};

export const REPLAY_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { development: DEVELOPMENT_SCHEMA, state: STATE_SUMMARY_SCHEMA },
      },
    },
    nextCursor: { type: 'string', nullable: true },
  },
};
