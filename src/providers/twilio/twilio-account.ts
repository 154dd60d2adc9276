import type twilio from 'twilio';
import type { TwilioConfig } from './twilio.config.js';
import { loadTwilioClient } from './twilio-sdk.js';
import { onFirstUse } from '../../common/on-first-use.js';

/** What the doctor reads from Twilio, as plain data (the SDK stays in src/providers/twilio/). */
export interface TwilioAccountFacts {
  sid: string;
  friendlyName: string;
  status: string;
  type: string;
}

export interface TwilioNumberFacts {
  sid: string;
  phoneNumber: string;
  sms: boolean;
  mms: boolean;
  smsUrl: string | null;
}

export interface TwilioServiceFacts {
  sid: string;
  friendlyName: string;
  inboundRequestUrl: string | null;
  statusCallback: string | null;
  useInboundWebhookOnNumber: boolean;
}

export interface TwilioServiceNumberFacts {
  sid: string;
  phoneNumber: string;
  capabilities: string[];
}

/** A refusal or a failure to reach Twilio, with what Twilio said. */
export class TwilioReadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'TwilioReadError';
  }
}

/**
 * Read-only calls about the account and its senders: GETs only, never a create or an update.
 * Through the same request client as the transport, so TWILIO_API_BASE_URL reaches a stub.
 */
export class TwilioAccountReader {
  private readonly client = onFirstUse(() => loadTwilioClient(this.config));

  constructor(private readonly config: TwilioConfig) {}

  /** GET /2010-04-01/Accounts/{Sid}.json: also proves the credentials. */
  account(): Promise<TwilioAccountFacts> {
    return this.read(async (client) => {
      const a = await client.api.v2010.accounts(this.config.accountSid as string).fetch();
      return { sid: a.sid, friendlyName: a.friendlyName, status: a.status, type: a.type };
    });
  }

  /** GET .../IncomingPhoneNumbers.json?PhoneNumber=: the number if this account holds it. */
  incomingNumber(e164: string): Promise<TwilioNumberFacts | null> {
    return this.read(async (client) => {
      const [n] = await client.incomingPhoneNumbers.list({ phoneNumber: e164, limit: 1 });
      if (!n) return null;
      return {
        sid: n.sid,
        phoneNumber: n.phoneNumber,
        sms: n.capabilities?.sms === true,
        mms: n.capabilities?.mms === true,
        smsUrl: n.smsUrl || null,
      };
    });
  }

  /** GET https://messaging.twilio.com/v1/Services/{Sid}; null when the account has no such service. */
  messagingService(sid: string): Promise<TwilioServiceFacts | null> {
    return this.read(async (client) => {
      try {
        const s = await client.messaging.v1.services(sid).fetch();
        return {
          sid: s.sid,
          friendlyName: s.friendlyName,
          inboundRequestUrl: s.inboundRequestUrl || null,
          statusCallback: s.statusCallback || null,
          useInboundWebhookOnNumber: s.useInboundWebhookOnNumber === true,
        };
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
    });
  }

  /** GET /v1/Services/{Sid}/PhoneNumbers: the service's sender pool. */
  serviceNumbers(serviceSid: string): Promise<TwilioServiceNumberFacts[]> {
    return this.read(async (client) =>
      (await client.messaging.v1.services(serviceSid).phoneNumbers.list({ limit: 400 })).map(
        (n) => ({ sid: n.sid, phoneNumber: n.phoneNumber, capabilities: n.capabilities ?? [] }),
      ),
    );
  }

  /** GET /v1/Services/{Sid}/Compliance/Usa2p: the service's A2P 10DLC campaigns' statuses. */
  campaignStatuses(serviceSid: string): Promise<string[]> {
    return this.read(async (client) =>
      (await client.messaging.v1.services(serviceSid).usAppToPerson.list({ limit: 20 })).map(
        (c) => c.campaignStatus ?? 'UNKNOWN',
      ),
    );
  }

  /** GET /v1/Tollfree/Verifications?TollfreePhoneNumberSid=: newest first, as Twilio lists them. */
  tollfreeVerifications(
    numberSid: string,
  ): Promise<{ status: string; rejectionReason: string | null }[]> {
    return this.read(async (client) =>
      (
        await client.messaging.v1.tollfreeVerifications.list({
          tollfreePhoneNumberSid: numberSid,
          limit: 20,
        })
      ).map((v) => ({ status: v.status, rejectionReason: v.rejectionReason || null })),
    );
  }

  private async read<T>(call: (client: twilio.Twilio) => Promise<T>): Promise<T> {
    const client = await this.client();
    try {
      return await call(client);
    } catch (error) {
      const { status, code, message } = error as {
        status?: unknown;
        code?: unknown;
        message?: unknown;
      };
      throw new TwilioReadError(
        typeof message === 'string' ? message : String(error),
        typeof status === 'number' ? status : undefined,
        typeof code === 'number' ? code : undefined,
      );
    }
  }
}
