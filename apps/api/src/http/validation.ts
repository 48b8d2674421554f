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
