import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DOCS_PATH } from '../../apps/api/src/docs/openapi';
import { timelinePagePaths } from '../../apps/api/src/web/timeline-page';

/**
 * Checks every answer the end-to-end suite receives against the OpenAPI document the app serves
 * (/docs-json): the operation (method and path template), the status, the content type and the
 * body must all be documented, and the body must match the schema. Anything the document does not
 * describe is a failure, never a silent pass.
 *
 * Answers are checked more strictly than the document states: an object schema that does not say
 * otherwise is closed (no fields beyond its `properties`), so a field the server sends and the
 * document does not name is found, while clients are still told that answers may grow.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Operation {
  responses: Record<string, ResponseObject | { $ref: string }>;
}
interface ResponseObject {
  content?: Record<string, { schema?: JsonObject }>;
  headers?: Record<string, { required?: boolean } | { $ref: string }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonObject>;
    responses?: Record<string, ResponseObject>;
    headers?: Record<string, { required?: boolean }>;
  };
}

/** What a request got back, as a test helper saw it. */
export interface ReceivedAnswer {
  method: string;
  /** Path and query, as requested. */
  url: string;
  status: number;
  contentType: string;
  /** The body text. */
  text: string;
  headers: Headers;
}

/** One Server-Sent Event as a client parsed it. */
export interface ReceivedEvent {
  type: string;
  id: string | undefined;
  data: unknown;
}

