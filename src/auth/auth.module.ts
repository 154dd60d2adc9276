import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyRegistry } from './api-key.registry.js';
import { AuthGuard } from './auth.guard.js';

@Module({
  providers: [ApiKeyRegistry, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }],
  exports: [ApiKeyRegistry],
})
export class AuthModule {}
