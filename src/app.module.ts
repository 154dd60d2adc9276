import { serviceConfigs } from './config/service-configs.js';
import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { validationErrorFactory } from './common/errors/validation.js';
import { CommonModule } from './common/common.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AuditLogModule } from './audit/audit-log.module.js';
import { AuditModule } from './audit/audit.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { RedisModule } from './redis/redis.module.js';
import { ThrottlingModule } from './limits/edge/throttling.module.js';
import { ToolsModule } from './tools/tools.module.js';
import { servedTools } from './tools/tool-registry.js';
import type { ToolDefinition } from './tools/tool-definition.js';
import { platformBodyPaths, wayInModules, wayInNames, wayInTags } from './agents/ways-in.js';
import { authConfig, checkKeyPlatforms, type AuthConfig } from './config/auth.config.js';
import { PLATFORM_BODY_PATHS, WAY_IN_TAGS } from './agents/shared/platform-body.js';
import { MessagesModule } from './messages/messages.module.js';
import { ProvidersModule } from './providers/providers.module.js';
import { ProviderMountsModule } from './providers/provider-mounts.module.js';
import type { ProviderRegistration } from './providers/provider-registration.js';
import { providerRegistry } from './providers/provider-registry.js';
import { SchedulingModule } from './scheduling/scheduling.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { DoctorModule } from './doctor/doctor.module.js';
import { EventsModule } from './events/events.module.js';
import { RetentionWorkerModule } from './retention/retention-worker.module.js';

export interface AppModuleOptions {
  /** The tools to serve; the five defaults unless a deployment or a test says otherwise. */
  tools?: readonly ToolDefinition[];
  /** SMS providers besides the shipped ones (defineProvider); SMS_PROVIDER chooses among all. */
  providers?: readonly ProviderRegistration[];
}

const KEY_PLATFORMS_CHECKED = Symbol('KEY_PLATFORMS_CHECKED');

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    const tools = servedTools(options.tools);
    const providers = providerRegistry(options.providers);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          // Tests configure through the environment they set, never a developer's .env.
          ignoreEnvFile: process.env.NODE_ENV === 'test',
          load: serviceConfigs(providers),
        }),
        LoggingModule,
        MetricsModule.forRoot(),
        CommonModule,
        RedisModule,
        ThrottlingModule,
        AuthModule,
        DatabaseModule,
        // The exception filter audits refusals with AuditLogModule's RefusalAuditor.
        AuditLogModule,
        AuditModule,
        ToolsModule.forRoot(tools),
        // Every way in (src/agents/ways-in.ts), the REST one with the served tools.
        ...wayInModules(tools),
        MessagesModule,
        ProvidersModule,
        ProviderMountsModule.forRoot(providers),
        SchedulingModule,
        HealthModule,
        DoctorModule,
        RetentionWorkerModule,
        EventsModule,
      ],
      providers: [
        { provide: PLATFORM_BODY_PATHS, useValue: platformBodyPaths() },
        { provide: WAY_IN_TAGS, useValue: wayInTags() },
        {
          // At boot: a key bound to a platform that is not a registered way in is refused.
          provide: KEY_PLATFORMS_CHECKED,
          inject: [authConfig.KEY],
          useFactory: (auth: AuthConfig) => checkKeyPlatforms(auth.keys, wayInNames()),
        },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
            exceptionFactory: validationErrorFactory,
          }),
        },
      ],
    };
  }
}
