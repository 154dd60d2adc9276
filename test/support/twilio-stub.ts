import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Twilio's Messages API (REST v2010), for contract, idempotency, retry
 * and benchmark tests. Point TWILIO_API_BASE_URL (or twilioConfig.apiBaseUrl) at `baseUrl`.
 *
 *   const stub = await startTwilioStub();
 *   stub.respondWith({ type: 'error', status: 400, code: 21610 });
 *   ...
 *   expect(stub.creates).toBe(1);
 *   await stub.close();
 */

/** One request as the stub received it. */
export interface StubRequest {
  method: string;
  /** Path and query string, e.g. /2010-04-01/Accounts/AC.../Messages.json */
  path: string;
  headers: IncomingHttpHeaders;
  /** The form-encoded body; a repeated field keeps its last value. */
  form: Record<string, string>;
  /** What the stub answered; absent while delayed and when the socket was destroyed. */
  response?: { status: number; body: Record<string, unknown> };
}

/** How the stub answers a message create. Every kind can wait `delayMs` first. */
export type StubAnswer =
  /** 201 with a MessageInstance; `sid` and `status` override the generated ones. */
  | { type: 'message'; sid?: string; status?: string; delayMs?: number }
  /** Twilio's error body: {"code","message","more_info","status"}. `code` may be left out. */
  | { type: 'error'; status: number; code?: number; message?: string; delayMs?: number }
  /**
   * Reads the whole request, then resets the connection without answering: the case where
   * Twilio may have accepted the message but the client never hears so.
   */
  | { type: 'destroy-socket'; delayMs?: number };

export type StubResponder = StubAnswer | ((request: StubRequest) => StubAnswer);

export interface TwilioStub {
  /** http://127.0.0.1:<port>, no trailing slash. */
  readonly baseUrl: string;
  /** Every request received, in order (message creates and anything else). */
  readonly requests: StubRequest[];
  /** How many message creates reached the stub: the number a retry or a replay must not raise. */
  readonly creates: number;
  /** Sets the answer for the following creates; a function can vary it per request. */
  respondWith(responder: StubResponder): void;
  /** Forgets recorded requests and goes back to answering 201. */
  reset(): void;
  /** Stops listening and destroys open (keep-alive) sockets and pending answers, so Jest can exit. */
  close(): Promise<void>;
  /** What GETs about the account, its numbers and services answer (reset() forgets it). */
  setAccount(account: StubAccount): void;
  /** Line types Lookup v2 answers, by E.164 number; any other number is a mobile. */
  setLineTypes(lineTypes: Record<string, string>): void;
  /** How many Lookup v2 requests reached the stub (each one billed by Twilio). */
  readonly lookups: number;
}

const CREATE_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;
const DEFAULT_ANSWER: StubAnswer = { type: 'message' };

export async function startTwilioStub(): Promise<TwilioStub> {
  const requests: StubRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let responder: StubResponder = DEFAULT_ANSWER;
  const accepted: Array<Record<string, unknown>> = [];
  let account: StubAccount = {};
  let lineTypes: Record<string, string> = {};

  const server = createServer((req, res) => {
    void readForm(req).then((form) => {
      const path = req.url ?? '/';
      const recorded: StubRequest = { method: req.method ?? '', path, headers: req.headers, form };
      requests.push(recorded);

      const lookedUp = lookupAnswer(lineTypes, recorded);
      if (lookedUp) {
        send(res, recorded, lookedUp.status, lookedUp.body);
        return;
      }
      const about = accountAnswer(account, recorded);
      if (about) {
        send(res, recorded, about.status, about.body);
        return;
      }
      const listed = listAccountSid(recorded);
      if (listed) {
        // What Twilio holds: every create it accepted, newest first, filtered by To.
        const to = new URL(path, 'http://stub').searchParams.get('To');
        const found = accepted.filter((m) => !to || m.to === to).reverse();
        send(res, recorded, 200, {
          messages: found,
          start: 0,
          end: Math.max(0, found.length - 1),
          page: 0,
          page_size: 50,
          first_page_uri: path,
          next_page_uri: null,
          previous_page_uri: null,
          uri: path,
        });
        return;
      }
      const accountSid = createAccountSid(recorded);
      if (!accountSid) {
        send(
          res,
          recorded,
          404,
          twilioError(404, 20404, `The requested resource ${path} was not found`),
        );
        return;
      }
      const answer = typeof responder === 'function' ? responder(recorded) : responder;
      const act = () => {
        switch (answer.type) {
          case 'destroy-socket':
            // Twilio took the message; only the answer was lost.
            accepted.push({ ...messageInstance(accountSid, form, {}), status: 'sent' });
            res.socket?.destroy();
            return;
          case 'error':
            send(
              res,
              recorded,
              answer.status,
              twilioError(answer.status, answer.code, answer.message),
            );
            return;
          case 'message': {
            const instance = messageInstance(accountSid, form, answer);
            accepted.push(instance);
            send(res, recorded, 201, instance);
          }
        }
      };
      if (!answer.delayMs) {
        act();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        act();
      }, answer.delayMs);
      timers.add(timer);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: tests never expose a port to the network.
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    get creates() {
      return requests.filter((r) => createAccountSid(r) !== undefined).length;
    },
    get lookups() {
      return requests.filter((r) => r.method === 'GET' && LOOKUP_PATH.test(r.path.split('?')[0]))
        .length;
    },
    setLineTypes(next) {
      lineTypes = next;
    },
    respondWith(next) {
      responder = next;
    },
    reset() {
      requests.length = 0;
      accepted.length = 0;
      responder = DEFAULT_ANSWER;
      account = {};
      lineTypes = {};
    },
    setAccount(next) {
      account = next;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close() waits for them to idle out.
        server.closeAllConnections();
      });
    },
  };
}

