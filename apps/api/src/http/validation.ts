import type { PipeTransform } from '@nestjs/common';
import { Injectable, Query } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import type { FieldError } from './problem';
import { Problem } from './problem';

/** How every request DTO is validated: unknown fields are refused, not silently dropped. */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
};

/** Flattens class-validator's tree into one entry per offending field, with paths like `events[2].data.rate`. */
export function fieldErrors(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix
        ? `${prefix}.${error.property}`
        : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ path, message: message.replace(/^property /, '') });
    }
    if (error.children?.length) out.push(...fieldErrors(error.children, path));
  }
  return out;
}

export function validationProblem(errors: ValidationError[]): Problem {
  return Problem.invalid(fieldErrors(errors));
}

/**
 * The query of a route that takes no query parameters: any one is 400 naming it, as an unknown
 * parameter is where a query DTO whitelists them (an empty DTO cannot say so: class-validator's
 * forbidUnknownValues refuses a class with no decorated property).
 */
@Injectable()
export class NoQueryParameters implements PipeTransform<Record<string, unknown>> {
  transform(query: Record<string, unknown>): Record<string, unknown> {
    const names = Object.keys(query ?? {});
    if (names.length > 0) {
      throw Problem.invalid(
        names.map((name) => ({ path: name, message: `${name} should not exist` })),
      );
    }
    return query;
  }
}

/** `@NoQuery()` on a route that takes no query parameters. */
export const NoQuery = (): ParameterDecorator => Query(NoQueryParameters);
