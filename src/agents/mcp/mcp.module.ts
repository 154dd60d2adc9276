import { SendModule } from '../../send/send.module.js';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditLogModule } from '../../audit/audit-log.module.js';
import { CommonModule } from '../../common/common.module.js';
import { OpenApiDocumentSource } from '../elevenlabs/openapi-document.source.js';
import { ThrottlingModule } from '../../limits/edge/throttling.module.js';
import { MetricsCoreModule } from '../../metrics/metrics-core.module.js';
import { mcpConfig } from './mcp.config.js';
import { McpController } from './mcp.controller.js';
import { McpOriginGuard } from './mcp-origin.guard.js';
import { McpServerService } from './mcp-server.service.js';

/** The MCP way in. The registry comes from the (global) ToolsModule. */
@Module({
  imports: [
    ConfigModule.forFeature(mcpConfig),
    SendModule,
    AuditLogModule,
    CommonModule,
    ThrottlingModule,
    MetricsCoreModule,
  ],
  controllers: [McpController],
  providers: [McpServerService, McpOriginGuard, OpenApiDocumentSource],
})
export class McpModule {}
