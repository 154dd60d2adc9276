import { HttpStatus, Logger } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import {
  databaseUnavailable,
  isDatabaseUnavailable,
} from '../../common/errors/database-unavailable.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { errorBody } from '../../common/errors/error-body.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { maskNumbers } from '../../logging/redaction.js';
import type { SendResult } from '../../send/tool-call.js';

const logger = new Logger('McpWayIn');

/** A tool's answer: the sentence the agent says, and the whole answer body for the host. */
export function toolResult(result: SendResult): CallToolResult {
  const body = result.body as { agent_message?: unknown };
  return {
    content: [
      { type: 'text', text: typeof body.agent_message === 'string' ? body.agent_message : '' },
    ],
    structuredContent: result.body as Record<string, unknown>,
  };
}

/**
 * A refusal as MCP wants a tool execution error: isError, the same sentence and error body
 * (code included) as the REST answer, so the model can say it and the host can read the code.
 */
export function refusalResult(error: unknown, requestId: string): CallToolResult {
  const refusal = asDomainError(error, requestId);
  return {
    isError: true,
    content: [{ type: 'text', text: refusal.error.agentMessage }],
    structuredContent: { ...errorBody(refusal.error, requestId, refusal.errorId) },
  };
}

/** What the REST filter answers for the same failure: a database outage, or an internal error. */
function asDomainError(
  error: unknown,
  requestId: string,
): { error: DomainError; errorId?: string } {
  if (error instanceof DomainError) return { error };
  if (isDatabaseUnavailable(error)) return { error: databaseUnavailable(error) };
  const errorId = randomUUID();
  const { name, message } = error instanceof Error ? error : { name: typeof error, message: '' };
  logger.error(
    { errorId, requestId, error: { name, message: maskNumbers(message) } },
    'Unhandled error in an MCP tool call',
  );
  return {
    errorId,
    error: new DomainError(ErrorCode.INTERNAL_ERROR, 'Internal error.', {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      retryable: true,
      agentMessage: "I couldn't send that text because of a problem on our side.",
    }),
  };
}
