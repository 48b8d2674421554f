import type {
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import {
  COVERAGES,
  OCCURRED_PRECISIONS,
  PARTY_CODE,
  PRODUCT_CODE,
  PROPOSAL_RESPONSES,
  PROPOSAL_SUBJECTS,
  STANCES,
  TALKS_STATUSES,
  TRADE_MEASURE_ACTIONS,
  TRADE_MEASURE_KINDS,
} from '@parley/domain';
import { SEARCH_SCHEMAS } from '../search/search.schemas';

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
/** An enum that may also be null (OpenAPI 3.0: `nullable` alone does not admit null into an enum). */
const nullableEnum = (values: readonly string[], description: string): SchemaObject => ({
  type: 'string',
  enum: [...values, null],
  nullable: true,
  description,
});
const partyCode: SchemaObject = { type: 'string', pattern: PARTY_CODE.source, example: 'US' };
const partyCodes: SchemaObject = { type: 'array', items: partyCode };
const strings: SchemaObject = { type: 'array', items: { type: 'string' } };
const uuid: SchemaObject = { type: 'string', format: 'uuid' };
const arrayOf = (name: string, description?: string): SchemaObject => ({
  type: 'array',
  items: ref(name),
  ...(description ? { description } : {}),
});
/** An answer object: every property is always present unless named in `optional`. */
const object = (
  properties: Record<string, Schema>,
  description?: string,
  optional: string[] = [],
): SchemaObject => ({
  type: 'object',
  ...(description ? { description } : {}),
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  properties,
});
const talksStatus: SchemaObject = { type: 'string', enum: [...TALKS_STATUSES] };
const proposalStatus: SchemaObject = {
  type: 'string',
  enum: ['considered', 'proposed', ...PROPOSAL_RESPONSES],
  description: 'considered: only reported weighed (contract v1.1), not made, not open',
};
const listedFields: Record<string, Schema> = {
  negotiationId: { type: 'string' },
  revision: { type: 'integer', minimum: 0 },
  recordedAt: { ...instant, description: 'When the tracker recorded it (transaction time)' },
  retracted: {
    type: 'boolean',
    description: 'Retracted by a DevelopmentRetracted known at knownAt',
  },
};

/** What the log adds to a readable development: its precision, always said (contract v1.1). */
const readableListedFields = {
  occurredPrecision: {
    type: 'string',
    enum: [...OCCURRED_PRECISIONS],
    description:
      'How precisely occurredAt is known: instant (a date-time was sent), day (a date), month (YYYY-MM), year (YYYY), or approximate (the client said so, whatever the form)',
  },
} satisfies Record<string, Schema>;

/** The log gives occurredAt in one form, whatever form was posted (contract v1.1, "Dates known roughly"). */
const listedOccurredAt: SchemaObject = {
  ...instant,
  description:
    'When it happened in the world (valid time), as a full UTC time: the instant sent, or the start of the day, month or year sent; occurredPrecision says which',
};

/**
 * How the log lists each development type: the envelope as posted (its `data` schema, `eventId`
 * always set, no `expectedRevision`) plus where and when it was recorded. From the request envelope
 * schemas, so the two cannot drift.
 */
export function listedDevelopmentSchemas(
  envelopes: Record<string, SchemaObject>,
): Record<string, Schema> {
  const listed: Record<string, Schema> = {};
  const mapping: Record<string, string> = {};
  for (const [type, envelope] of Object.entries(envelopes)) {
    const properties: Record<string, Schema> = {
      ...envelope.properties,
      occurredAt: listedOccurredAt,
    };
    delete properties.expectedRevision; // a request field, not stored
    listed[`Listed${type}`] = {
      type: 'object',
      description: `A ${type} development as the log lists it`,
      required: [
        ...new Set([
          ...(envelope.required ?? []),
          'eventId',
          ...Object.keys(readableListedFields),
          ...Object.keys(listedFields),
        ]),
      ].filter((name) => name !== 'expectedRevision'),
      properties: { ...properties, ...readableListedFields, ...listedFields },
    };
    mapping[type] = `#/components/schemas/Listed${type}`;
  }
  listed.ReadableDevelopment = {
    description: 'A development the folds read: a discriminated union on `type`',
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: 'type', mapping },
  };
  listed.UnreadableDevelopment = {
    type: 'object',
    description:
      'A stored development no fold can read (an unknown type, or fields an earlier version let through): listed as it was stored, under the type it was stored as, with `unreadable` saying why. The folds skip it; it can be retracted.',
    required: ['type', 'eventId', 'occurredAt', 'unreadable', ...Object.keys(listedFields)],
    properties: {
      type: { type: 'string', description: 'The type it was stored under' },
      eventId: { type: 'string' },
      occurredAt: {
        ...instant,
        description: 'As stored when that is a time (made canonical), else recordedAt',
      },
      unreadable: { type: 'string', description: 'Why no fold can read it' },
      data: { description: 'As stored: any JSON value (absent when nothing was stored)' },
      ...listedFields,
    },
    additionalProperties: true,
  };
  listed.ListedDevelopment = {
    description:
      'A development as the log lists it (GET …/events, /changes, /replay, /live): readable, or unreadable with `unreadable` set',
    anyOf: [ref('ReadableDevelopment'), ref('UnreadableDevelopment')],
  };
  return listed;
}

