#!/usr/bin/env node
// CPU per messages.create through the twilio SDK, with its default HTTP client (axios) and with
// the service's TwilioHttpClient (keep-alive node:http), against bench/twilio-stub.mjs:
//   npm run build && node bench/checks/twilio-client.mjs [creates, default 4000]
// 10 creates in flight; CPU is this process's process.cpuUsage() over the measured creates, after
// 200 warm-up creates. Loopback only; stops by itself.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import twilio from 'twilio';
import { startStub } from '../app-process.mjs';

const creates = Number(process.argv[2] ?? 4000);
const { TwilioHttpClient } = await import(
  pathToFileURL(resolve('dist/providers/twilio/twilio-http-client.js')).href
);
const stub = await startStub(resolve('bench/twilio-stub.mjs'), 0);
const accountSid = `AC${randomBytes(16).toString('hex')}`;

class StubHostClient extends twilio.RequestClient {
  request(opts) {
    return super.request({ ...opts, uri: opts.uri.replace(/^https:\/\/[^/]+/, stub.baseUrl) });
  }
}

async function run(client, count) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await client.messages.create({ to: '+12025550143', from: '+12025550100', body: `n ${next}` });
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
}

const clients = {
  'SDK default (axios)': () => new StubHostClient(),
  'TwilioHttpClient (keep-alive node:http)': () =>
    new TwilioHttpClient({ baseUrl: stub.baseUrl, timeoutMs: 8000 }),
};
try {
  for (const round of [1, 2]) {
    for (const [name, make] of Object.entries(clients)) {
      const client = twilio(accountSid, 'token', { httpClient: make() });
      await run(client, 200);
      const cpu = process.cpuUsage();
      const started = performance.now();
      await run(client, creates);
      const used = process.cpuUsage(cpu);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `round ${round}, ${name}: ${((used.user + used.system) / creates).toFixed(0)} µs CPU per create,` +
          ` ${(creates / seconds).toFixed(0)} creates/s`,
      );
    }
  }
} finally {
  await stub.stop();
}
process.exit(0);
