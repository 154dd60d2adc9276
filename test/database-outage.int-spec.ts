import type { INestApplication } from '@nestjs/common';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { expectErrorContract } from './support/error-contract.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

/**
 * A TCP relay on 127.0.0.1 in front of PostgreSQL, so a test can take the database away
 * (close the port and cut every connection) and bring it back on the same port.
 */
class Relay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Nothing listens on the port any more, and open connections drop. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server = undefined;
  }
}

describeWithPostgres('PostgreSQL unavailable (int)', () => {
  let db: ScratchDatabase;
  let relay: Relay;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createScratchPostgres('outage');
    const target = new URL(db.url);
    relay = new Relay(target.hostname, Number(target.port || 5432));
    await relay.open();
    const throughRelay = new URL(db.url);
    throughRelay.hostname = '127.0.0.1';
    throughRelay.port = String(relay.port);
    app = await createTestApp({ env: { DATABASE_URL: throughRelay.toString() } });
  });
  afterAll(async () => {
    await relay.open();
    await app?.close();
    await relay.close();
    await db?.drop();
  });

  const send = (message: string) =>
    request(app.getHttpServer())
      .post('/api/sms/send')
      .set('X-API-Key', TEST_API_KEY)
      .send({ phone_number: '+12025550143', message });

  it('answers 503 DATABASE_UNAVAILABLE while nothing listens on the port, then sends again', async () => {
    await send('Before the outage.').expect(201);

    await relay.close();
    for (const message of ['During the outage.', 'Still down.']) {
      const res = await send(message);
      expect(res.status).toBe(503);
      expectErrorContract(res.body, 'DATABASE_UNAVAILABLE');
      expect(res.body.error.retryable).toBe(true);
      expect(res.headers['retry-after']).toBe('5');
    }

    await relay.open();
    await send('After the outage.').expect(201);
  });
});
