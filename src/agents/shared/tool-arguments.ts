import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { MAX_BODY_DEPTH, nestingDepth } from '../../common/http/body-depth.js';
import { malformedPlatformRequest } from './malformed.js';

/**
 * A tool call's arguments as a platform delivers them (an object, or a JSON string), held to
 * what a REST tool body must be: at most `maxBytes` (BODY_LIMIT_BYTES) and MAX_BODY_DEPTH deep.
 * The body checks never see inside a string, and the platforms' bodies may be far larger
 * (PLATFORM_BODY_LIMIT_BYTES), so without this a string of brackets overflows the validator's
 * stack (a 500). A string that is not JSON goes on as it is, for the pipeline to refuse.
 */
export function readToolArguments(value: unknown, maxBytes: number): unknown {
  if (value === undefined) return {};
  const text = typeof value === 'string' ? value : undefined;
  let args: unknown = value;
  if (text !== undefined) {
    if (Buffer.byteLength(text) > maxBytes) throw tooLarge(maxBytes);
    try {
      args = JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (nestingDepth(args) > MAX_BODY_DEPTH) {
    throw malformedPlatformRequest(
      `A tool call's arguments nest arrays or objects deeper than ${MAX_BODY_DEPTH} levels.`,
      { max_depth: MAX_BODY_DEPTH },
    );
  }
  if (text === undefined && Buffer.byteLength(JSON.stringify(args) ?? '') > maxBytes) {
    throw tooLarge(maxBytes);
  }
  return args;
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError(
    ErrorCode.PAYLOAD_TOO_LARGE,
    `A tool call's arguments may be at most ${maxBytes} bytes (BODY_LIMIT_BYTES), as a tool body.`,
    {
      status: HttpStatus.PAYLOAD_TOO_LARGE,
      agentMessage: "That request was too large for me to send, so I didn't send anything.",
      details: { max_bytes: maxBytes },
    },
  );
}
