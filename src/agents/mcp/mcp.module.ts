import { Module } from '@nestjs/common';
import { AuditLogModule } from '../../audit/audit-log.module.js';
import { CommonModule } from '../../common/common.module.js';
import { OpenApiDocumentSource } from '../../elevenlabs/openapi-document.source.js';
import { ThrottlingModule } from '../../limits/edge/throttling.module.js';
import { MetricsCoreModule } from '../../metrics/metrics-core.module.js';
import { McpController } from './mcp.controller.js';
import { McpServerService } from './mcp-server.service.js';

/** The MCP way in. The registry and the send pipeline come from the (global) SmsModule. */
@Module({
  imports: [AuditLogModule, CommonModule, ThrottlingModule, MetricsCoreModule],
  controllers: [McpController],
  providers: [McpServerService, OpenApiDocumentSource],
})
export class McpModule {}
