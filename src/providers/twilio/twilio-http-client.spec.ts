import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import twilio from 'twilio';
import { TwilioHttpClient } from './twilio-http-client.js';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const CREATE_URI = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback server that records requests and the sockets they arrived on. */
async function startServer(
  answer: (req: Received, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(201, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ sid: `SM${'a'.repeat(32)}`, status: 'queued' }));
  },
) {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(entry);
      answer(entry, res);
    });
  });
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type TestServer = Awaited<ReturnType<typeof startServer>>;

describe('TwilioHttpClient', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('carries a create through the SDK: form body, basic auth, the parsed instance back', async () => {
    server = await startServer();
    const client = twilio(ACCOUNT_SID, 'token', {
      httpClient: new TwilioHttpClient({ baseUrl: server.baseUrl, timeoutMs: 2000 }),
    });

    const message = await client.messages.create({
      to: '+12025550143',
      from: '+12025550100',
      body: 'a & b = c ¡sí! 💊',
      mediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'],
    });

    expect(message.sid).toBe(`SM${'a'.repeat(32)}`);
    const [sent] = server.received;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(sent.headers.authorization).toBe(
      `Basic ${Buffer.from(`${ACCOUNT_SID}:token`).toString('base64')}`,
    );
    const form = new URLSearchParams(sent.body);
    expect(form.get('Body')).toBe('a & b = c ¡sí! 💊');
    expect(form.getAll('MediaUrl')).toEqual([
      'https://example.com/a.png',
      'https://example.com/b.png',
    ]);
  });

  it('reuses one connection for creates one after another', async () => {
    server = await startServer();
    const client = new TwilioHttpClient({ baseUrl: server.baseUrl, timeoutMs: 2000 });

    for (let i = 0; i < 5; i += 1) {
      const res = await client.request({ method: 'post', uri: CREATE_URI, data: { To: `${i}` } });
      expect(res.statusCode).toBe(201);
    }

    expect(server.received).toHaveLength(5);
    expect(server.connections()).toBe(1);
  });

  it('opens no more than maxSockets connections however many creates are in flight', async () => {
    const held: ServerResponse[] = [];
    server = await startServer((_req, res) => {
      held.push(res);
      if (held.length === 2) {
        // Answer the first wave only once both sockets are busy; the rest queue for them.
        for (const r of held.splice(0)) r.end('{}');
      }
    });
    const client = new TwilioHttpClient({
      baseUrl: server.baseUrl,
      timeoutMs: 2000,
      maxSockets: 2,
    });

    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        client.request({ method: 'post', uri: CREATE_URI, data: { Body: 'x' } }),
      ),
    );

    expect(answers).toHaveLength(6);
    expect(server.received).toHaveLength(6);
    expect(server.connections()).toBe(2);
  });

  it('hands an error answer back to the SDK instead of throwing', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ code: 21211, message: 'Invalid To', status: 400 }));
    });
    const client = twilio(ACCOUNT_SID, 'token', {
      httpClient: new TwilioHttpClient({ baseUrl: server.baseUrl, timeoutMs: 2000 }),
    });

    await expect(
      client.messages.create({ to: '+1', from: '+12025550100', body: 'x' }),
    ).rejects.toMatchObject({ status: 400, code: 21211 });
  });

  it('gives up after timeoutMs with ETIMEDOUT, once, without a second request', async () => {
    server = await startServer(() => {
      // Never answers.
    });
    const client = new TwilioHttpClient({ baseUrl: server.baseUrl, timeoutMs: 300 });

    await expect(
      client.request({ method: 'post', uri: CREATE_URI, data: { Body: 'x' } }),
    ).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(server.received).toHaveLength(1);
  });

  it('keeps the network code of a refused connection', async () => {
    server = await startServer();
    const { baseUrl } = server;
    await server.close();
    server = undefined;
    const client = new TwilioHttpClient({ baseUrl, timeoutMs: 2000 });

    await expect(
      client.request({ method: 'post', uri: CREATE_URI, data: { Body: 'x' } }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
