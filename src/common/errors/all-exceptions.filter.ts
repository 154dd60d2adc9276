import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  Optional,
} from '@nestjs/common';
import { RefusalAuditor } from '../../audit/refusal-auditor.js';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { maskNumbers } from '../../logging/redaction.js';
import { requestIdOf } from '../http/request-id.js';
import { DomainError } from './domain-error.js';
import { isAudited } from './audited.js';
import { databaseUnavailable, isDatabaseUnavailable } from './database-unavailable.js';
import { ErrorCode } from './error-codes.js';
import { errorBody } from './error-body.js';

interface BodyParserError {
  type: string;
  status?: number;
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return typeof e === 'object' && e !== null && typeof (e as BodyParserError).type === 'string';
}

/** Name, message and stack only, numbers masked: driver errors carry query parameters (PHI). */
function describeForLog(exception: unknown): Record<string, string> {
  if (!(exception instanceof Error)) return { name: typeof exception };
  return {
    name: exception.name,
    message: maskNumbers(exception.message),
    stack: maskNumbers(exception.stack ?? ''),
  };
}

const GENERIC_AGENT_MESSAGE = "I couldn't send that text because of a problem on our side.";

/** Maps every failure to the one error contract; a 500 gets an error id and never a stack. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(@Optional() private readonly refusals?: RefusalAuditor) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const error = this.toDomainError(exception);

    let errorId: string | undefined;
    if (error.code === ErrorCode.DATABASE_UNAVAILABLE && !(exception instanceof DomainError)) {
      const { name, message } = describeForLog(exception);
      this.logger.warn({ requestId: requestIdOf(req), error: { name, message } }, error.message);
    } else if (error.status >= 500 && !(exception instanceof DomainError)) {
      errorId = randomUUID();
      this.logger.error(
        { errorId, requestId: requestIdOf(req), error: describeForLog(exception) },
        'Unhandled error',
      );
    }

    if (this.refusals && error.status < 500 && !isAudited(exception)) {
      await this.refusals.record(req, error);
    }
    const body = errorBody(error, requestIdOf(req), errorId);
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
    res.status(error.status).json(body);
  }

  private toDomainError(exception: unknown): DomainError {
    if (exception instanceof DomainError) return exception;
    if (isBodyParserError(exception)) return this.fromBodyParser(exception);
    // Nest wraps body-parser errors in an HttpException whose cause keeps their type.
    if (exception instanceof HttpException && isBodyParserError(exception.cause)) {
      return this.fromBodyParser(exception.cause);
    }
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    // An audited failure came after a send's claim, when the provider may have been called: it
    // keeps its own answer. Anything else failed before a text could go out.
    if (!isAudited(exception) && isDatabaseUnavailable(exception)) {
      return databaseUnavailable(exception);
    }
    return new DomainError(ErrorCode.INTERNAL_ERROR, 'Internal error.', {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      retryable: true,
      agentMessage: GENERIC_AGENT_MESSAGE,
    });
  }

  private fromBodyParser(e: BodyParserError): DomainError {
    switch (e.type) {
      case 'entity.too.large':
        return new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large.', {
          status: HttpStatus.PAYLOAD_TOO_LARGE,
          agentMessage: "That request was too large for me to send, so I didn't send anything.",
        });
      case 'entity.parse.failed':
        return new DomainError(ErrorCode.INVALID_JSON, 'The request body is not valid JSON.', {
          agentMessage: "The request wasn't formed correctly, so I didn't send anything.",
        });
      case 'charset.unsupported':
      case 'encoding.unsupported':
        return new DomainError(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          'The request body uses an unsupported charset or encoding.',
          {
            status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            agentMessage: "The request wasn't formed correctly, so I didn't send anything.",
          },
        );
      default:
        return new DomainError(ErrorCode.VALIDATION_FAILED, 'The request body could not be read.', {
          status: e.status && e.status < 500 ? e.status : HttpStatus.BAD_REQUEST,
          agentMessage: "The request wasn't formed correctly, so I didn't send anything.",
        });
    }
  }

  private fromHttpException(e: HttpException): DomainError {
    const status = e.getStatus();
    const known: Partial<Record<number, [ErrorCode, string, string]>> = {
      [HttpStatus.NOT_FOUND]: [
        ErrorCode.NOT_FOUND,
        'No such resource.',
        "I couldn't find what was asked for.",
      ],
      [HttpStatus.METHOD_NOT_ALLOWED]: [
        ErrorCode.METHOD_NOT_ALLOWED,
        'Method not allowed.',
        "The request wasn't formed correctly, so I didn't send anything.",
      ],
      [HttpStatus.UNAUTHORIZED]: [
        ErrorCode.UNAUTHORIZED,
        'A valid API key is required.',
        "I'm not authorized to send texts right now.",
      ],
      [HttpStatus.FORBIDDEN]: [
        ErrorCode.FORBIDDEN,
        'This API key may not do that.',
        "I'm not allowed to do that.",
      ],
      [HttpStatus.PAYLOAD_TOO_LARGE]: [
        ErrorCode.PAYLOAD_TOO_LARGE,
        'The request body is too large.',
        "That request was too large for me to send, so I didn't send anything.",
      ],
    };
    const [code, message, agentMessage] = known[status] ?? [
      status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_FAILED,
      status >= 500 ? 'Internal error.' : 'The request could not be processed.',
      status >= 500 ? GENERIC_AGENT_MESSAGE : "The request wasn't formed correctly.",
    ];
    return new DomainError(code, message, { status, agentMessage, retryable: status >= 500 });
  }
}
