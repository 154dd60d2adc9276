import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { redisConfig } from '../config/redis.config.js';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * One client for the process, or null without REDIS_URL. Commands fail at once while
 * disconnected (no offline queue) so a Redis outage fails closed quickly instead of hanging.
 */
async function createClient(config: ConfigType<typeof redisConfig>): Promise<Redis | null> {
  if (!config.url) return null;
  // Loaded only when configured: a service on SQLite and in-memory limits never needs it.
  const { Redis } = await import('ioredis');
  const client = new Redis(config.url, {
    keyPrefix: config.keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 1000,
    lazyConnect: true,
  });
  const logger = new Logger('Redis');
  client.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
  // Wait for the first connection so early requests do not fail. A Redis that is down at boot
  // does not stop the service: readiness reports it, sends fail closed, ioredis keeps retrying.
  await client
    .connect()
    .catch((error: Error) => logger.error(`Redis unreachable at boot: ${error.message}`));
  return client;
}

@Module({
  providers: [{ provide: REDIS_CLIENT, inject: [redisConfig.KEY], useFactory: createClient }],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    // quit() lets pending commands finish; a client that is not connected just stops retrying.
    if (this.client.status === 'ready') await this.client.quit().catch(() => undefined);
    this.client.disconnect(false);
  }
}
