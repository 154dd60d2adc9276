import { ErrorCode } from '../../common/errors/error-codes.js';
import { ProviderError } from '../provider-error.js';
import { fromNetworkError, fromTwilioApiError } from './twilio-errors.js';

describe('fromTwilioApiError', () => {
  it.each([
    [400, 21211, ErrorCode.INVALID_PHONE_NUMBER, 400],
    [400, 21408, ErrorCode.REGION_NOT_ENABLED, 422],
    [400, 21610, ErrorCode.RECIPIENT_OPTED_OUT, 422],
    [400, 21612, ErrorCode.RECIPIENT_UNREACHABLE, 422],
    [400, 21614, ErrorCode.RECIPIENT_NOT_MOBILE, 422],
    [401, 20003, ErrorCode.PROVIDER_AUTH_FAILED, 502],
    [400, 30450, ErrorCode.PROVIDER_REJECTED, 422],
    [400, 30453, ErrorCode.PROVIDER_REJECTED, 422],
    [400, 21999, ErrorCode.PROVIDER_REJECTED, 422],
  ])(
    'HTTP %i with Twilio code %i is %s (%i), certainly not sent, not retryable',
    (httpStatus, twilioCode, code, status) => {
      const error = fromTwilioApiError(httpStatus, twilioCode);

      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({
        code,
        status,
        outcome: 'failed',
        retryable: false,
        providerCode: twilioCode,
        details: { provider_code: twilioCode },
      });
    },
  );

  it.each([
    [429, 20429],
    [429, undefined],
    [400, 20429],
  ])(
    'HTTP %i with Twilio code %s is PROVIDER_RATE_LIMITED (503), not sent, retryable',
    (httpStatus, twilioCode) => {
      expect(fromTwilioApiError(httpStatus, twilioCode)).toMatchObject({
        code: ErrorCode.PROVIDER_RATE_LIMITED,
        status: 503,
        outcome: 'failed',
        retryable: true,
        providerCode: 20429,
      });
    },
  );

  it.each([
    [500, undefined],
    [502, undefined],
    [503, undefined],
    [500, 20500],
  ])(
    'HTTP %i with Twilio code %s is DELIVERY_UNKNOWN: the message may have been accepted, so never retry',
    (httpStatus, twilioCode) => {
      expect(fromTwilioApiError(httpStatus, twilioCode)).toMatchObject({
        code: ErrorCode.DELIVERY_UNKNOWN,
        status: 502,
        outcome: 'unknown',
        retryable: false,
        message: `Twilio answered HTTP ${httpStatus}; the message may have been accepted.`,
      });
    },
  );

  it('prefers a known Twilio code over a 5xx status', () => {
    expect(fromTwilioApiError(500, 21610)).toMatchObject({
      code: ErrorCode.RECIPIENT_OPTED_OUT,
      outcome: 'failed',
    });
  });

  it('names an unknown Twilio code in the message', () => {
    expect(fromTwilioApiError(400, 21999).message).toBe('Twilio refused the message (code 21999).');
  });

  it('refuses a 4xx without a code as PROVIDER_REJECTED, without provider details', () => {
    const error = fromTwilioApiError(400, undefined);

    expect(error).toMatchObject({
      code: ErrorCode.PROVIDER_REJECTED,
      status: 422,
      outcome: 'failed',
      retryable: false,
      message: 'Twilio refused the message.',
    });
    expect(error.providerCode).toBeUndefined();
    expect(error.details).toBeUndefined();
  });

  it('gives the agent a sentence to say', () => {
    expect(fromTwilioApiError(400, 21610).agentMessage).toBe(
      "This number has opted out of texts, so I can't send it. I can give you the information by phone instead.",
    );
  });
});

describe('fromNetworkError', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])(
    '%s never reached Twilio: PROVIDER_UNAVAILABLE (503), not sent, retryable',
    (networkCode) => {
      const error = fromNetworkError(networkCode);

      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({
        code: ErrorCode.PROVIDER_UNAVAILABLE,
        status: 503,
        outcome: 'failed',
        retryable: true,
        message: `Twilio could not be reached (${networkCode}).`,
      });
    },
  );

  it.each([
    ['ECONNRESET', 'ECONNRESET'],
    ['ECONNABORTED', 'ECONNABORTED'],
    ['ETIMEDOUT', 'ETIMEDOUT'],
    [undefined, 'no code'],
  ])(
    '%s may have reached Twilio: DELIVERY_UNKNOWN, outcome unknown, never retried',
    (networkCode, named) => {
      expect(fromNetworkError(networkCode)).toMatchObject({
        code: ErrorCode.DELIVERY_UNKNOWN,
        status: 502,
        outcome: 'unknown',
        retryable: false,
        message: `The connection to Twilio failed mid-request (${named}); the message may have been accepted.`,
      });
    },
  );
});
