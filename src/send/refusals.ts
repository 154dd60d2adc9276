import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';

export function unknownTool(name: string): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, `No tool is named ${name.slice(0, 64)}.`, {
    status: HttpStatus.NOT_FOUND,
    agentMessage: "I don't have a way to send that kind of text.",
  });
}

export function optedOut(): DomainError {
  return new DomainError(
    ErrorCode.RECIPIENT_OPTED_OUT,
    'The recipient has opted out of texts (replied STOP).',
    {
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      agentMessage:
        "This number has opted out of texts, so I can't send it. I can give you the information by phone instead, or the patient can reply START to opt back in.",
    },
  );
}

/** `provider`: the provider in use sends no pictures; else the number is outside the US and Canada. */
export function mmsNotSupported(reason: 'country' | 'provider' = 'country'): DomainError {
  return new DomainError(
    ErrorCode.MMS_NOT_SUPPORTED,
    reason === 'provider'
      ? 'The SMS provider in use sends no MMS (media_url).'
      : 'MMS (media_url) goes to US and Canadian numbers only.',
    {
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      agentMessage: "I can't send a picture to that number, only a text.",
      details: { field: 'media_url' },
    },
  );
}
