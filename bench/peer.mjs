#!/usr/bin/env node
// The bench's peer: what the seed guide leads a team to write. Express and the twilio SDK with
// its default HTTP client, a presence check, no auth, limits, policy, store or audit. Only the
// API host is swapped for the bench's Twilio stub, through the SDK's own httpClient hook.
//   TWILIO_API_BASE_URL=http://127.0.0.1:<stub> PORT=<port> node bench/peer.mjs
import express from 'express';
import twilio from 'twilio';

const env = process.env;

/** The SDK's default RequestClient (axios), with only the API host pointed at the stub. */
class StubHostClient extends twilio.RequestClient {
  request(opts) {
    return super.request({
      ...opts,
      uri: opts.uri.replace(/^https:\/\/[^/]+/, env.TWILIO_API_BASE_URL),
    });
  }
}

const client = twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, {
  httpClient: new StubHostClient(),
});

const app = express();
app.use(express.json());

app.get('/health/live', (_req, res) => {
  res.json({ status: 'ok' });
});

app.post('/api/sms/send', async (req, res) => {
  const { phone_number: to, message: body } = req.body ?? {};
  if (!to || !body) {
    res.status(400).json({ success: false, error: 'phone_number and message are required' });
    return;
  }
  try {
    const sent = await client.messages.create({ to, body, from: env.TWILIO_PHONE_NUMBER });
    res.status(201).json({ success: true, message_sid: sent.sid, status: sent.status });
  } catch (error) {
    res.status(502).json({ success: false, error: error?.message ?? 'Twilio failed' });
  }
});

app.listen(Number(env.PORT ?? 3000), env.HOST ?? '127.0.0.1');