/** The account SID when the request is a message create, else undefined. */
function listAccountSid({ method, path }: StubRequest): string | undefined {
  return method === 'GET' ? CREATE_PATH.exec(path.split('?')[0])?.[1] : undefined;
}

function createAccountSid({ method, path }: StubRequest): string | undefined {
  return method === 'POST' ? CREATE_PATH.exec(path.split('?')[0])?.[1] : undefined;
}

function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () =>
      resolve(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))),
    );
    // A client that gives up mid-body still counts as a request that reached Twilio.
    req.on('error', () => resolve({}));
  });
}

function send(
  res: ServerResponse,
  recorded: StubRequest,
  status: number,
  body: Record<string, unknown>,
): void {
  // The client may have timed out and closed the socket while the answer was delayed.
  if (res.destroyed) return;
  recorded.response = { status, body };
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function twilioError(status: number, code?: number, message?: string): Record<string, unknown> {
  return {
    ...(code === undefined ? {} : { code }),
    message: message ?? `Twilio stub error ${code ?? status}`,
    more_info: `https://www.twilio.com/docs/errors/${code ?? status}`,
    status,
  };
}

/** The fields of Twilio's 201 answer to a create (api.v2010.account.message). */
function messageInstance(
  accountSid: string,
  form: Record<string, string>,
  answer: { sid?: string; status?: string },
): Record<string, unknown> {
  const sid = answer.sid ?? `SM${randomBytes(16).toString('hex')}`;
  const now = new Date().toUTCString().replace('GMT', '+0000');
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: form.Body ?? '',
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: form.From ?? null,
    messaging_service_sid: form.MessagingServiceSid ?? null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid,
    status: answer.status ?? 'queued',
    subresource_uris: { media: `${uri}/Media.json` },
    to: form.To ?? '',
    uri: `${uri}.json`,
  };
}

/** The settings that point the app's Twilio transport at a stub, sending from one number. */
export function twilioStubEnv(
  stub: TwilioStub,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
    TWILIO_AUTH_TOKEN: 'stub-auth-token',
    TWILIO_PHONE_NUMBER: '+12025550100',
    TWILIO_API_BASE_URL: stub.baseUrl,
    ...extra,
  };
}

/*
 * The account, its numbers and its Messaging Services, as the doctor reads them (GETs only):
 * Accounts and IncomingPhoneNumbers (REST v2010), Services, their PhoneNumbers, US A2P
 * campaigns (Compliance/Usa2p) and Tollfree Verifications (Messaging v1, whose host the
 * transport's request client also points at the stub). Every answer carries exactly the
 * fields Twilio's OpenAPI documents (test/twilio-account.contract-spec.ts checks that).
 */

export interface StubNumber {
  phoneNumber: string;
  /** PN + 32 hex; made up from the number when left out. */
  sid?: string;
  sms?: boolean;
  mms?: boolean;
  /** Where Twilio posts incoming texts for this number. */
  smsUrl?: string | null;
}

