import { Body, Controller, HttpCode, HttpStatus, Post, Req, type Type } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { RequireScope } from '../../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { readerOf } from '../../auth/requester.js';
import { LOAD_TIME_EXAMPLES } from '../../common/dated-examples.js';
import { ApiErrorResponses } from '../../common/errors/api-error-responses.decorator.js';
import { PreviewResultDto } from '../../send/dto/preview-result.dto.js';
import { PreviewService } from '../../send/preview.service.js';
import type { ToolDefinition } from '../../tools/tool-definition.js';

/**
 * POST /api/sms/preview: the body is `{ "tool": <name>, ...that tool's fields }`, documented
 * as one schema per registered tool with `tool` as the discriminator.
 */
export function createPreviewController(tools: readonly ToolDefinition[]): Type {
  const bodies = tools.map(previewBodyOf);

  @ApiTags('Preview')
  @RequireScope('sms.send')
  @ApiExtraModels(...bodies)
  @Controller('api/sms')
  class PreviewController {
    constructor(private readonly previews: PreviewService) {}

    @Post('preview')
    @HttpCode(HttpStatus.OK)
    @ApiOperation({
      operationId: 'preview_sms',
      summary: "Show a tool's text without sending it",
      description:
        'Renders the text a tool would send, in the language asked for, with its encoding, segments and estimated cost. Validates like the tool itself; nothing is sent or stored. The text holds patient data, so each preview is recorded as a data.read audit event under the patient (never with the text).',
    })
    @ApiBody({
      schema: {
        oneOf: bodies.map((body) => ({ $ref: getSchemaPath(body) })),
        discriminator: {
          propertyName: 'tool',
          mapping: Object.fromEntries(tools.map((t, i) => [t.name, getSchemaPath(bodies[i])])),
        },
      },
      examples: {
        copay_card: {
          summary: 'A copay card in English',
          value: {
            tool: 'send_copay_card',
            phone_number: '+15555550111',
            patient_name: 'Jane Doe',
            copay_url: 'https://copay.example.com/card/abc123',
          },
        },
        appointment_es: {
          summary: 'An appointment confirmation in Spanish',
          value: {
            tool: 'send_appointment_confirmation',
            phone_number: '+15555550112',
            patient_name: 'María López',
            appointment_time: LOAD_TIME_EXAMPLES.appointment_time,
            provider_name: 'Dr. Patel',
            language: 'es',
          },
        },
      },
    })
    @ApiOkResponse({ type: PreviewResultDto, description: 'The text; nothing was sent.' })
    @ApiErrorResponses(400, 401, 403, 413, 415, 422, 500, 503)
    preview(
      @Body() body: Record<string, unknown>,
      @Req() req: AuthenticatedRequest,
    ): Promise<PreviewResultDto> {
      return this.previews.preview(body, readerOf(req));
    }
  }
  return PreviewController;
}

/** For Swagger only: the tool's DTO plus `tool`. Validation uses the tool's own DTO. */
function previewBodyOf(tool: ToolDefinition): Type {
  class PreviewBody extends tool.requestDto {
    @ApiProperty({ enum: [tool.name], example: tool.name, description: 'The tool to preview.' })
    tool: string;
  }
  const pascal = tool.name.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
  Object.defineProperty(PreviewBody, 'name', { value: `Preview${pascal}Body` });
  return PreviewBody;
}
