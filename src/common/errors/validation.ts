import { HttpStatus, type ValidationError } from '@nestjs/common';
import { DomainError } from './domain-error.js';
import { ErrorCode } from './error-codes.js';

export interface FieldProblem {
  field: string;
  problems: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** ValidationPipe's exceptionFactory: field errors in the error contract, naming each field. */
export function validationErrorFactory(errors: ValidationError[]): DomainError {
  const problems = flatten(errors);
  const fields = [...new Set(problems.map((p) => p.field))];
  const message = problems.map((p) => p.problems.join('; ')).join('; ');
  return new DomainError(ErrorCode.VALIDATION_FAILED, message || 'The request is invalid.', {
    status: HttpStatus.BAD_REQUEST,
    details: { fields: problems },
    agentMessage:
      fields.length > 0
        ? `Some details were missing or not right (${fields.join(', ')}), so I didn't send anything.`
        : "The request wasn't formed correctly, so I didn't send anything.",
  });
}
