import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type {
  OperationObject,
  PathItemObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { TSchema } from '@sinclair/typebox';
import type { DefinedType } from '@parley/domain';
import {
  DEVELOPMENTS,
  LIMITS,
  PartySchema,
  RECORDABLE_TYPES,
  SourceSchema,
  envelopeSchema,
} from '@parley/domain';
import { OpenNegotiationRequest } from '../negotiations/opening/open-negotiation.request';
import { requestEnvelopeSchema } from '../negotiations/recording/development-body.pipe';
import { describeCsvAnswers } from './openapi.csv';
import { withEvidenceSchemas } from './openapi.evidence';
import { DEVELOPMENT_EXAMPLES } from './openapi.examples';
import {
  HEADERS,
  OUTSIDE_OPERATIONS,
  READ_KEY,
  WRITE_KEY,
  describeCommonAnswers,
} from './openapi.common-answers';
import {
  PROBLEM_DESCRIPTIONS,
  RESPONSE_SCHEMAS,
  listedDevelopmentSchemas,
  ref,
} from './openapi.schemas';

/** Where the document and its UI are served: `/docs` (Swagger UI) and `/docs-json`. */
export const DOCS_PATH = 'docs';

const DESCRIPTION = `Parley records every reported development of a negotiation as an immutable event and answers
what the state of play was on any date (\`asOf\`, valid time) as known at any time (\`knownAt\`,
transaction time).

Times are ISO 8601, a date \`YYYY-MM-DD\` or a date-time with \`Z\` or an offset. A date-only *event*
time means 00:00:00.000Z of that day; a date-only \`asOf\`, \`knownAt\` or \`to\` means the END of that
day (23:59:59.999Z). Answers always give full UTC date-times.

Every error is \`application/problem+json\` (RFC 9457); a 400 lists every offending field in \`errors\`.
Unknown body fields and unknown query parameters are 400.`;

/** Component schemas shared by the developments' schemas (their `$id` in libs/domain). */
const SHARED = new Set(['Party', 'Source']);

/**
 * A development schema (TypeBox, libs/domain/src/developments) as an OpenAPI 3.0 schema object:
 * shared parts become `$ref`s, `const` an enum of one, and the 400 wording (`message`) stays ours.
 */
export function openApiSchema(schema: TSchema, self?: string): SchemaObject {
  const walk = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, false));
    if (typeof node !== 'object' || node === null) return node;
    const { $id, const: only, ...rest } = node as Record<string, unknown>;
    delete rest.message;
    if (typeof $id === 'string' && SHARED.has($id) && !(root && $id === self)) {
      return { $ref: `#/components/schemas/${$id}` };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) out[key] = walk(value, false);
    if (only !== undefined) out.enum = [only];
    return out;
  };
  // JSON.stringify drops TypeBox's own (symbol) marks.
  return walk(JSON.parse(JSON.stringify(schema)), true) as SchemaObject;
}

/** An envelope schema with its `data` as a reference to the type's own component (`TariffChangedData`). */
function envelopeForDocument(type: DefinedType, envelope: TSchema): SchemaObject {
  const schema = openApiSchema(envelope);
  return { ...schema, properties: { ...schema.properties, data: ref(`${type}Data`) } };
}

