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
}

const CREATE_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;
const DEFAULT_ANSWER: StubAnswer = { type: 'message' };

export async function startTwilioStub(): Promise<TwilioStub> {
  const requests: StubRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let responder: StubResponder = DEFAULT_ANSWER;
  const accepted: Array<Record<string, unknown>> = [];

  const server = createServer((req, res) => {
    void readForm(req).then((form) => {
      const path = req.url ?? '/';
      const recorded: StubRequest = { method: req.method ?? '', path, headers: req.headers, form };
      requests.push(recorded);

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
    respondWith(next) {
      responder = next;
    },
    reset() {
      requests.length = 0;
      accepted.length = 0;
      responder = DEFAULT_ANSWER;
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
