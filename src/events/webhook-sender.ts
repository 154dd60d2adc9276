import { Inject, Injectable } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { eventsConfig, type EventsConfig } from '../config/events.config.js';

export type SendOutcome = { ok: true } | { ok: false; error: string };

/**
 * One attempt to deliver one event to the clinic's endpoint, signed as Standard Webhooks
 * specify (webhook-id, webhook-timestamp, webhook-signature), with the standardwebhooks
 * library. Any 2xx is delivered; the answer's body is never read or kept.
 */
@Injectable()
export class WebhookSender {
  private readonly signer: Webhook | undefined;

  constructor(@Inject(eventsConfig.KEY) private readonly config: EventsConfig) {
    this.signer = config.secret ? new Webhook(config.secret) : undefined;
  }

  async send(id: string, payload: string, at: Date): Promise<SendOutcome> {
    if (!this.config.url || !this.signer) return { ok: false, error: 'no endpoint configured' };
    try {
      const answer = await fetch(this.config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': this.signer.sign(id, at, payload),
        },
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      await answer.body?.cancel();
      return answer.ok ? { ok: true } : { ok: false, error: `HTTP ${answer.status}` };
    } catch (error) {
      return { ok: false, error: describe(error) };
    }
  }
}

/** A network failure in a few words: its code, never a URL with credentials in it. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  return error instanceof Error ? error.name : 'error';
}