const productCodes = (description: string): SchemaObject => ({
  type: 'array',
  items: { type: 'string', pattern: PRODUCT_CODE.source, example: '8517.13' },
  description,
});

/** What goods a line covers (contract v1.1, Product scope): each only when the line has one. */
const lineScopeFields = {
  products: productCodes(
    'The goods a selected-goods line covers; each code covers the codes that start with it. A selected-goods line without them has an unknown scope.',
  ),
  excluded: productCodes('Codes excluded from the line at the answer’s time (TariffScopeChanged)'),
  included: productCodes('Codes covered again inside a wider exclusion'),
  displaces: {
    ...strings,
    description: 'Lines of the same pair that do not apply to the goods this line covers',
  },
} satisfies Record<string, Schema>;
const LINE_SCOPE = Object.keys(lineScopeFields);

const tariffLineFields = {
  rate: { type: 'number', example: 125 },
  coverage: { type: 'string', enum: [...COVERAGES] },
  effectiveAt: instant,
  eventId: uuid,
  until: { ...instant, description: 'A temporary rate’s end: the line is at thenRate from then' },
  thenRate: { type: 'number', example: 34, description: 'The rate from until' },
  reversion: {
    type: 'boolean',
    enum: [true],
    description:
      'This step is a temporary rate’s expiry: rate is its thenRate, effectiveAt its until',
  },
  ...lineScopeFields,
  retroactive: {
    type: 'boolean',
    enum: [true],
    description:
      'With effectiveOn: the change deciding the line, or a scope change applied to it, took effect before it was announced',
  },
} satisfies Record<string, Schema>;
const TARIFF_LINE_OPTIONAL = ['until', 'thenRate', 'reversion', ...LINE_SCOPE, 'retroactive'];

const stateSummaryFields = {
  asOf: instant,
  tariffs: arrayOf('TariffTotal'),
  talksStatus,
  openProposals: { type: 'integer', minimum: 0, example: 1 },
} satisfies Record<string, Schema>;

