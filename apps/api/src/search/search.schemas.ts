import type {
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

/** The answers of GET /search and GET …/search, as OpenAPI component schemas. */
export const SEARCH_SCHEMAS: Record<string, SchemaObject> = {
  SearchPage: {
    type: 'object',
    required: ['items', 'total', 'nextCursor'],
    properties: {
      items: { type: 'array', items: ref('SearchHit'), description: 'Best first' },
      total: {
        type: 'integer',
        minimum: 0,
        description: 'How many developments match the query and filters, on every page',
      },
      nextCursor: {
        type: 'string',
        nullable: true,
        description: 'Pass as `cursor` for the next page; null on the last page',
      },
    },
  },
  SearchHit: {
    type: 'object',
    required: ['negotiationId', 'score', 'development', 'matches'],
    properties: {
      negotiationId: { type: 'string', example: 'us-china-trade' },
      score: {
        type: 'number',
        description: 'Relevance (BM25+, higher is better); comparable within one answer only',
      },
      development: ref('ListedDevelopment'),
      matches: {
        type: 'array',
        items: ref('SearchMatch'),
        description: 'Each piece of the development’s text a word was found in, in field order',
      },
    },
  },
  SearchMatch: {
    type: 'object',
    required: ['field', 'snippet', 'highlights'],
    properties: {
      field: {
        type: 'string',
        description: 'The path of the text in the development, as errors[].path names fields',
        example: 'data.quote',
      },
      snippet: {
        type: 'string',
        description:
          'The text, or about 200 characters of it around the first word found; `…` marks a cut',
      },
      highlights: {
        type: 'array',
        description: 'The found words in snippet, in order',
        items: {
          type: 'object',
          required: ['start', 'end'],
          properties: {
            start: {
              type: 'integer',
              minimum: 0,
              description: 'Offset of the word’s first UTF-16 code unit',
            },
            end: { type: 'integer', minimum: 1, description: 'Offset after its last (exclusive)' },
          },
        },
      },
    },
  },
};
