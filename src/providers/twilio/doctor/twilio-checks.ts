import { maskPhone } from '../../../common/mask.js';
import type { TwilioConfig } from '../twilio.config.js';
import type {
  TwilioNumberFacts,
  TwilioServiceFacts,
  TwilioServiceNumberFacts,
} from '../twilio-account.js';
import { fail, pass, warn, type CheckResult } from '../../../doctor/check.js';
import { TWILIO_CHECKS, tail, type TwilioReads } from './twilio-reads.js';
import { registrationCheck } from './us-registration.check.js';

export { type TwilioReads } from './twilio-reads.js';

/**
 * Whether Twilio will carry the texts: credentials, the sender, the Messaging Service, US
 * registration and where Twilio posts statuses and replies. Reads only.
 */
export async function twilioChecks(
  config: TwilioConfig,
  publicBaseUrl: string | undefined,
  twilio: TwilioReads,
): Promise<CheckResult[]> {
  let account;
  try {
    account = await twilio.account();
  } catch (error) {
    return [credentialsFailure(error as { status?: number; code?: number; message: string })];
  }
  const results: CheckResult[] = [];
  const who = `${account.friendlyName} (${tail(account.sid)})`;
  if (account.status !== 'active') {
    return [
      fail(
        TWILIO_CHECKS.credentials,
        `${who} is ${account.status}`,
        'Reactivate the account in the Twilio Console; a suspended or closed account sends nothing.',
      ),
    ];
  }
  results.push(
    account.type === 'Trial'
      ? warn(
          TWILIO_CHECKS.credentials,
          `${who}, active, a trial account`,
          'Upgrade the account before texting patients: a trial texts only verified numbers and prefixes every text.',
        )
      : pass(TWILIO_CHECKS.credentials, `${who}, active`),
  );

  try {
    const number = config.fromNumber ? await twilio.incomingNumber(config.fromNumber) : null;
    const service = config.messagingServiceSid
      ? await twilio.messagingService(config.messagingServiceSid)
      : null;
    const pool = service ? await twilio.serviceNumbers(service.sid) : [];
    results.push(senderCheck(config, number, service, pool));
    results.push(serviceCheck(config, service));
    results.push(await registrationCheck(number, service, pool, twilio));
    results.push(...webhookChecks(publicBaseUrl, number, service));
  } catch (error) {
    results.push(
      fail(
        TWILIO_CHECKS.sender,
        `Twilio did not answer a read: ${(error as Error).message}`,
        'Run the doctor again; if it persists, check status.twilio.com and the API key’s permissions.',
      ),
    );
  }
  return results;
}

function credentialsFailure(error: { status?: number; code?: number; message: string }) {
  if (error.status === 401 || error.code === 20003) {
    return fail(
      TWILIO_CHECKS.credentials,
      `Twilio refused the credentials (${error.code ?? 401})`,
      'Check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (Twilio Console, Account info); a rotated token replaces the old one.',
    );
  }
  return fail(
    TWILIO_CHECKS.credentials,
    `Could not read the account: ${error.message}`,
    'Check that this host reaches api.twilio.com over https (proxy, firewall) or TWILIO_API_BASE_URL.',
  );
}