/** The answers of the history endpoints (GET …/changes, …/tariffs/history, …/replay, …/live). */
const HISTORY_SCHEMAS: Record<string, Schema> = {
  TariffTotal: object({
    imposedBy: partyCode,
    appliedTo: partyCode,
    total: { type: 'number', example: 145 },
  }),
  StateSummary: object(stateSummaryFields, 'The state right after a development, in brief'),
  LiveState: object(
    { negotiationId: { type: 'string' }, revision: { type: 'integer' }, ...stateSummaryFields },
    'The state now, after the last development sent',
  ),
  TariffLineValue: nullable(
    object(tariffLineFields, 'A line in force; null: none (or lifted)', TARIFF_LINE_OPTIONAL),
  ),
  TariffLineChange: object({
    measure: { type: 'string' },
    before: ref('TariffLineValue'),
    after: ref('TariffLineValue'),
  }),
  TariffPairChange: object({
    imposedBy: partyCode,
    appliedTo: partyCode,
    before: { type: 'number', example: 20, description: 'The total at from' },
    after: { type: 'number', example: 145, description: 'The total at to' },
    lines: arrayOf(
      'TariffLineChange',
      'Only the lines whose rate, coverage or scope (excluded, included) differ',
    ),
    threatened: ref('PossibleTariffLinesAppeared'),
    considered: ref('PossibleTariffLinesAppeared'),
    voided: arrayOf(
      'TariffLine',
      'Temporary rates’ expiries (reversion: true) pending at from or announced since, voided in the range by a later-announced change of their line taking effect at or before them',
    ),
  }),
  PossibleTariffLinesAppeared: object(
    {
      appeared: arrayOf('PossibleTariffLine', 'Listed at to, not at from'),
      went: arrayOf(
        'PossibleTariffLine',
        'Listed at from, not at to: replaced, carried out, settled, withdrawn or past its date',
      ),
    },
    'Threatened (or considered) changes of the pair that appeared or went in the range, as listed',
  ),
  PossibleTradeMeasureChangesAppeared: object(
    {
      appeared: arrayOf('PossibleTradeMeasureChange', 'Listed at to, not at from'),
      went: arrayOf(
        'PossibleTradeMeasureChange',
        'Listed at from, not at to: replaced, carried out or past its date',
      ),
    },
    'Threatened (or considered) changes of the measure that appeared or went in the range, as listed',
  ),
  TradeMeasureChange: object({
    imposedBy: partyCode,
    measure: { type: 'string' },
    appliedTo: partyCodes,
    kind: { type: 'string', enum: [...TRADE_MEASURE_KINDS] },
    before: nullableEnum(TRADE_MEASURE_ACTIONS, 'The status at from; null: none effective'),
    after: nullableEnum(TRADE_MEASURE_ACTIONS, 'The status at to; null: none effective'),
    threatened: ref('PossibleTradeMeasureChangesAppeared'),
    considered: ref('PossibleTradeMeasureChangesAppeared'),
  }),
  StanceChange: object({
    party: partyCode,
    before: nullableEnum(STANCES, 'The stance at from; null: none stated'),
    after: nullableEnum(STANCES, 'The stance at to; null: none stated'),
    speaker: {
      type: 'string',
      nullable: true,
      description: 'Who stated the stance in force at to',
    },
    at: { ...nullable(instant), description: 'When the stance in force at to was stated' },
  }),
  NegotiationChanges: object({
    negotiationId: { type: 'string' },
    from: nullable(instant),
    to: instant,
    knownAt: nullable(instant),
    revision: { type: 'integer', description: 'The last revision considered (the knownAt cut)' },
    developments: arrayOf('ListedDevelopment', 'occurredAt in (from, to], valid-time order'),
    tariffs: arrayOf('TariffPairChange'),
    talks: object({ before: talksStatus, after: talksStatus }),
    proposals: object({
      opened: arrayOf(
        'Proposal',
        'Made in (from, to] (including those only considered before), with their status at to',
      ),
      closed: arrayOf('Proposal', 'Open at from or made since, no longer open at to'),
      stillOpen: arrayOf('Proposal', 'Every proposal open at to'),
      considered: object(
        {
          appeared: arrayOf('Proposal', 'Only considered at to, not at from'),
          went: arrayOf('Proposal', 'Considered at from, made since (as at to; also in opened)'),
        },
        'Proposals only reported considered (contract v1.1): never in opened, closed or stillOpen while so',
      ),
    }),
    tradeMeasures: arrayOf('TradeMeasureChange'),
    stances: arrayOf('StanceChange'),
    demands: object({
      made: arrayOf('Demand', 'Made (or made again after being resolved) in (from, to]'),
      resolved: arrayOf('Demand', 'Resolved in (from, to]'),
    }),
  }),
  TariffPoint: object(
    {
      at: instant,
      total: { type: 'number', example: 145 },
      measures: arrayOf('TariffLine'),
      applicable: ref('Applicable'),
    },
    undefined,
    ['applicable'],
  ),
  ReplayStep: object({
    development: ref('ListedDevelopment'),
    state: ref('StateSummary'),
  }),
  ReplayPage: object({
    items: arrayOf('ReplayStep'),
    nextCursor: {
      type: 'string',
      nullable: true,
      description: 'Pass as `cursor` for the next page; null on the last page',
    },
  }),
  LiveDevelopmentEvent: object(
    {
      event: { type: 'string', enum: ['development'] },
      id: { type: 'string', pattern: '^\\d+$', description: 'Its revision' },
      data: ref('ListedDevelopment'),
    },
    '`event: development`: a development recorded',
  ),
  LiveStateEvent: object(
    {
      event: { type: 'string', enum: ['state'] },
      id: {
        type: 'string',
        pattern: '^\\d+$',
        description: 'The revision of the last development sent',
      },
      data: ref('LiveState'),
    },
    '`event: state`: the state after the developments just sent',
  ),
  LiveEvent: {
    description:
      'One Server-Sent Event: its `event` field names the kind, `id` the revision, `data` (JSON) the payload',
    oneOf: [ref('LiveDevelopmentEvent'), ref('LiveStateEvent')],
    discriminator: {
      propertyName: 'event',
      mapping: {
        development: '#/components/schemas/LiveDevelopmentEvent',
        state: '#/components/schemas/LiveStateEvent',
      },
    },
  },
};