export interface StubMessagingService {
  sid: string;
  friendlyName?: string;
  inboundRequestUrl?: string | null;
  statusCallback?: string | null;
  useInboundWebhookOnNumber?: boolean;
  /** The sender pool. */
  numbers?: StubNumber[];
  /** One A2P 10DLC campaign per status, e.g. ['VERIFIED']. */
  campaignStatuses?: string[];
}

export interface StubAccount {
  status?: 'active' | 'suspended' | 'closed';
  type?: 'Full' | 'Trial';
  friendlyName?: string;
  /** Reads with another auth token answer 401, code 20003; any token when left out. */
  authToken?: string;
  numbers?: StubNumber[];
  services?: StubMessagingService[];
  tollfreeVerifications?: {
    tollfreePhoneNumberSid: string;
    status: string;
    rejectionReason?: string;
  }[];
}

const ACCOUNT_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\.json$/;
const NUMBERS_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/IncomingPhoneNumbers\.json$/;
const SERVICE_PATH = /^\/v1\/Services\/(MG[0-9a-fA-F]{32})(\/PhoneNumbers|\/Compliance\/Usa2p)?$/;
const TOLLFREE_PATH = /^\/v1\/Tollfree\/Verifications$/;

export function numberSid(number: StubNumber): string {
  return number.sid ?? `PN${number.phoneNumber.replace(/\D/g, '').padStart(32, '0')}`;
}

/** The answer to a GET about the account, or undefined when the path is not one of those. */
export function accountAnswer(
  account: StubAccount,
  recorded: StubRequest,
): { status: number; body: Record<string, unknown> } | undefined {
  if (recorded.method !== 'GET') return undefined;
  const url = new URL(recorded.path, 'http://stub');
  const path = url.pathname;
  if (![ACCOUNT_PATH, NUMBERS_PATH, SERVICE_PATH, TOLLFREE_PATH].some((p) => p.test(path))) {
    return undefined;
  }
  if (account.authToken !== undefined) {
    const auth = recorded.headers.authorization ?? '';
    const password = Buffer.from(auth.replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':')[1];
    if (password !== account.authToken) {
      return { status: 401, body: twilioError(401, 20003, 'Authenticate') };
    }
  }
  const now = new Date(0).toUTCString().replace('GMT', '+0000');
  let match: RegExpExecArray | null;
  if ((match = ACCOUNT_PATH.exec(path))) {
    return { status: 200, body: accountInstance(match[1], account, now) };
  }
  if ((match = NUMBERS_PATH.exec(path))) {
    const wanted = url.searchParams.get('PhoneNumber');
    const found = (account.numbers ?? []).filter((n) => !wanted || n.phoneNumber === wanted);
    return {
      status: 200,
      body: {
        end: Math.max(0, found.length - 1),
        first_page_uri: recorded.path,
        next_page_uri: null,
        page: 0,
        page_size: Number(url.searchParams.get('PageSize') ?? 50),
        previous_page_uri: null,
        start: 0,
        uri: recorded.path,
        incoming_phone_numbers: found.map((n) => incomingNumberInstance(match![1], n, now)),
      },
    };
  }
  if ((match = SERVICE_PATH.exec(path))) {
    const service = (account.services ?? []).find((s) => s.sid === match![1]);
    if (!service) {
      return {
        status: 404,
        body: twilioError(404, 20404, `The requested resource ${path} was not found`),
      };
    }
    if (match[2] === '/PhoneNumbers') {
      return page(
        'phone_numbers',
        recorded.path,
        (service.numbers ?? []).map((n) => serviceNumberInstance(service, n)),
      );
    }
    if (match[2] === '/Compliance/Usa2p') {
      return page(
        'compliance',
        recorded.path,
        (service.campaignStatuses ?? []).map((s, i) => campaignInstance(service, s, i)),
      );
    }
    return { status: 200, body: serviceInstance(service) };
  }
  const numberSidWanted = url.searchParams.get('TollfreePhoneNumberSid');
  const verifications = (account.tollfreeVerifications ?? []).filter(
    (v) => !numberSidWanted || v.tollfreePhoneNumberSid === numberSidWanted,
  );
  return page(
    'verifications',
    recorded.path,
    verifications.map((v, i) => tollfreeInstance(v, i)),
  );
}

