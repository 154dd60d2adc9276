#!/usr/bin/env node
// The floor under every scenario of the bench: CPU per request of a GET that answers
// {"status":"ok"} from bare express, and from a bare NestJS app on Express (one controller, no
// middleware, guard, pipe or logger), against the built app's own GET /health/live; the same
// load as the bench (autocannon, 50 connections), on 127.0.0.1, with the node that runs this.
// With DATABASE_URL and REDIS_URL set, also the client-side CPU of one PostgreSQL query and one
// Redis GET, one at a time (scenario (d) makes several of each per send).
//   node bench/checks/floor.mjs [seconds, default 6]
// Everything it starts stops when it ends.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAppEnv, startApp } from '../app-process.mjs';
import { runLoad } from '../load.mjs';

const seconds = Number(process.argv[2] ?? 6);
const self = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));

if (process.env.FLOOR_SERVER === 'express') {
  const { default: express } = await import('express');
  const app = express();
  app.get('/health/live', (_req, res) => res.json({ status: 'ok' }));
  app.listen(Number(process.env.PORT), process.env.HOST);
} else if (process.env.FLOOR_SERVER === 'nest') {
  await import('reflect-metadata');
  const { NestFactory } = await import('@nestjs/core');
  const { Controller, Get, Module } = await import('@nestjs/common');
  class HealthController {
    live() {
      return { status: 'ok' };
    }
  }
  const live = Object.getOwnPropertyDescriptor(HealthController.prototype, 'live');
  Reflect.decorate([Get('live')], HealthController.prototype, 'live', live);
  Reflect.decorate([Controller('health')], HealthController);
  class FloorModule {}
  Reflect.decorate([Module({ controllers: [HealthController] })], FloorModule);
  const app = await NestFactory.create(FloorModule, { logger: false });
  await app.listen(Number(process.env.PORT), process.env.HOST);
} else {
  const workDir = mkdtempSync(join(os.tmpdir(), 'agent-sms-gateway-floor-'));
  const apiKey = `floor-${randomBytes(16).toString('hex')}`;
  const servers = [
    { label: 'bare express', entry: self, env: { FLOOR_SERVER: 'express' } },
    { label: 'bare NestJS on Express', entry: self, env: { FLOOR_SERVER: 'nest' } },
    {
      label: 'the service (dist/main.js)',
      entry: join(root, 'dist', 'main.js'),
      env: benchAppEnv({ apiKey, sqlitePath: join(workDir, 'floor.sqlite'), limit: 10_000_000 }),
    },
  ];
  try {
    console.log(`node ${process.version}, GET /health/live, 50 connections, ${seconds} s`);
    for (const server of servers) {
      const app = await startApp({ entry: server.entry, env: server.env, cwd: workDir });
      try {
        const request = { method: 'GET', path: '/health/live' };
        await runLoad({ url: app.url, request, connections: 50, seconds: 2 });
        const before = app.cpuMs();
        const load = await runLoad({ url: app.url, request, connections: 50, seconds });
        const cpuUs = ((app.cpuMs() - before) * 1000) / Math.max(1, load.ok);
        console.log(
          `${server.label}: ${load.requestsPerSecond.toFixed(0)} req/s, ${cpuUs.toFixed(0)} µs CPU per request`,
        );
      } finally {
        await app.stop();
      }
    }
    await roundTrips();
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** CPU of this process per round trip, after a warm-up, over `count` sequential calls. */
async function cpuPerCall(count, call) {
  for (let i = 0; i < 500; i += 1) await call();
  const before = process.cpuUsage();
  for (let i = 0; i < count; i += 1) await call();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

async function roundTrips() {
  if (process.env.DATABASE_URL) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const us = await cpuPerCall(5000, () => client.query('SELECT $1::text AS v', ['x']));
      console.log(`PostgreSQL, one parameterised query: ${us.toFixed(0)} µs CPU (client side)`);
    } finally {
      await client.end();
    }
  }
  if (process.env.REDIS_URL) {
    const { Redis } = await import('ioredis');
    const redis = new Redis(process.env.REDIS_URL);
    try {
      const us = await cpuPerCall(5000, () => redis.get('floor-check'));
      console.log(`Redis, one GET: ${us.toFixed(0)} µs CPU (client side)`);
    } finally {
      redis.disconnect();
    }
  }
}