const problemFields: Record<string, Schema> = {
  type: {
    type: 'string',
    description: 'A relative URI naming the rule: /problems/<rule>, or about:blank',
    example: '/problems/party-unknown',
  },
  title: { type: 'string', example: 'Domain rule broken' },
  status: { type: 'integer', minimum: 400, maximum: 599, example: 422 },
  detail: { type: 'string', example: 'party JP has not been declared in this negotiation' },
  rule: { type: 'string', description: 'For 409 and 422 from a domain rule: its name' },
  actualRevision: {
    type: 'integer',
    description: 'For an expectedRevision mismatch (409): the stream’s actual revision',
  },
  errors: { type: 'array', items: ref('FieldError') },
  checks: {
    type: 'object',
    description: 'For 503 from GET /health/ready: the checks, as in HealthCheck',
    additionalProperties: true,
  },
};

/** Every response schema, by component name (the listed developments come from the request schemas: see listedDevelopmentSchemas). */
/** The fields of each kind of deadline (contract v1.1, Deadlines), besides at, kind and eventId. */
const DEADLINE_KINDS: Record<string, { fields: Record<string, Schema>; description: string }> = {
  'tariff-change': {
    description: 'A scheduled step of a tariff line; reversion: a temporary rate’s expiry',
    fields: {
      imposedBy: partyCode,
      appliedTo: partyCode,
      measure: { type: 'string', example: 'reciprocal' },
      rate: { type: 'number', example: 34 },
      coverage: { type: 'string', enum: [...COVERAGES] },
      reversion: { type: 'boolean' },
    },
  },
  'tariff-threat': {
    description: 'A threatened or considered tariff change with a date, not yet replaced',
    fields: {
      imposedBy: partyCode,
      appliedTo: partyCode,
      measure: { type: 'string', example: 'threat-100' },
      rate: { type: 'number', example: 100 },
      coverage: { type: 'string', enum: [...COVERAGES] },
      modality: { type: 'string', enum: ['threatened', 'considered'] },
    },
  },
  'trade-measure-change': {
    description: 'A scheduled change of a trade measure',
    fields: {
      imposedBy: partyCode,
      appliedTo: partyCodes,
      measure: { type: 'string', example: 'de-minimis-exemption' },
      action: { type: 'string', enum: [...TRADE_MEASURE_ACTIONS] },
    },
  },
  'talks-round': {
    description: 'The next round of talks (nextRoundAt); eventId: the TalksScheduled that set it',
    fields: {},
  },
  'agreement-effective': {
    description: 'An agreement taking effect',
    fields: { parties: partyCodes, summary: { type: 'string' } },
  },
};

const deadlineName = (kind: string): string =>
  kind.replace(/(^|-)([a-z])/g, (_, __: string, letter: string) => letter.toUpperCase());

/**
 * `Deadline` (…/deadlines) and `NegotiationDeadline` (GET /deadlines, with negotiationId): a union
 * discriminated on `kind`, one closed object per kind.
 */
function deadlineSchemas(prefix: string, extra: Record<string, Schema>): Record<string, Schema> {
  const schemas: Record<string, Schema> = {};
  const mapping: Record<string, string> = {};
  for (const [kind, { fields, description }] of Object.entries(DEADLINE_KINDS)) {
    const name = `${prefix}${deadlineName(kind)}`;
    schemas[name] = object(
      {
        ...extra,
        at: { ...instant, description: 'When it is due' },
        kind: { type: 'string', enum: [kind] },
        eventId: uuid,
        ...fields,
      },
      description,
    );
    mapping[kind] = `#/components/schemas/${name}`;
  }
  schemas[prefix] = {
    description: 'Something due after asOf: a union discriminated on `kind`',
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: 'kind', mapping },
  };
  return schemas;
}

const negotiationIdField = {
  negotiationId: { type: 'string', example: 'us-china-2025' },
} satisfies Record<string, Schema>;