/** The component schemas of the request bodies, from the schemas they are validated with. */
function requestSchemas(): Record<string, SchemaObject> {
  const schemas: Record<string, SchemaObject> = {
    Party: openApiSchema(PartySchema, 'Party'),
    Source: openApiSchema(SourceSchema, 'Source'),
    OpenNegotiationRequest: openApiSchema(OpenNegotiationRequest),
  };
  for (const type of Object.keys(DEVELOPMENTS) as DefinedType[]) {
    schemas[`${type}Data`] = {
      ...openApiSchema(DEVELOPMENTS[type].data),
      example: DEVELOPMENTS[type].example,
    };
  }
  const mapping: Record<string, string> = {};
  for (const type of RECORDABLE_TYPES) {
    const name = `${type}Development`;
    mapping[type] = `#/components/schemas/${name}`;
    schemas[name] = {
      ...envelopeForDocument(type, requestEnvelopeSchema(type)),
      description: `A ${type} development: the envelope with its \`data\`. Unknown fields are 400.`,
      example: DEVELOPMENT_EXAMPLES[type] ?? {
        type,
        occurredAt: '2025-05-12',
        data: DEVELOPMENTS[type].example,
      },
    };
  }
  schemas.Development = {
    description:
      'One development: a discriminated union on `type`, one envelope schema per development type.',
    oneOf: RECORDABLE_TYPES.map((type) => ({ $ref: mapping[type]! })),
    discriminator: { propertyName: 'type', mapping },
  };
  schemas.DevelopmentBatch = {
    type: 'object',
    required: ['events'],
    additionalProperties: false,
    properties: {
      events: {
        type: 'array',
        minItems: 1,
        maxItems: LIMITS.batchMax,
        items: ref('Development'),
        description:
          'Appended all or nothing, in order; later members are decided against the earlier ones. Members carry no expectedRevision and no repeated eventId.',
      },
      expectedRevision: {
        type: 'integer',
        minimum: 0,
        description: 'The stream revision the client last saw; 409 when the stream has moved on.',
      },
    },
  };
  return schemas;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** Every error answer of every operation (ours and other controllers') gets the problem+json schema. */
function describeProblems(document: OpenAPIObject): void {
  for (const item of Object.values<PathItemObject>(document.paths)) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (!operation) continue;
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const code = Number(status);
        if (!(code >= 400) || !response || '$ref' in response) continue;
        const answer: ResponseObject = response;
        const existing = answer.content ?? {};
        if (existing['application/problem+json']) continue;
        const { 'application/json': json, ...others } = existing;
        answer.content = {
          ...others,
          'application/problem+json': {
            schema: json?.schema ?? ref(code === 400 ? 'ValidationProblem' : 'Problem'),
          },
        };
        answer.description ||= PROBLEM_DESCRIPTIONS[code] ?? 'Error';
      }
    }
  }
}

/** Drops the empty schemas Swagger infers for DTO classes that carry no @ApiProperty, once nothing refers to them. */
function dropUnreferenced(document: OpenAPIObject, names: string[]): void {
  const schemas = document.components?.schemas ?? {};
  for (const name of names) {
    const text = JSON.stringify({
      paths: document.paths,
      components: { ...document.components, schemas: { ...schemas, [name]: undefined } },
    });
    if (!text.includes(`"#/components/schemas/${name}"`)) delete schemas[name];
  }
}

/** The envelopes the log lists: NegotiationOpened (written by POST /negotiations) and every recordable type. */
function listedEnvelopes(): Record<string, SchemaObject> {
  const envelopes: Record<string, SchemaObject> = {};
  for (const type of Object.keys(DEVELOPMENTS) as DefinedType[])
    envelopes[type] = envelopeForDocument(type, envelopeSchema(type));
  return envelopes;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Parley')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This server')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'An API_KEY key (opaque). When the server runs with API_KEY, writes need it; without, writes are open. It reads too.',
      },
      WRITE_KEY,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'A READ_API_KEY key (opaque). When the server runs with READ_API_KEY, reads need it or an API_KEY key; without, reads are open.',
      },
      READ_KEY,
    )
    .addTag(
      'negotiations',
      'The contract: open negotiations, record developments, replay the state of play',
    )
    .addTag(
      'history',
      'What changed between two dates, a tariff pair over time, replay step by step, live updates',
    )
    .addTag(
      'tariffs and deadlines',
      'What is due in a negotiation, and tariffs and deadlines across negotiations (contract v1.1)',
    )
    .addTag(
      'search',
      'Full-text search of the developments, across negotiations and within one (MiniSearch)',
    )
    .addTag('operations', 'Running Parley: liveness, readiness, metrics (outside the contract)')
    .build();
  // The keys are opaque: not the JWT that addBearerAuth assumes.
  for (const scheme of Object.values(config.components?.securitySchemes ?? {}))
    if ('bearerFormat' in scheme) delete scheme.bearerFormat;
  const document = SwaggerModule.createDocument(app, config);
  const inferred = Object.keys(document.components?.schemas ?? {});
  const requests = requestSchemas();
  document.components = {
    ...document.components,
    schemas: withEvidenceSchemas({
      ...document.components?.schemas,
      ...RESPONSE_SCHEMAS,
      ...requests,
      ...listedDevelopmentSchemas(listedEnvelopes()),
    }),
    responses: OUTSIDE_OPERATIONS,
    headers: HEADERS,
  };
  describeCommonAnswers(document);
  describeCsvAnswers(document);
  describeProblems(document);
  dropUnreferenced(
    document,
    inferred.filter((name) => !(name in RESPONSE_SCHEMAS)),
  );
  return document;
}

/** Serves the OpenAPI document at /docs-json (and /docs-yaml) and Swagger UI at /docs. */
export function setupOpenApi(app: INestApplication): void {
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup(DOCS_PATH, app, () => (document ??= buildOpenApiDocument(app)), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
    customSiteTitle: 'Parley API',
  });
}
