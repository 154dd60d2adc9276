import http from 'node:http';
import https from 'node:https';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { TwilioConfig } from './twilio.config.js';

/** Sockets kept per host: more concurrent creates queue for one instead of opening new ones. */
export const TWILIO_MAX_SOCKETS = 32;
/** An idle socket is closed before the server's own idle timeout can race a new request. */
const IDLE_SOCKET_MS = 4000;

/** What the SDK reads from an answer; it parses a string body itself. */
interface TwilioResponse<TData> {
  statusCode: number;
  body: TData;
  headers: http.IncomingHttpHeaders;
}

export interface TwilioHttpClientOptions {
  /** Another base URL for every call (a local stub in tests and benchmarks). */
  baseUrl?: string;
  /** The whole request, connect to last byte; then it is given up on. */
  timeoutMs: number;
  maxSockets?: number;
}

/**
 * The SDK's supported httpClient hook, on node:http(s) with a keep-alive agent instead of the
 * default axios client: about half the CPU per create, and a bounded number of sockets. It never
 * retries, because a retried create can text a patient twice; network failures keep their
 * `code` (ECONNREFUSED, ECONNRESET, ETIMEDOUT...) for the error mapping.
 */
export class TwilioHttpClient extends twilio.RequestClient {
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly baseUrl?: string;
  private readonly timeoutMs: number;

  constructor(options: TwilioHttpClientOptions) {
    super({ timeout: options.timeoutMs, autoRetry: false });
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets ?? TWILIO_MAX_SOCKETS,
      maxFreeSockets: options.maxSockets ?? TWILIO_MAX_SOCKETS,
      timeout: IDLE_SOCKET_MS,
      scheduling: 'lifo' as const,
    };
    this.agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
    this.baseUrl = options.baseUrl;
    this.timeoutMs = options.timeoutMs;
  }

  override request<TData>(
    opts: RequestClient.RequestOptions<TData>,
  ): Promise<TwilioResponse<TData>> {
    const url = new URL(
      this.baseUrl ? opts.uri.replace(/^https:\/\/[^/]+/, this.baseUrl) : opts.uri,
    );
    if (opts.params) url.search = formEncode(opts.params as Record<string, unknown>);
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string>) };
    if (opts.username && opts.password) {
      headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    }
    const body = opts.data ? bodyFor(opts.data, headers['Content-Type']) : undefined;
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    const isHttps = url.protocol === 'https:';
    const timeoutMs = opts.timeout ?? this.timeoutMs;

    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(url, {
        method: opts.method.toUpperCase(),
        headers,
        agent: isHttps ? this.agents.https : this.agents.http,
      });
      const deadline = setTimeout(() => {
        req.destroy(
          Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
        );
      }, timeoutMs);
      req.once('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', (error) => {
          clearTimeout(deadline);
          reject(error);
        });
        res.once('end', () => {
          clearTimeout(deadline);
          resolve({
            statusCode: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8') as TData,
            headers: res.headers,
          });
        });
      });
      req.end(body);
    });
  }
}

function bodyFor(data: unknown, contentType: string | undefined): string {
  return contentType === 'application/json'
    ? JSON.stringify(data)
    : formEncode(data as Record<string, unknown>);
}

/** As the SDK's own client sends it: a repeated field per array item, undefined left out. */
function formEncode(fields: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) form.append(name, String(item));
    }
  }
  return form.toString();
}

/**
 * A Twilio client whose every call goes through TwilioHttpClient, never retried, optionally
 * pointed at another base URL (a local stub in tests and benchmarks).
 */
export function createTwilioClient(
  config: Pick<TwilioConfig, 'accountSid' | 'authToken' | 'apiBaseUrl' | 'timeoutMs'>,
): twilio.Twilio {
  return twilio(config.accountSid, config.authToken, {
    httpClient: new TwilioHttpClient({ baseUrl: config.apiBaseUrl, timeoutMs: config.timeoutMs }),
    autoRetry: false,
  });
}
