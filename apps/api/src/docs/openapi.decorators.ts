import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { NEGOTIATION_ID } from '@parley/domain';
import { PROBLEM_DESCRIPTIONS, ref } from './openapi.schemas';
import type { Constructor } from './validation-schema';
import { objectSchemaOf } from './validation-schema';

/** Short decorators for the OpenAPI description of the contract's routes. */

/** The `:id` path parameter. */
export const ApiNegotiationId = (): MethodDecorator & ClassDecorator =>
  ApiParam({
    name: 'id',
    description: 'The negotiation’s slug',
    schema: { type: 'string', pattern: NEGOTIATION_ID.source },
    example: 'us-china-trade',
  });

/** One query parameter per property of a query DTO, typed and described from its validation decorators. */
export function ApiQueryFrom(
  dto: Constructor,
  {
    examples = {},
    descriptions = {},
  }: { examples?: Record<string, string>; descriptions?: Record<string, string> } = {},
): MethodDecorator {
  const schema = objectSchemaOf(dto, { schemas: {} });
  return applyDecorators(
    ...Object.entries(schema.properties ?? {}).map(([name, property]) => {
      const { description: derived, ...rest } = property as SchemaObject;
      const description = descriptions[name] ?? derived;
      return ApiQuery({
        name,
        required: schema.required?.includes(name) ?? false,
        schema: rest,
        ...(description ? { description } : {}),
        ...(examples[name] !== undefined ? { example: examples[name] } : {}),
      });
    }),
  );
}

/** The problem+json answers an operation can give, by status. */
export const ApiProblems = (...statuses: number[]): MethodDecorator =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Error',
        content: {
          'application/problem+json': {
            schema: ref(status === 400 ? 'ValidationProblem' : 'Problem'),
          },
        },
      }),
    ),
  );

/** A JSON success answer whose body is the named component (or an array of it). */
export const ApiAnswer = (
  status: number,
  description: string,
  component: string,
  options: { array?: boolean } = {},
): MethodDecorator =>
  ApiResponse({
    status,
    description,
    schema: options.array ? { type: 'array', items: ref(component) } : ref(component),
  });
