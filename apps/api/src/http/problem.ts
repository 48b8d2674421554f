import { HttpException } from '@nestjs/common';

/** One offending field of a request, by its path in the request (`data.rate`, `events[2].occurredAt`). */
export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem, thrown anywhere at the HTTP edge and rendered by ProblemDetailsFilter. */
export class Problem extends HttpException {
  constructor(
    status: number,
    readonly problemType: string,
    readonly title: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail, status);
  }

  static invalid(errors: FieldError[]): Problem {
    const fields = [...new Set(errors.map((e) => e.path))].join(', ');
    return new Problem(400, 'validation', 'Invalid request', `Invalid fields: ${fields}`, {
      errors,
    });
  }

  static notFound(negotiationId: string): Problem {
    return new Problem(
      404,
      'negotiation-not-found',
      'Negotiation not found',
      `No negotiation "${negotiationId}"`,
    );
  }
}