export const RESPONSE_SCHEMAS: Record<string, Schema> = {
  ...deadlineSchemas('Deadline', {}),
  ...deadlineSchemas('NegotiationDeadline', negotiationIdField),
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
    eventId: uuid,
    negotiationId: { type: 'string' },
    revision: { type: 'integer' },
    recordedAt: { ...instant, description: 'When the tracker recorded it (transaction time)' },
  }),
  BatchAnswer: object({
    revision: { type: 'integer', description: 'The stream’s revision after the batch' },
    results: {
      type: 'array',
      items: object({ eventId: uuid, revision: { type: 'integer' } }),
    },
  }),
  DevelopmentPage: object({
    items: arrayOf('ListedDevelopment'),
    nextCursor: {
      type: 'string',
      nullable: true,
      description: 'Pass as `cursor` for the next page; null on the last page',
    },
  }),
  TariffLine: object(
    { measure: { type: 'string', example: 'reciprocal' }, ...tariffLineFields },
    'One tariff line: the TariffChanged in force (or scheduled) for (imposedBy, appliedTo, measure)',
    TARIFF_LINE_OPTIONAL,
  ),
  Applicable: object(
    {
      product: { type: 'string', pattern: PRODUCT_CODE.source, example: '8517.13.00' },
      rate: {
        type: 'number',
        example: 20,
        description: 'The sum of the lines counted: what goods of the product pay',
      },
      measures: { ...strings, description: 'The lines in force that cover the product, counted' },
      displaced: {
        ...strings,
        description: 'Lines in force that cover it but that another covering line displaces',
      },
      uncertain: {
        ...strings,
        description: 'Selected-goods lines in force whose products are not known: not counted',
      },
    },
    'What goods of `product` pay between the pair (contract v1.1): all-goods lines that do not exclude it and selected-goods lines whose products cover it, less those displaced',
  ),
  TariffPair: object(
    {
      imposedBy: partyCode,
      appliedTo: partyCode,
      total: {
        type: 'number',
        description: 'Sum of the active lines with coverage all-goods',
        example: 145,
      },
      measures: arrayOf('TariffLine', 'Active lines, by measure then effectiveAt'),
      scheduled: arrayOf(
        'TariffLine',
        'Known changes not yet effective at asOf (not counted in total)',
      ),
      threatened: arrayOf(
        'PossibleTariffLine',
        'Threatened changes still pending at asOf (not counted in total), by measure then effectiveAt (none last)',
      ),
      considered: arrayOf(
        'PossibleTariffLine',
        'Changes reported considered, still pending at asOf (not counted in total), ordered as threatened',
      ),
      applicable: ref('Applicable'),
    },
    undefined,
    ['applicable'],
  ),
  PossibleTariffLine: object(
    {
      measure: { type: 'string', example: 'threat-100' },
      rate: { type: 'number', example: 100 },
      coverage: { type: 'string', enum: [...COVERAGES] },
      effectiveAt: {
        ...nullable(instant),
        description: 'When it would take effect; null: not said (considered only)',
      },
      eventId: uuid,
      at: { ...instant, description: 'Its occurredAt: when it was announced' },
      ...lineScopeFields,
    },
    'A threatened or considered TariffChanged: listed while it is the latest-announced development of its line, its rate is above 0 and effectiveAt (if any) is after asOf',
    LINE_SCOPE,
  ),
  ScheduledTradeMeasureChange: object({
    action: { type: 'string', enum: [...TRADE_MEASURE_ACTIONS] },
    effectiveAt: instant,
    eventId: uuid,
  }),
  TradeMeasureItem: object({
    imposedBy: partyCode,
    appliedTo: partyCodes,
    measure: { type: 'string', example: 'de-minimis-exemption' },
    kind: { type: 'string', enum: [...TRADE_MEASURE_KINDS] },
    status: nullableEnum(
      TRADE_MEASURE_ACTIONS,
      'The action of the latest effective change; null while none is effective',
    ),
    effectiveAt: nullable(instant),
    eventId: { ...uuid, nullable: true },
    scheduled: arrayOf('ScheduledTradeMeasureChange'),
    threatened: arrayOf(
      'PossibleTradeMeasureChange',
      'Threatened changes still pending at asOf, by effectiveAt (none last)',
    ),
    considered: arrayOf(
      'PossibleTradeMeasureChange',
      'Changes reported considered, still pending at asOf, by effectiveAt (none last)',
    ),
  }),
  PossibleTradeMeasureChange: object(
    {
      action: { type: 'string', enum: [...TRADE_MEASURE_ACTIONS] },
      effectiveAt: {
        ...nullable(instant),
        description: 'When it would take effect; null: not said (considered only)',
      },
      eventId: uuid,
      at: { ...instant, description: 'Its occurredAt: when it was announced' },
    },
    'A threatened or considered TradeMeasureChanged, listed as a PossibleTariffLine is',
  ),
  Talks: object({
    status: talksStatus,
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
    status: proposalStatus,
    counterProposalId: { type: 'string', nullable: true },
    madeAt: { ...nullable(instant), description: 'When it was made; null while only considered' },
    consideredAt: {
      ...nullable(instant),
      description: 'When it was first reported considered; null if it never was',
    },
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
      effectiveOn: {
        ...instant,
        description:
          'With effectiveOn: tariffs are the lines in force then as finally decided; the rest of the state is as of that time (asOf)',
      },
      knownAt: nullable(instant),
      revision: {
        type: 'integer',
        description: 'The highest revision among the events considered (after the knownAt filter)',
      },
      parties: { type: 'array', items: ref('Party') },
      tariffs: arrayOf(
        'TariffPair',
        'Pairs with an active, scheduled, threatened or considered line, by imposedBy, appliedTo',
      ),
      tradeMeasures: arrayOf('TradeMeasureItem'),
      talks: ref('Talks'),
      proposals: arrayOf(
        'Proposal',
        'Every proposal, by madeAt (consideredAt while only considered) then proposalId',
      ),
      stances: arrayOf('StanceItem'),
      demands: arrayOf('Demand'),
      agreements: arrayOf('Agreement'),
    },
    'The state of play on asOf as known at knownAt',
    ['effectiveOn'],
  ),
  ...HISTORY_SCHEMAS,
  ...SEARCH_SCHEMAS,
  HealthCheck: object(
    {
      status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
      info: { type: 'object', additionalProperties: ref('HealthIndicator') },
      error: { type: 'object', additionalProperties: ref('HealthIndicator') },
      details: { type: 'object', additionalProperties: ref('HealthIndicator') },
    },
    'The checks (@nestjs/terminus): `info` those up, `error` those down, `details` all',
  ),
  HealthIndicator: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details (application/problem+json)',
    required: ['type', 'title', 'status', 'detail'],
    properties: problemFields,
  },
  FieldError: object({
    path: { type: 'string', example: 'data.rate' },
    message: { type: 'string', example: 'rate must not be greater than 1000' },
  }),
  ValidationProblem: {
    type: 'object',
    description: '400: every offending field is listed in `errors`',
    required: ['type', 'title', 'status', 'detail', 'errors'],
    properties: problemFields,
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
            'occurredAt must be an ISO 8601 date (YYYY-MM-DD) or date-time with Z or an offset, to the millisecond at the finest, on a real calendar day',
        },
      ],
    },
  },
};

