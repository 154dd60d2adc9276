import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  openMessageDatabase,
  PATIENT,
  storeMessage,
  type MessageDatabase,
} from '../../test/support/message-database.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ProviderError } from '../providers/provider-error.js';
import type { MessageEntity } from '../messages/message.entity.js';
import { SettleStage } from './settle.stage.js';

// The real store, audit log and consent registry on SQLite in memory: "together" means one
// transaction, which only a real database can show.

function providerError(code: string, outcome: 'failed' | 'unknown'): ProviderError {
  return new ProviderError(code, `The provider said ${code}.`, outcome, {
    status: 502,
    agentMessage: "I couldn't send the text.",
  });
}

describe('SettleStage', () => {
  let db: MessageDatabase;
  let stage: SettleStage;
  let message: MessageEntity;

  // The failures below are logged on purpose.
  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    db = await openMessageDatabase();
    stage = new SettleStage(db.unitOfWork, db.store, db.audit, db.consent, db.metrics);
    message = await storeMessage(db);
  });

  afterEach(async () => {
    await db.close();
  });

  const stored = () => db.messages.findOneByOrFail({ id: message.id });
  const lastEvent = async () => (await db.events()).at(-1);

  describe('settle', () => {
    it('writes the row, its stored answer and the outcome event', async () => {
      await stage.settle(message, 'req-1', {
        status: 'sent',
        providerSid: 'SM1',
        response: { status: 201, body: { success: true } },
      });

      expect(await stored()).toMatchObject({
        status: 'sent',
        providerSid: 'SM1',
        responseStatus: 201,
        responseJson: JSON.stringify({ success: true }),
      });
      const event = await lastEvent();
      expect(event).toMatchObject({
        action: 'sms.sent',
        outcome: 'success',
        messageId: message.id,
        requestId: 'req-1',
      });
      expect(JSON.parse(event!.details!)).toMatchObject({ status: 'sent', provider_sid: 'SM1' });
    });

    it('records a scheduled text as sms.scheduled', async () => {
      await stage.settle(message, 'req-1', {
        status: 'scheduled',
        providerSid: 'SM1',
        response: { status: 201, body: {} },
      });

      expect(await lastEvent()).toMatchObject({ action: 'sms.scheduled', outcome: 'success' });
    });

    it('answers 503 AUDIT_WRITE_FAILED when the event cannot be written, and leaves the row unsettled', async () => {
      jest.spyOn(db.audit, 'append').mockRejectedValueOnce(new Error('disk full'));

      const settling = stage.settle(message, 'req-1', {
        status: 'sent',
        providerSid: 'SM1',
        response: { status: 201, body: {} },
      });

      await expect(settling).rejects.toMatchObject({
        code: 'AUDIT_WRITE_FAILED',
        status: 503,
        retryable: false,
      });
      expect(await stored()).toMatchObject({ status: 'accepted', providerSid: null });
    });
  });

  describe('settleFailure', () => {
    it("settles 'failed' when the provider surely did not take the text", async () => {
      const error = providerError('PROVIDER_REJECTED', 'failed');

      await stage.settleFailure(message, 'req-1', error);

      expect(await stored()).toMatchObject({
        status: 'failed',
        errorCode: 'PROVIDER_REJECTED',
        responseStatus: 502,
      });
      expect(JSON.parse((await stored()).responseJson!)).toMatchObject({
        success: false,
        error: { code: 'PROVIDER_REJECTED' },
        request_id: 'req-1',
      });
      expect(await lastEvent()).toMatchObject({ action: 'sms.failed', outcome: 'failure' });
    });

    it("settles 'unknown' when the provider may have taken it", async () => {
      await stage.settleFailure(message, 'req-1', providerError('DELIVERY_UNKNOWN', 'unknown'));

      expect(await stored()).toMatchObject({ status: 'unknown', errorCode: 'DELIVERY_UNKNOWN' });
      expect(await lastEvent()).toMatchObject({ action: 'sms.unknown', outcome: 'unknown' });
    });

    it("settles 'unknown' with INTERNAL_ERROR for an error that is not the provider's", async () => {
      await stage.settleFailure(message, 'req-1', new TypeError('boom'));

      expect(await stored()).toMatchObject({
        status: 'unknown',
        errorCode: 'INTERNAL_ERROR',
        responseStatus: 500,
      });
    });

    it('remembers a provider opt-out so no later send reaches the number', async () => {
      expect(await db.consent.isOptedOut(PATIENT)).toBe(false);

      await stage.settleFailure(message, 'req-1', providerError('RECIPIENT_OPTED_OUT', 'failed'));

      expect(await db.consent.isOptedOut(PATIENT)).toBe(true);
      expect(await stored()).toMatchObject({ status: 'failed', errorCode: 'RECIPIENT_OPTED_OUT' });
    });

    it('records no opt-out for any other refusal', async () => {
      await stage.settleFailure(message, 'req-1', providerError('PROVIDER_REJECTED', 'failed'));

      expect(await db.consent.isOptedOut(PATIENT)).toBe(false);
    });

    it('leaves a send whose settle already failed to be recorded alone', async () => {
      const auditFailure = new DomainError(
        'AUDIT_WRITE_FAILED',
        'The send could not be recorded.',
        {
          status: 503,
          agentMessage: "I couldn't confirm whether the text went through.",
        },
      );

      await stage.settleFailure(message, 'req-1', auditFailure);

      expect(await stored()).toMatchObject({ status: 'accepted' });
    });

    it('does not throw when its own settle cannot be recorded: the caller hears the original error', async () => {
      jest.spyOn(db.audit, 'append').mockRejectedValueOnce(new Error('disk full'));

      await expect(
        stage.settleFailure(message, 'req-1', providerError('PROVIDER_REJECTED', 'failed')),
      ).resolves.toBeUndefined();
      expect(await stored()).toMatchObject({ status: 'accepted' });
    });
  });
});
