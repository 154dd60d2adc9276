import { HttpStatus } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError } from './domain-error.js';
import { errorBody } from './error-body.js';
import { ErrorCode } from './error-codes.js';

const MALFORMED_AGENT_MESSAGE = "The request wasn't formed correctly, so I didn't send anything.";

/** What Node's HTTP parser refused, in the error contract (Node's own answers have no body). */
export function clientErrorAnswer(errorCode: string | undefined): DomainError {
  switch (errorCode) {
    case 'HPE_HEADER_OVERFLOW':
      return new DomainError(ErrorCode.HEADERS_TOO_LARGE, 'The request headers are too large.', {
        status: 431 as HttpStatus, // not in Nest's HttpStatus enum
        agentMessage: MALFORMED_AGENT_MESSAGE,
      });
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, 'The chunk extensions are too large.', {
        status: HttpStatus.PAYLOAD_TOO_LARGE,
        agentMessage: MALFORMED_AGENT_MESSAGE,
      });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new DomainError(ErrorCode.REQUEST_TIMEOUT, 'The request took too long to arrive.', {
        status: HttpStatus.REQUEST_TIMEOUT,
        retryable: true,
        agentMessage: "The request didn't arrive in time, so I didn't send anything.",
      });
    default:
      return new DomainError(
        ErrorCode.MALFORMED_REQUEST,
        'The request is not valid HTTP (framing, chunking or headers).',
        { status: HttpStatus.BAD_REQUEST, agentMessage: MALFORMED_AGENT_MESSAGE },
      );
  }
}

function rawResponse(error: DomainError): string {
  const requestId = randomUUID();
  const body = JSON.stringify(errorBody(error, requestId));
  return [
    `HTTP/1.1 ${error.status} ${statusText(error.status)}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    'Cache-Control: no-store',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    408: 'Request Timeout',
    413: 'Payload Too Large',
    431: 'Request Header Fields Too Large',
  };
  return texts[status] ?? 'Error';
}

/**
 * Requests Node's parser refuses never reach the app; by default Node answers them with a bare
 * status line. This answers them in the error contract instead, under the same conditions as
 * Node: only while no answer has started on the connection, and never on a reset one.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(rawResponse(clientErrorAnswer(error.code)), () => socket.destroy());
  });
}
