import { ThrottlingModule } from '../limits/edge/throttling.module.js';
import { SendThrottlerGuard } from '../limits/edge/send-throttler.guard.js';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyRegistry } from './api-key.registry.js';
import { AuthGuard } from './auth.guard.js';
import { ScopeGuard } from './scope.guard.js';

/**
 * The global guards, run in this order on every route: who is calling, the per-key limit
 * (every authenticated request, so no controller can forget it), what the key may do here.
 */
@Module({
  imports: [ThrottlingModule],
  providers: [
    ApiKeyRegistry,
    AuthGuard,
    ScopeGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
    { provide: APP_GUARD, useExisting: SendThrottlerGuard },
    { provide: APP_GUARD, useExisting: ScopeGuard },
  ],
  exports: [ApiKeyRegistry],
})
export class AuthModule {}