function page(key: string, path: string, items: Record<string, unknown>[]) {
  const url = `https://messaging.twilio.com${path}`;
  return {
    status: 200,
    body: {
      [key]: items,
      meta: {
        first_page_url: url,
        key,
        next_page_url: null,
        page: 0,
        page_size: 50,
        previous_page_url: null,
        url,
      },
    },
  };
}

function nulls(keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, null]));
}

function accountInstance(sid: string, account: StubAccount, now: string) {
  return {
    auth_token: '[not shown by the stub]',
    date_created: now,
    date_updated: now,
    friendly_name: account.friendlyName ?? 'Clinic account',
    owner_account_sid: sid,
    sid,
    status: account.status ?? 'active',
    subresource_uris: {},
    type: account.type ?? 'Full',
    uri: `/2010-04-01/Accounts/${sid}.json`,
  };
}

function incomingNumberInstance(accountSid: string, n: StubNumber, now: string) {
  const sid = numberSid(n);
  return {
    ...nulls([
      'address_sid',
      'identity_sid',
      'sms_application_sid',
      'sms_fallback_url',
      'status_callback',
      'trunk_sid',
      'voice_application_sid',
      'voice_fallback_url',
      'voice_url',
      'emergency_address_sid',
      'bundle_sid',
    ]),
    account_sid: accountSid,
    address_requirements: 'none',
    api_version: '2010-04-01',
    beta: false,
    capabilities: { fax: false, mms: n.mms ?? false, sms: n.sms ?? true, voice: true },
    date_created: now,
    date_updated: now,
    friendly_name: n.phoneNumber,
    phone_number: n.phoneNumber,
    origin: 'twilio',
    sid,
    sms_fallback_method: 'POST',
    sms_method: 'POST',
    sms_url: n.smsUrl ?? '',
    status_callback_method: 'POST',
    uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}.json`,
    voice_receive_mode: 'voice',
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_method: 'POST',
    emergency_status: 'Inactive',
    emergency_address_status: 'unregistered',
    status: 'in-use',
    type: 'local',
  };
}

function serviceInstance(s: StubMessagingService) {
  return {
    account_sid: `AC${'0123456789abcdef'.repeat(2)}`,
    area_code_geomatch: true,
    date_created: '2026-01-01T00:00:00Z',
    date_updated: '2026-01-01T00:00:00Z',
    fallback_method: 'POST',
    fallback_to_long_code: true,
    fallback_url: null,
    friendly_name: s.friendlyName ?? 'Patient texts',
    inbound_method: 'POST',
    inbound_request_url: s.inboundRequestUrl ?? null,
    links: {},
    mms_converter: true,
    scan_message_content: 'inherit',
    sid: s.sid,
    smart_encoding: true,
    status_callback: s.statusCallback ?? null,
    sticky_sender: true,
    synchronous_validation: false,
    url: `https://messaging.twilio.com/v1/Services/${s.sid}`,
    us_app_to_person_registered: (s.campaignStatuses ?? []).includes('VERIFIED'),
    use_inbound_webhook_on_number: s.useInboundWebhookOnNumber ?? false,
    usecase: 'notifications',
    validity_period: 14400,
  };
}

function serviceNumberInstance(s: StubMessagingService, n: StubNumber) {
  return {
    account_sid: `AC${'0123456789abcdef'.repeat(2)}`,
    capabilities: [...((n.sms ?? true) ? ['SMS'] : []), ...(n.mms ? ['MMS'] : []), 'Voice'],
    country_code: 'US',
    date_created: '2026-01-01T00:00:00Z',
    date_updated: '2026-01-01T00:00:00Z',
    phone_number: n.phoneNumber,
    service_sid: s.sid,
    sid: numberSid(n),
    url: `https://messaging.twilio.com/v1/Services/${s.sid}/PhoneNumbers/${numberSid(n)}`,
  };
}

