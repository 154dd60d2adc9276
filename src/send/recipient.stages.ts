import { Injectable } from '@nestjs/common';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { ConsentService } from '../consent/consent.service.js';
import { PhoneNumberService } from '../policy/phone-number.service.js';
import { RecipientPolicy } from '../policy/recipient-policy.js';
import { ResilientProvider } from '../providers/resilient-provider.js';
import { optedOut } from './refusals.js';
import type { SendContext, SendStage } from './send-stage.js';

/** Reads the number as E.164; from here on, a refusal is audited under the patient's number. */
@Injectable()
export class RecipientNumberStage implements SendStage {
  constructor(
    private readonly phones: PhoneNumberService,
    private readonly hasher: RecipientHasher,
    private readonly transport: ResilientProvider,
  ) {}

  run(send: SendContext): void {
    const phone = this.phones.normalize(send.get('dto').phone_number, {
      requireValid: this.transport.capabilities.requiresValidNumbers,
    });
    send.set('phone', phone);
    send.set('recipientHash', this.hasher.hash(phone.e164));
  }
}

/** Who may be texted: allowed countries, personal number types, the caller only, a deny list. */
@Injectable()
export class RecipientPolicyStage implements SendStage {
  constructor(private readonly policy: RecipientPolicy) {}

  run(send: SendContext): void {
    this.policy.check(send.get('phone'), send.get('dto'));
  }
}

/** A patient who replied STOP gets no text. */
@Injectable()
export class ConsentStage implements SendStage {
  constructor(private readonly consent: ConsentService) {}

  async run(send: SendContext): Promise<void> {
    if (await this.consent.isOptedOut(send.get('phone').e164)) throw optedOut();
  }
}