function senderCheck(
  config: TwilioConfig,
  number: TwilioNumberFacts | null,
  service: TwilioServiceFacts | null,
  pool: TwilioServiceNumberFacts[],
): CheckResult {
  if (config.messagingServiceSid) {
    if (!service) {
      return fail(
        TWILIO_CHECKS.sender,
        'not checked: the Messaging Service was not found',
        'See the Messaging Service line.',
      );
    }
    const sms = pool.filter((n) => n.capabilities.some((c) => c.toUpperCase() === 'SMS'));
    if (pool.length === 0) {
      return fail(
        TWILIO_CHECKS.sender,
        `${tail(service.sid)} has no sender in its pool`,
        'Add an SMS-capable number to the Messaging Service (Sender Pool); texts through it cannot go out.',
      );
    }
    if (sms.length === 0) {
      return fail(
        TWILIO_CHECKS.sender,
        `none of the ${pool.length} numbers in ${tail(service.sid)} can send SMS`,
        'Add an SMS-capable number to the Sender Pool (Phone Numbers, Buy a number, SMS filter).',
      );
    }
    return pass(
      TWILIO_CHECKS.sender,
      `${sms.length} of ${pool.length} numbers in the service's pool can send SMS`,
    );
  }
  const masked = maskPhone(config.fromNumber);
  if (!number) {
    return fail(
      TWILIO_CHECKS.sender,
      `TWILIO_PHONE_NUMBER ${masked} is not a number on this account`,
      'Set TWILIO_PHONE_NUMBER to one of the account’s Active numbers, in E.164 (+12025550100).',
    );
  }
  if (!number.sms) {
    return fail(
      TWILIO_CHECKS.sender,
      `${masked} cannot send SMS`,
      'Use an SMS-capable number (Phone Numbers, Buy a number, SMS filter) and set TWILIO_PHONE_NUMBER to it.',
    );
  }
  return number.mms
    ? pass(TWILIO_CHECKS.sender, `${masked} can send SMS and MMS`)
    : pass(TWILIO_CHECKS.sender, `${masked} can send SMS (not MMS: media_url texts will fail)`);
}

function serviceCheck(config: TwilioConfig, service: TwilioServiceFacts | null): CheckResult {
  if (!config.messagingServiceSid) {
    return warn(
      TWILIO_CHECKS.service,
      'none: texts go straight from TWILIO_PHONE_NUMBER',
      'Scheduled texts still go out (the service dispatches them), but a US local number has no A2P 10DLC campaign without one, and carriers filter unregistered texts. Create one (Messaging, Services), add the number, set TWILIO_MESSAGING_SERVICE_SID.',
    );
  }
  if (!service) {
    return fail(
      TWILIO_CHECKS.service,
      `${tail(config.messagingServiceSid)} is not a Messaging Service on this account`,
      'Copy the SID (MG…) from Messaging, Services into TWILIO_MESSAGING_SERVICE_SID.',
    );
  }
  return pass(
    TWILIO_CHECKS.service,
    `${service.friendlyName} (${tail(service.sid)}): scheduling available`,
  );
}

function webhookChecks(
  publicBaseUrl: string | undefined,
  number: TwilioNumberFacts | null,
  service: TwilioServiceFacts | null,
): CheckResult[] {
  if (!publicBaseUrl) {
    return [
      warn(
        TWILIO_CHECKS.status,
        'off: PUBLIC_BASE_URL is not set, so texts ask for no status callback',
        'Set PUBLIC_BASE_URL: without callbacks a text stays queued here and failed deliveries go unseen.',
      ),
      warn(
        TWILIO_CHECKS.inbound,
        'not compared: PUBLIC_BASE_URL is not set',
        'Set PUBLIC_BASE_URL, then point incoming messages at <PUBLIC_BASE_URL>/api/twilio/inbound.',
      ),
    ];
  }
  const statusUrl = `${publicBaseUrl}/api/twilio/status`;
  const inboundUrl = `${publicBaseUrl}/api/twilio/inbound`;
  const status = pass(
    TWILIO_CHECKS.status,
    `each text asks Twilio to post its status to ${statusUrl}`,
  );
  const onService = service && !service.useInboundWebhookOnNumber;
  const where = onService ? `The Messaging Service` : number ? 'The number' : null;
  const actual = onService ? service.inboundRequestUrl : number?.smsUrl;
  if (!where) {
    return [
      status,
      warn(
        TWILIO_CHECKS.inbound,
        'not compared: the service uses each number’s own webhook',
        `Set each pool number’s incoming message webhook to ${inboundUrl} (POST).`,
      ),
    ];
  }
  const same = (actual ?? '').replace(/\/+$/, '') === inboundUrl;
  return [
    status,
    same
      ? pass(TWILIO_CHECKS.inbound, `${where.toLowerCase()} posts replies to ${inboundUrl}`)
      : warn(
          TWILIO_CHECKS.inbound,
          `${where} posts replies to ${actual ?? 'nowhere'}, not ${inboundUrl}`,
          `Set the incoming message webhook ${onService ? 'of the Messaging Service (Integration)' : 'of the number (Messaging configuration)'} to ${inboundUrl} (POST), so STOP, START and HELP are recorded.`,
        ),
  ];
}
