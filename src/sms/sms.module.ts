import { ThrottlingModule } from '../limits/edge/throttling.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { PhoneModule } from '../policy/phone.module.js';
import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { ConsentModule } from '../consent/consent.module.js';
import { CommonModule } from '../common/common.module.js';
import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { Module, type DynamicModule } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { twilioConfig } from '../config/twilio.config.js';
import { MessageEntity } from '../messages/message.entity.js';
import { MessageStore } from '../messages/message.store.js';
import { MessagesController } from '../messages/messages.controller.js';
import { LinkPolicy } from '../policy/link-policy.js';
import { TextPolicy } from '../policy/text-policy.js';
import { RecipientPolicy } from '../policy/recipient-policy.js';
import { SandboxController } from '../providers/sandbox/sandbox.controller.js';
import { SandboxOutboxService } from '../providers/sandbox/sandbox-outbox.service.js';
import { MessagesService } from '../messages/messages.service.js';
import { DEFAULT_TOOLS } from '../tools/default-tools.js';
import { createToolController } from '../agents/rest/tool-controller.factory.js';
import type { ToolDefinition } from '../tools/tool-definition.js';
import { TOOL_DEFINITIONS, ToolRegistry } from '../tools/tool-registry.js';
import { SandboxProvider } from '../providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../providers/sms-provider.js';
import { TwilioProvider } from '../providers/twilio/twilio.provider.js';
import { ResilientProvider } from '../providers/resilient-provider.js';
import { SendScheduler } from '../scheduling/send-scheduler.js';
import { ReconciliationService } from '../messages/reconciliation.service.js';
import { MessageRenderer } from '../tools/templates/message-renderer.js';
import { createPreviewController } from '../agents/rest/preview.controller.js';
import { PreviewService } from '../send/preview.service.js';
import { AuditLogModule } from '../audit/audit-log.module.js';
import { TextLimits } from '../limits/text-limits.js';
import { ClaimStage } from '../send/claim.stage.js';
import { SendPipeline } from '../send/send-pipeline.js';
import { SettleStage } from '../send/settle.stage.js';
import { LineTypeEntity } from '../policy/line-type.entity.js';
import { LineTypeStage } from '../send/line-type.stage.js';
import { LineTypeStore } from '../policy/line-type.store.js';
import { TextStatusStage } from '../send/text-status.stage.js';
import { DispatcherService } from '../scheduling/dispatcher.service.js';
import { ScheduleStage } from '../scheduling/schedule.stage.js';
import { ReminderStage } from '../scheduling/reminder.stage.js';
import { ScheduledTextEntity } from '../scheduling/scheduled-text.entity.js';
import { ScheduledTextStore } from '../scheduling/scheduled-text.store.js';
import { withStatusTool } from '../tools/status-tool.js';

export interface SmsModuleOptions {
  /** The tools to serve; the five defaults unless a deployment or a test says otherwise. */
  tools?: readonly ToolDefinition[];
}

@Module({})
export class SmsModule {
  static forRoot({ tools: given = DEFAULT_TOOLS }: SmsModuleOptions = {}): DynamicModule {
    const tools = withStatusTool(given);
    ToolRegistry.check(tools);
    return {
      module: SmsModule,
      // Global, the one exception: a dynamic module (its tools are given to forRoot) whose
      // registry and provider the health check and the ElevenLabs export read.
      global: true,
      imports: [
        TypeOrmModule.forFeature([MessageEntity, LineTypeEntity, ScheduledTextEntity]),
        AuditLogModule,
        UnitOfWorkModule,
        CommonModule,
        ConsentModule,
        MetricsCoreModule,
        PhoneModule,
        RedisModule,
        ThrottlingModule,
      ],
      controllers: [
        ...tools.map(createToolController),
        MessagesController,
        SandboxController,
        createPreviewController(given.filter((tool) => tool.kind !== 'status')),
      ],
      providers: [
        { provide: TOOL_DEFINITIONS, useValue: tools },
        ToolRegistry,
        MessagesService,
        SendPipeline,
        ClaimStage,
        SettleStage,
        TextLimits,
        MessageStore,
        RecipientPolicy,
        LinkPolicy,
        TextPolicy,
        ResilientProvider,
        MessageRenderer,
        SendScheduler,
        ReconciliationService,
        PreviewService,
        SandboxOutboxService,
        LineTypeStage,
        LineTypeStore,
        TextStatusStage,
        ScheduleStage,
        ReminderStage,
        ScheduledTextStore,
        DispatcherService,
        {
          provide: SMS_PROVIDER,
          inject: [twilioConfig.KEY],
          useFactory: (config: ConfigType<typeof twilioConfig>) =>
            config.enabled ? new TwilioProvider(config) : new SandboxProvider(),
        },
      ],
      exports: [
        ToolRegistry,
        MessagesService,
        SendPipeline,
        MessageStore,
        SMS_PROVIDER,
        ResilientProvider,
        PhoneModule,
        DispatcherService,
      ],
    };
  }
}
