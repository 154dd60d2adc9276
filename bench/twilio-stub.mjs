#!/usr/bin/env node
// A local stand-in for Twilio's Messages API for the benchmark: the create answers 201 with a
// MessageInstance after a fixed delay, as test/support/twilio-stub.ts does for the tests, and
// Lookup v2 answers every number as a mobile (the service looks each number up once, then
// caches it, so a bench whose lookups failed would measure a failure path on every send).
// Run as its own process so its work does not share an event loop with the load generator:
//   node bench/twilio-stub.mjs [delayMs]   prints {"baseUrl":"http://127.0.0.1:<port>"}
// GET /bench/creates answers how many creates arrived, so the bench can show (c) reached it.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const CREATE_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;
const LOOKUP_PATH = /^\/v2\/PhoneNumbers\/([^/]+)$/;

export function startTwilioStub({ delayMs = 20 } = {}) {
  let creates = 0;
  let lookups = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/bench/creates') {
        send(res, 200, { creates, lookups });
        return;
      }
      const lookup = req.method === 'GET' ? LOOKUP_PATH.exec(path) : null;
      if (lookup) {
        lookups += 1;
        send(res, 200, lookupAnswer(decodeURIComponent(lookup[1])));
        return;
      }
      const accountSid = req.method === 'POST' ? CREATE_PATH.exec(path)?.[1] : undefined;
      if (!accountSid) {
        send(res, 404, {
          code: 20404,
          message: `The requested resource ${path} was not found`,
          more_info: 'https://www.twilio.com/docs/errors/20404',
          status: 404,
        });
        return;
      }
      creates += 1;
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      setTimeout(() => send(res, 201, messageInstance(accountSid, form)), delayMs);
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        get creates() {
          return creates;
        },
        get lookups() {
          return lookups;
        },
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function send(res, status, body) {
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Lookup v2's answer with line_type_intelligence (../shared/reference/twilio/twilio_lookups_v2.json). */
function lookupAnswer(number) {
  return {
    calling_country_code: '1',
    country_code: 'US',
    phone_number: number,
    national_format: number,
    valid: true,
    validation_errors: null,
    caller_name: null,
    sim_swap: null,
    call_forwarding: null,
    line_status: null,
    line_type_intelligence: {
      error_code: null,
      mobile_country_code: '311',
      mobile_network_code: '180',
      carrier_name: 'Bench Carrier',
      type: 'mobile',
    },
    identity_match: null,
    reassigned_number: null,
    sms_pumping_risk: null,
    phone_number_quality_score: null,
    pre_fill: null,
    url: `https://lookups.twilio.com/v2/PhoneNumbers/${encodeURIComponent(number)}`,
  };
}

/** The fields of Twilio's 201 answer to a create (api.v2010.account.message). */
function messageInstance(accountSid, form) {
  const sid = `SM${randomBytes(16).toString('hex')}`;
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
    status: 'queued',
    subresource_uris: { media: `${uri}/Media.json` },
    to: form.To ?? '',
    uri: `${uri}.json`,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const delayMs = Number(process.argv[2] ?? 20);
  const stub = await startTwilioStub({ delayMs });
  process.stdout.write(`${JSON.stringify({ baseUrl: stub.baseUrl })}\n`);
  const stop = () => void stub.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The parent's pipe closes when it dies, however it dies: never outlive it.
  process.stdin.on('close', stop);
  process.stdin.resume();
}