function campaignInstance(s: StubMessagingService, status: string, index: number) {
  const sid = `QE${String(index).padStart(32, '0')}`;
  return {
    ...nulls([
      'campaign_id',
      'rate_limits',
      'message_flow',
      'opt_in_message',
      'opt_out_message',
      'help_message',
      'opt_in_keywords',
      'opt_out_keywords',
      'help_keywords',
      'errors',
    ]),
    sid,
    account_sid: `AC${'0123456789abcdef'.repeat(2)}`,
    brand_registration_sid: `BN${'0'.repeat(32)}`,
    messaging_service_sid: s.sid,
    description: 'Appointment and prescription texts to patients',
    message_samples: ['Hi Jane, your appointment is confirmed.'],
    us_app_to_person_usecase: 'CUSTOMER_CARE',
    has_embedded_links: true,
    has_embedded_phone: false,
    subscriber_opt_in: true,
    age_gated: false,
    direct_lending: false,
    campaign_status: status,
    is_externally_registered: false,
    date_created: '2026-01-01T00:00:00Z',
    date_updated: '2026-01-01T00:00:00Z',
    url: `https://messaging.twilio.com/v1/Services/${s.sid}/Compliance/Usa2p/${sid}`,
    mock: false,
  };
}

const TOLLFREE_NULLS = [
  'customer_profile_sid',
  'trust_product_sid',
  'regulated_item_sid',
  'business_street_address',
  'business_street_address2',
  'business_city',
  'business_state_province_region',
  'business_postal_code',
  'business_country',
  'business_website',
  'business_contact_first_name',
  'business_contact_last_name',
  'business_contact_email',
  'business_contact_phone',
  'notification_email',
  'use_case_categories',
  'use_case_summary',
  'production_message_sample',
  'opt_in_image_urls',
  'opt_in_type',
  'message_volume',
  'additional_information',
  'error_code',
  'edit_expiration',
  'edit_allowed',
  'business_registration_number',
  'business_registration_authority',
  'business_registration_country',
  'business_type',
  'business_registration_phone_number',
  'doing_business_as',
  'opt_in_confirmation_message',
  'help_message_sample',
  'privacy_policy_url',
  'terms_and_conditions_url',
  'age_gated_content',
  'opt_in_keywords',
  'rejection_reasons',
  'resource_links',
  'external_reference_id',
  'vetting_id',
  'vetting_provider',
  'vetting_id_expiration',
];

function tollfreeInstance(
  v: { tollfreePhoneNumberSid: string; status: string; rejectionReason?: string },
  index: number,
) {
  const sid = `HH${String(index).padStart(32, '0')}`;
  return {
    ...nulls(TOLLFREE_NULLS),
    sid,
    account_sid: `AC${'0123456789abcdef'.repeat(2)}`,
    date_created: '2026-01-01T00:00:00Z',
    date_updated: '2026-01-01T00:00:00Z',
    business_name: 'Main Street Clinic',
    tollfree_phone_number_sid: v.tollfreePhoneNumberSid,
    tollfree_phone_number: null,
    status: v.status,
    url: `https://messaging.twilio.com/v1/Tollfree/Verifications/${sid}`,
    rejection_reason: v.rejectionReason ?? null,
  };
}

/*
 * Lookup v2 (lookups.twilio.com, whose host the transport's request client also points at the
 * stub): GET /v2/PhoneNumbers/{PhoneNumber}?Fields=line_type_intelligence, answered with
 * exactly the fields of Twilio's LookupResponse.
 */
export const LOOKUP_PATH = /^\/v2\/PhoneNumbers\/([^/]+)$/;

export function lookupAnswer(
  lineTypes: Record<string, string>,
  recorded: StubRequest,
): { status: number; body: Record<string, unknown> } | undefined {
  if (recorded.method !== 'GET') return undefined;
  const url = new URL(recorded.path, 'http://stub');
  const match = LOOKUP_PATH.exec(url.pathname);
  if (!match) return undefined;
  const number = decodeURIComponent(match[1]);
  const fields = (url.searchParams.get('Fields') ?? '').split(',');
  return {
    status: 200,
    body: {
      ...nulls([
        'caller_name',
        'sim_swap',
        'call_forwarding',
        'line_status',
        'identity_match',
        'reassigned_number',
        'sms_pumping_risk',
        'phone_number_quality_score',
        'pre_fill',
        'validation_errors',
      ]),
      calling_country_code: '1',
      country_code: 'US',
      phone_number: number,
      national_format: number,
      valid: true,
      line_type_intelligence: fields.includes('line_type_intelligence')
        ? {
            error_code: null,
            mobile_country_code: '311',
            mobile_network_code: '180',
            carrier_name: 'Stub Carrier',
            type: lineTypes[number] ?? 'mobile',
          }
        : null,
      url: `https://lookups.twilio.com/v2/PhoneNumbers/${encodeURIComponent(number)}`,
    },
  };
}
