import { ThrottlingModule } from '../limits/edge/throttling.module.js';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyRegistry } from './api-key.registry.js';
import { AuthGuard } from './auth.guard.js';

@Module({
  imports: [ThrottlingModule],
  providers: [ApiKeyRegistry, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }],
  exports: [ApiKeyRegistry],
})
export class AuthModule {}