export class UndocumentedAnswer extends Error {
  constructor(answer: { method: string; url: string; status?: number }, problem: string) {
    super(
      `${answer.method} ${answer.url}${answer.status === undefined ? '' : ` -> ${answer.status}`}: ${problem} (the OpenAPI document at /${DOCS_PATH}-json does not say so)`,
    );
    this.name = 'UndocumentedAnswer';
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
const DOC_ID = 'openapi';
const PAGE_PATHS = new Set(timelinePagePaths());

/** OpenAPI 3.0 keywords that are not JSON Schema (`nullable` is read below). */
const NOT_JSON_SCHEMA = new Set([
  'nullable',
  'discriminator',
  'example',
  'examples',
  'xml',
  'externalDocs',
  'deprecated',
]);

/** An OpenAPI 3.0 schema as JSON Schema for ajv: `nullable` read, local `$ref`s into the document. */
function toJsonSchema(node: Json, closeObjects: boolean): Json {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, closeObjects));
  if (node === null || typeof node !== 'object') return node;
  const schema: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (NOT_JSON_SCHEMA.has(key)) continue;
    if (key === '$ref' && typeof value === 'string') {
      schema.$ref = value.startsWith('#') ? `${DOC_ID}${value}` : value;
    } else if (
      key === 'properties' &&
      value &&
      typeof value === 'object' &&
      !Array.isArray(value)
    ) {
      schema.properties = Object.fromEntries(
        Object.entries(value).map(([name, property]) => [
          name,
          toJsonSchema(property, closeObjects),
        ]),
      );
    } else if (key === 'allOf' && Array.isArray(value)) {
      // Members of a composition cannot each be closed: each would refuse the others' fields.
      schema.allOf = value.map((member) => toJsonSchema(member, closeObjects && value.length < 2));
    } else {
      schema[key] = toJsonSchema(value, closeObjects);
    }
  }
  if (closeObjects && schema.properties && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  if (node.nullable !== true) return schema;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    return schema;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

const mediaType = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

/** The answers one served document describes, with its schemas compiled for ajv. */
export class DocumentedAnswers {
  private readonly ajv: Ajv;
  private readonly validators = new Map<object, ValidateFunction>();
  private readonly templates: { path: string; pattern: RegExp }[];

  constructor(readonly document: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv);
    this.ajv.addSchema(toJsonSchema(document as unknown as Json, true) as object, DOC_ID);
    // Static paths before templated ones, so /health/ready is never read as a template.
    this.templates = Object.keys(document.paths)
      .sort((a, b) => Number(a.includes('{')) - Number(b.includes('{')))
      .map((path) => ({
        path,
        pattern: new RegExp(
          `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
        ),
      }));
  }

  /** Compiled once per distinct document: every app of a test run serves the same one. */
  private static readonly byText = new Map<string, DocumentedAnswers>();
  private static readonly byOrigin = new Map<string, Promise<DocumentedAnswers>>();

  /** Fetches the document the app at `baseUrl` serves (again: a new app may have the port of an old one). */
  static of(baseUrl: string): Promise<DocumentedAnswers> {
    const origin = new URL(baseUrl).origin;
    const fetched = (async () => {
      const answer = await fetch(`${origin}/${DOCS_PATH}-json`);
      const text = await answer.text();
      if (answer.status !== 200)
        throw new Error(`/${DOCS_PATH}-json answered ${answer.status}: ${text}`);
      let answers = DocumentedAnswers.byText.get(text);
      if (!answers) {
        answers = new DocumentedAnswers(JSON.parse(text) as OpenApiDocument);
        DocumentedAnswers.byText.set(text, answers);
      }
      return answers;
    })();
    DocumentedAnswers.byOrigin.set(origin, fetched);
    return fetched;
  }

  /** The document of the app at `url`'s origin, as last fetched (fetched now when never). */
  static at(url: string): Promise<DocumentedAnswers> {
    return DocumentedAnswers.byOrigin.get(new URL(url).origin) ?? DocumentedAnswers.of(url);
  }

  /** Throws an UndocumentedAnswer when the answer is not one the document describes. */
  check(answer: ReceivedAnswer): void {
    const found = this.locate(answer);
    if (!found) return;
    this.checkHeaders(answer, found.response);
    if (answer.method.toUpperCase() === 'HEAD') return;
    this.checkBody(answer, found.response, found.where);
  }

  /** The start of an event stream's answer (its events are checked one by one with checkEvent). */
  checkStream(answer: Omit<ReceivedAnswer, 'text'>): void {
    const found = this.locate({ ...answer, text: '' });
    if (!found) throw new UndocumentedAnswer(answer, 'not an API path');
    this.checkHeaders({ ...answer, text: '' }, found.response);
    const type = mediaType(answer.contentType);
    if (!found.response.content?.[type])
      throw new UndocumentedAnswer(answer, `content type "${type}" is not documented`);
  }

  /**
   * The documented response an answer must match, or undefined when the answer is not one of an
   * operation's (the timeline page, the documentation, an unknown path or method: checked here).
   */
  private locate(answer: ReceivedAnswer): { response: ResponseObject; where: string } | undefined {
    const path = answer.url.split('?')[0]!;
    // Not API: the page's files, the embeddable chart (/embed/…) and the documentation.
    if (PAGE_PATHS.has(path) || path.startsWith('/embed/') || path.startsWith(`/${DOCS_PATH}`))
      return undefined;
    const template = this.templates.find((t) => t.pattern.test(path));
    if (!template) {
      this.checkUnknownPath(answer);
      return undefined;
    }
    const item = this.document.paths[template.path]!;
    const method = answer.method.toLowerCase() === 'head' ? 'get' : answer.method.toLowerCase();
    const operation = item[method];
    if (!operation) {
      this.checkWrongMethod(answer, item);
      return undefined;
    }
    return {
      response: this.responseOf(operation, answer),
      where: `${method} ${template.path} ${answer.status}`,
    };
  }

  /** Throws an UndocumentedAnswer when a Server-Sent Event of `url` is not as documented. */
  checkEvent(url: string, event: ReceivedEvent): void {
    const path = url.split('?')[0]!;
    const template = this.templates.find((t) => t.pattern.test(path));
    const where = { method: 'GET', url, status: 200 };
    const schema =
      template && this.schemaOf(this.document.paths[template.path]?.get, 200, 'text/event-stream');
    if (!schema) throw new UndocumentedAnswer(where, 'no text/event-stream answer documented');
    this.validate(
      schema,
      { event: event.type, id: event.id, data: event.data } as Json,
      where,
      `event ${event.type}`,
    );
  }

  private schemaOf(
    operation: Operation | undefined,
    status: number,
    type: string,
  ): JsonObject | undefined {
    const response = operation?.responses[String(status)];
    return response && !('$ref' in response) ? response.content?.[type]?.schema : undefined;
  }

  private responseOf(operation: Operation, answer: ReceivedAnswer): ResponseObject {
    const responses = operation.responses;
    const found =
      responses[String(answer.status)] ??
      responses[`${String(answer.status)[0]}XX`] ??
      responses.default;
    if (!found) throw new UndocumentedAnswer(answer, `status ${answer.status} is not documented`);
    return this.resolveResponse(found);
  }

  private resolveResponse(response: ResponseObject | { $ref: string }): ResponseObject {
    if (!('$ref' in response)) return response;
    const name = response.$ref.replace('#/components/responses/', '');
    const resolved = this.document.components.responses?.[name];
    if (!resolved) throw new Error(`the document refers to a missing response ${response.$ref}`);
    return resolved;
  }

  private checkHeaders(answer: ReceivedAnswer, response: ResponseObject): void {
    const isRequired = (header: { required?: boolean } | { $ref: string }): boolean =>
      '$ref' in header
        ? this.document.components.headers?.[header.$ref.replace('#/components/headers/', '')]
            ?.required === true
        : header.required === true;
    const missing = Object.entries(response.headers ?? {})
      .filter(([name, header]) => isRequired(header) && !answer.headers.has(name))
      .map(([name]) => name);
    if (missing.length)
      throw new UndocumentedAnswer(answer, `required header(s) ${missing.join(', ')} missing`);
  }

  private checkBody(answer: ReceivedAnswer, response: ResponseObject, where: string): void {
    const content = response.content ?? {};
    if (Object.keys(content).length === 0) {
      if (answer.text !== '')
        throw new UndocumentedAnswer(answer, 'a body where none is documented');
      return;
    }
    const type = mediaType(answer.contentType);
    const documented = content[type];
    if (!documented)
      throw new UndocumentedAnswer(
        answer,
        `content type "${type}" (documented: ${Object.keys(content).join(', ')})`,
      );
    if (!documented.schema) return;
    const body: Json = type.endsWith('json') ? (JSON.parse(answer.text) as Json) : answer.text;
    this.validate(documented.schema, body, answer, where);
  }

  /** An unknown path is a 404 problem. */
  private checkUnknownPath(answer: ReceivedAnswer): void {
    if (answer.status !== 404)
      throw new UndocumentedAnswer(
        answer,
        'a path the document does not have answered other than 404',
      );
    this.checkBody(answer, this.namedResponse('NotFound', answer), 'unknown path');
  }

  /** A method a documented path does not have is a 405 naming the methods it has. */
  private checkWrongMethod(answer: ReceivedAnswer, item: Record<string, Operation>): void {
    if (answer.method.toUpperCase() === 'OPTIONS') return; // a CORS preflight, answered by CORS
    if (answer.status !== 405)
      throw new UndocumentedAnswer(
        answer,
        'a method this path does not have answered other than 405',
      );
    const documented = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    const allowed = (answer.headers.get('allow') ?? '')
      .split(',')
      .map((m) => m.trim().toUpperCase());
    const missing = documented.filter((m) => !allowed.includes(m));
    if (missing.length)
      throw new UndocumentedAnswer(
        answer,
        `Allow (${allowed.join(', ')}) lacks ${missing.join(', ')}`,
      );
    this.checkBody(answer, this.namedResponse('MethodNotAllowed', answer), 'wrong method');
  }

  private namedResponse(name: string, answer: ReceivedAnswer): ResponseObject {
    const response = this.document.components.responses?.[name];
    if (!response) throw new UndocumentedAnswer(answer, `no components.responses.${name}`);
    return response;
  }

  private validate(
    schema: JsonObject,
    value: Json,
    answer: { method: string; url: string; status?: number },
    where: string,
  ): void {
    let validate = this.validators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema, true) as object);
      this.validators.set(schema, validate);
    }
    if (validate(value)) return;
    const errors = (validate.errors ?? [])
      .slice(0, 8)
      .map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
      .join('; ');
    throw new UndocumentedAnswer(
      answer,
      `the body does not match the schema of ${where}: ${errors}; body: ${JSON.stringify(value).slice(0, 600)}`,
    );
  }
}

/** `fetch`, with the answer checked against the document the app at the URL's origin serves. */
export async function checkedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const documented = await DocumentedAnswers.at(url);
  const response = await fetch(url, init);
  const { pathname, search } = new URL(url);
  documented.check({
    method: init.method ?? 'GET',
    url: pathname + search,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.clone().text(),
    headers: response.headers,
  });
  return response;
}
