import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  UseGuards,
  type Type,
} from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { SendRoute } from '../../throttling/send-route.decorator.js';
import { SendThrottlerGuard } from '../../throttling/send-throttler.guard.js';
import { ApiErrorResponses } from '../../common/errors/api-error-responses.decorator.js';
import { requestIdOf } from '../../common/http/request-id.js';
import { SendResultDto } from '../dto/send-result.dto.js';
import type { ToolRequestDto } from '../dto/tool-request.dto.js';
import { SmsService } from '../sms.service.js';
import type { ToolDefinition } from './tool-definition.js';

export const TOOLS_API_TAG = 'SMS tools';

/**
 * One controller class per registered tool: POST /api/sms/<path>, validated against the
 * tool's own DTO and documented from it.
 */
export function createToolController(tool: ToolDefinition): Type {
  @ApiTags(TOOLS_API_TAG)
  @RequireScope('sms.send')
  @SendRoute()
  @UseGuards(SendThrottlerGuard)
  @Controller('api/sms')
  class ToolController {
    constructor(readonly sms: SmsService) {}

    @Post(tool.path)
    @HttpCode(HttpStatus.CREATED)
    @ApiOperation({ operationId: tool.name, summary: tool.summary, description: tool.description })
    @ApiBody({ type: tool.requestDto })
    @ApiCreatedResponse({ type: SendResultDto, description: 'Sent (or queued) and recorded.' })
    @ApiErrorResponses(400, 401, 403, 413, 422, 429, 500, 502, 503)
    send(@Body() dto: ToolRequestDto, @Req() req: AuthenticatedRequest): Promise<SendResultDto> {
      return this.sms.send(tool, dto, {
        apiKeyName: req.apiKey?.name ?? 'anonymous',
        requestId: requestIdOf(req),
      });
    }
  }

  // ValidationPipe and Swagger read the body type from here: make it this tool's DTO.
  Reflect.defineMetadata(
    'design:paramtypes',
    [tool.requestDto, Object],
    ToolController.prototype,
    'send',
  );
  Object.defineProperty(ToolController, 'name', { value: `${pascalCase(tool.name)}Controller` });
  return ToolController;
}

function pascalCase(name: string): string {
  return name.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
