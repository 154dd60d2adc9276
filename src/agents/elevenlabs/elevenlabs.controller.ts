import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireScope } from '../../auth/auth.decorators.js';
import { ApiErrorResponses } from '../../common/errors/api-error-responses.decorator.js';
import { ElevenLabsService } from './elevenlabs.service.js';
import type { ElevenLabsToolBody } from './tool-definitions.js';

/** Names the unset variables whose placeholders stand in the body; absent when none do. */
export const PLACEHOLDERS_HEADER = 'X-ElevenLabs-Placeholders';

@ApiTags('ElevenLabs')
@RequireScope('admin')
@Controller('api/elevenlabs')
export class ElevenLabsController {
  constructor(private readonly elevenlabs: ElevenLabsService) {}

  @Get('tools')
  @ApiOperation({
    operationId: 'get_elevenlabs_tools',
    summary: 'The tools as ElevenLabs webhook tools',
    description:
      'One request body for POST /v1/convai/tools (the REST API format, not the dashboard "Tool JSON") per tool, built from this OpenAPI document. URLs start with PUBLIC_BASE_URL; the X-API-Key header refers to the workspace secret ELEVENLABS_SECRET_ID. When either is unset a placeholder stands in its place and the X-ElevenLabs-Placeholders header names it.',
  })
  @ApiOkResponse({
    description: 'An array of { tool_config } bodies.',
    headers: {
      [PLACEHOLDERS_HEADER]: {
        description: 'Unset variables replaced by placeholders, e.g. "PUBLIC_BASE_URL".',
        schema: { type: 'string' },
      },
    },
    schema: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool_config'],
        properties: {
          tool_config: {
            type: 'object',
            description: 'A webhook tool_config: name, description, api_schema, ...',
            additionalProperties: true,
          },
        },
      },
    },
  })
  @ApiErrorResponses(401, 403, 500)
  tools(@Res({ passthrough: true }) res: Response): ElevenLabsToolBody[] {
    const { tools, placeholders } = this.elevenlabs.tools();
    if (placeholders.length > 0) res.setHeader(PLACEHOLDERS_HEADER, placeholders.join(', '));
    return tools;
  }
}
