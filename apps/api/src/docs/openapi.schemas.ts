import type {
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import {
  COVERAGES,
  PROPOSAL_RESPONSES,
  PROPOSAL_SUBJECTS,
  RECORDABLE_TYPES,
  STANCES,
  TALKS_STATUSES,
  TRADE_MEASURE_ACTIONS,
  TRADE_MEASURE_KINDS,
} from '@parley/domain';

/** The answers of the contract's endpoints and the problem shapes, as OpenAPI component schemas. */

type Schema = SchemaObject | ReferenceObject;

export const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

const instant: SchemaObject = {
  type: 'string',
  format: 'date-time',
  description: 'A full UTC date-time',
  example: '2025-04-10T00:00:00.000Z',
};
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const partyCode: SchemaObject = {
  type: 'string',
  pattern: '^[A-Z][A-Z0-9-]{1,15}$',
  example: 'US',
};
const partyCodes: SchemaObject = { type: 'array', items: partyCode };
const strings: SchemaObject = { type: 'array', items: { type: 'string' } };
const object = (properties: Record<string, Schema>, description?: string): SchemaObject => ({
  type: 'object',
  ...(description ? { description } : {}),
  required: Object.keys(properties),
  properties,
});

const tariffLine = object(
  {
    measure: { type: 'string', example: 'reciprocal' },
    rate: { type: 'number', example: 125 },
    coverage: { type: 'string', enum: [...COVERAGES] },
    effectiveAt: instant,
    eventId: { type: 'string', format: 'uuid' },
  },
  'One tariff line: the TariffChanged in force (or scheduled) for (imposedBy, appliedTo, measure)',
);

/** Every response schema, by component name. */
export const RESPONSE_SCHEMAS: Record<string, Schema> = {
  OpenedNegotiation: object({
    id: { type: 'string', example: 'us-china-trade' },
    revision: { type: 'integer', enum: [0] },
  }),
  NegotiationSummary: object({
    id: { type: 'string', example: 'us-china-trade' },
    title: { type: 'string' },
    parties: { type: 'array', items: ref('Party'), description: 'Every party declared so far' },
    revision: { type: 'integer', description: 'The stream’s last revision' },
    eventCount: {
      type: 'integer',
      description: 'Every event, NegotiationOpened included: revision + 1',
    },
    firstOccurredAt: instant,
    lastOccurredAt: instant,
  }),
  RecordedDevelopmentAnswer: object({
    eventId: { type: 'string', format: 'uuid' },
    negotiationId: { type: 'string' },
    revision: { type: 'integer' },
    recordedAt: { ...instant, description: 'When the tracker recorded it (transaction time)' },
  }),
  BatchAnswer: object({
    revision: { type: 'integer', description: 'The stream’s revision after the batch' },
    results: {
      type: 'array',
      items: object({ eventId: { type: 'string', format: 'uuid' }, revision: { type: 'integer' } }),
    },
  }),
  NegotiationOpenedData: object({
    title: { type: 'string' },
    parties: { type: 'array', items: ref('Party') },
    description: { type: 'string' },
  }),
  NegotiationOpenedDevelopment: {
    type: 'object',
    description: 'Written only by POST /negotiations; listed by GET …/events at revision 0',
    required: ['type', 'eventId', 'occurredAt', 'data'],
    properties: {
      type: { type: 'string', enum: ['NegotiationOpened'] },
      eventId: { type: 'string', format: 'uuid' },
      occurredAt: instant,
      data: ref('NegotiationOpenedData'),
    },
  },
  ListedDevelopment: {
    description:
      'A development as the log lists it: its envelope (by type, as posted, `eventId` always set) plus where and when it was recorded and whether it was retracted',
    allOf: [
      {
        oneOf: ['NegotiationOpened', ...RECORDABLE_TYPES].map((type) => ref(`${type}Development`)),
        discriminator: {
          propertyName: 'type',
          mapping: Object.fromEntries(
            ['NegotiationOpened', ...RECORDABLE_TYPES].map((type) => [
              type,
              `#/components/schemas/${type}Development`,
            ]),
          ),
        },
      },
      object({
        negotiationId: { type: 'string' },
        revision: { type: 'integer' },
        recordedAt: { ...instant, description: 'When the tracker recorded it (transaction time)' },
        retracted: {
          type: 'boolean',
          description: 'Retracted by a DevelopmentRetracted known at knownAt',
        },
      }),
    ],
  },
  DevelopmentPage: object({
    items: { type: 'array', items: ref('ListedDevelopment') },
    nextCursor: {
      type: 'string',
      nullable: true,
      description: 'Pass as `cursor` for the next page; null on the last page',
    },
  }),
  TariffLine: tariffLine,
  TariffPair: object({
    imposedBy: partyCode,
    appliedTo: partyCode,
    total: {
      type: 'number',
      description: 'Sum of the active lines with coverage all-goods',
      example: 145,
    },
    measures: {
      type: 'array',
      items: ref('TariffLine'),
      description: 'Active lines, by measure then effectiveAt',
    },
    scheduled: {
      type: 'array',
      items: ref('TariffLine'),
      description: 'Known changes not yet effective at asOf (not counted in total)',
    },
  }),
  TradeMeasureItem: object({
    imposedBy: partyCode,
    appliedTo: partyCodes,
    measure: { type: 'string', example: 'de-minimis-exemption' },
    kind: { type: 'string', enum: [...TRADE_MEASURE_KINDS] },
    status: {
      type: 'string',
      enum: [...TRADE_MEASURE_ACTIONS],
      nullable: true,
      description: 'The action of the latest effective change; null while none is effective',
    },
    effectiveAt: nullable(instant),
    eventId: { type: 'string', format: 'uuid', nullable: true },
    scheduled: {
      type: 'array',
      items: object({
        action: { type: 'string', enum: [...TRADE_MEASURE_ACTIONS] },
        effectiveAt: instant,
        eventId: { type: 'string', format: 'uuid' },
      }),
    },
  }),
  Talks: object({
    status: { type: 'string', enum: [...TALKS_STATUSES] },
    since: {
      ...nullable(instant),
      description: 'occurredAt of the development that set the status',
    },
    rounds: { type: 'integer' },
    lastRoundAt: nullable(instant),
    nextRoundAt: {
      ...nullable(instant),
      description: 'Set by TalksScheduled, cleared by a later TalksHeld',
    },
  }),
  Proposal: object({
    proposalId: { type: 'string' },
    by: partyCode,
    to: partyCodes,
    subject: { type: 'string', enum: [...PROPOSAL_SUBJECTS] },
    summary: { type: 'string' },
    terms: strings,
    status: { type: 'string', enum: ['proposed', ...PROPOSAL_RESPONSES] },
    counterProposalId: { type: 'string', nullable: true },
    madeAt: instant,
    updatedAt: instant,
  }),
  StanceItem: object({
    party: partyCode,
    stance: { type: 'string', enum: [...STANCES] },
    speaker: { type: 'string' },
    at: instant,
  }),
  Demand: object({
    by: partyCode,
    of: partyCode,
    issue: { type: 'string' },
    summary: { type: 'string' },
    status: { type: 'string', enum: ['open', 'resolved'] },
    madeAt: instant,
    resolvedAt: nullable(instant),
  }),
  Agreement: object({
    parties: partyCodes,
    summary: { type: 'string' },
    terms: strings,
    at: instant,
    effectiveAt: nullable(instant),
  }),
  NegotiationState: object(
    {
      negotiationId: { type: 'string' },
      title: { type: 'string' },
      asOf: instant,
      knownAt: nullable(instant),
      revision: {
        type: 'integer',
        description: 'The highest revision among the events considered (after the knownAt filter)',
      },
      parties: { type: 'array', items: ref('Party') },
      tariffs: {
        type: 'array',
        items: ref('TariffPair'),
        description: 'Pairs with an active or scheduled line, by imposedBy, appliedTo',
      },
      tradeMeasures: { type: 'array', items: ref('TradeMeasureItem') },
      talks: ref('Talks'),
      proposals: {
        type: 'array',
        items: ref('Proposal'),
        description: 'Every proposal, by madeAt then proposalId',
      },
      stances: { type: 'array', items: ref('StanceItem') },
      demands: { type: 'array', items: ref('Demand') },
      agreements: { type: 'array', items: ref('Agreement') },
    },
    'The state of play on asOf as known at knownAt',
  ),
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details (application/problem+json)',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: {
        type: 'string',
        description: 'A relative URI naming the rule: /problems/<rule>, or about:blank',
        example: '/problems/party-unknown',
      },
      title: { type: 'string', example: 'Domain rule broken' },
      status: { type: 'integer', example: 422 },
      detail: { type: 'string', example: 'party JP has not been declared in this negotiation' },
      rule: { type: 'string', description: 'For 409 and 422 from a domain rule: its name' },
      actualRevision: {
        type: 'integer',
        description: 'For an expectedRevision mismatch (409): the stream’s actual revision',
      },
      errors: { type: 'array', items: ref('FieldError') },
    },
  },
  FieldError: object({
    path: { type: 'string', example: 'data.rate' },
    message: { type: 'string', example: 'rate must not be greater than 1000' },
  }),
  ValidationProblem: {
    description: '400: every offending field is listed in `errors`',
    allOf: [
      ref('Problem'),
      {
        type: 'object',
        required: ['errors'],
        properties: { errors: { type: 'array', items: ref('FieldError') } },
      },
    ],
    example: {
      type: '/problems/validation',
      title: 'Invalid request',
      status: 400,
      detail: 'Invalid fields: data.rate, occurredAt',
      errors: [
        {
          path: 'data.rate',
          message: 'rate must be a number conforming to the specified constraints',
        },
        {
          path: 'occurredAt',
          message:
            'occurredAt must be an ISO 8601 date (YYYY-MM-DD) or date-time with Z or an offset, on a real calendar day',
        },
      ],
    },
  },
};

/** What each error status means in this API, for the responses of every operation. */
export const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input; `errors` names every offending field',
  401: 'Missing or wrong `Authorization: Bearer <key>` (when the server runs with API_KEY)',
  403: 'Not allowed',
  404: 'Unknown negotiation',
  409: 'Conflict: the id or proposalId exists, an eventId reused with other content, or an expectedRevision mismatch (`actualRevision`)',
  413: 'Request body over 1 MiB',
  422: 'A domain rule is broken (`rule` names it); nothing was written',
  429: 'Too many requests',
  503: 'The event store does not answer; retry after Retry-After',
};
