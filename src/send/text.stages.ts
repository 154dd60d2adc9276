import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { sendingConfig } from '../config/sending.config.js';
import { MessageStore } from '../messages/message.store.js';
import type { NormalizedPhone } from '../policy/phone-number.service.js';
import { TextPolicy } from '../policy/text-policy.js';
import { buildMessageBody } from '../tools/templates/message-body.js';
import { MessageRenderer } from '../tools/templates/message-renderer.js';
import { mmsNotSupported } from './refusals.js';
import { ResilientProvider } from '../providers/resilient-provider.js';
import type { SendContext, SendStage } from './send-stage.js';

/** The tool's template with the patient's fields, and the first-text footer on a first text. */
@Injectable()
export class RenderStage implements SendStage {
  constructor(
    private readonly renderer: MessageRenderer,
    @Inject(sendingConfig.KEY) private readonly sending: ConfigType<typeof sendingConfig>,
    private readonly store: MessageStore,
  ) {}

  async run(send: SendContext): Promise<void> {
    const rendered = this.renderer.render(send.get('tool'), send.get('dto'));
    const requested = buildMessageBody(rendered.text);
    send.set(
      'body',
      (await this.needsFooter(send.get('recipientHash')))
        ? buildMessageBody(`${rendered.text}\n${this.sending.firstTextFooter}`)
        : requested,
    );
    send.set('requestedTextSha256', requested.sha256);
    send.set('requestedLanguage', rendered.requestedLanguage);
    send.set('template', { language: rendered.language, version: rendered.version });
  }

  private async needsFooter(recipientHash: string): Promise<boolean> {
    if (!this.sending.firstTextFooter) return false;
    return !(await this.store.hasTexted(recipientHash));
  }
}

/** The link policy on the final text (footer included), and the MMS attachment's address. */
@Injectable()
export class TextPolicyStage implements SendStage {
  constructor(
    private readonly textPolicy: TextPolicy,
    private readonly transport: ResilientProvider,
  ) {}

  run(send: SendContext): void {
    this.textPolicy.check(send.get('body').text);
    const requestedMedia = (send.get('dto') as { media_url?: string }).media_url;
    send.set(
      'mediaUrl',
      requestedMedia ? this.checkMms(requestedMedia, send.get('phone')) : undefined,
    );
  }

  /**
   * MMS needs a provider that sends it, and reaches US and Canadian numbers only; the attachment is a link like any other. Returns
   * the address as checked: the provider gets that, never the string as written.
   */
  private checkMms(mediaUrl: string, phone: NormalizedPhone): string {
    const checked = this.textPolicy.checkMediaUrl(mediaUrl);
    if (!this.transport.capabilities.mms) throw mmsNotSupported('provider');
    const northAmerican = phone.country
      ? ['US', 'CA'].includes(phone.country)
      : phone.callingCode === '1';
    if (!northAmerican) throw mmsNotSupported();
    return checked;
  }
}
