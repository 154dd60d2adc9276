import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-codes.js';

/** Opaque keyset cursors over a sequence number, shared by the audit and consent lists. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'cursor is not one this API gave out.', {
      status: HttpStatus.BAD_REQUEST,
      agentMessage: "The request wasn't formed correctly.",
      details: { fields: [{ field: 'cursor', problems: ['cursor is not valid'] }] },
    });
  }
  return Number(match[1]);
}