/** What each error status means in this API, for the responses of every operation. */
/** A tariff pair of one negotiation (GET /tariffs): the pair with its negotiation's id first. */
RESPONSE_SCHEMAS.NegotiationTariffPair = (() => {
  const pair = RESPONSE_SCHEMAS.TariffPair as SchemaObject;
  return {
    ...pair,
    description: 'A tariff pair of one negotiation (GET /tariffs)',
    required: ['negotiationId', ...(pair.required ?? [])],
    properties: { ...negotiationIdField, ...pair.properties },
  };
})();

export const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input, or an unknown query parameter; `errors` names every offending field',
  401: 'No `Authorization: Bearer <key>` where a key is needed (writes under API_KEY, reads under READ_API_KEY); `WWW-Authenticate` is sent',
  403: 'The key sent is not one that allows this (type /problems/api-key-refused)',
  404: 'Unknown negotiation (or not recorded yet at knownAt)',
  405: 'This path does not take this method; `Allow` lists the methods it takes',
  409: 'Conflict: the id or proposalId exists, an eventId reused with other content, or an expectedRevision mismatch (`actualRevision`)',
  413: 'Request body over 1 MiB',
  415: 'The body is not `application/json` (UTF-8)',
  422: 'A domain rule is broken (`rule` names it); nothing was written',
  429: 'Too many requests from this client (type /problems/rate-limited); retry after `Retry-After` seconds',
  431: 'The request line and headers are over 16 KiB (a long query): send long values in a body',
  500: 'An unexpected error: the detail names nothing internal; the server log has the rest under the x-request-id',
  503: 'The event store does not answer or cannot record (the detail says why: a full disk, a lost file, this server’s clock behind the negotiation’s last recordedAt), or a write kept losing races to other writers (type /problems/write-contended); retry after `Retry-After` seconds; on any route, also when the server holds too many answers its clients have not read (type /problems/server-busy) or a connection pipelined more requests than allowed (type /problems/too-many-pipelined-requests, the connection then closes)',
};
