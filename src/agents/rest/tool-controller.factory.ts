import {
  applyDecorators,
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Req,
  Res,
  type Type,
} from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireScope, WayIn } from '../../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { toolCallerOf } from '../../auth/requester.js';
import { ApiErrorResponses } from '../../common/errors/api-error-responses.decorator.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { requestIdOf } from '../../common/http/request-id.js';
import { SendPipeline } from '../../send/send-pipeline.js';
import { OptOutResultDto } from '../../send/dto/opt-out-result.dto.js';
import { SendResultDto } from '../../send/dto/send-result.dto.js';
import { TextStatusResultDto } from '../../send/dto/text-status-result.dto.js';
import type { ToolDefinition } from '../../tools/tool-definition.js';
import { KEYED_PLATFORMS, restIdempotencyKey } from '../shared/index.js';

export const TOOLS_API_TAG = 'SMS tools';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The Idempotency-Key header (IETF draft): 1-255 visible ASCII characters, or absent; stored so
 * it never meets a key the platform ways in derive (src/agents/shared/idempotency-key.ts).
 */
function idempotencyKeyOf(req: AuthenticatedRequest, keyed: readonly string[]): string | undefined {
  const key = req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new DomainError(
      ErrorCode.VALIDATION_FAILED,
      'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      { agentMessage: "The request wasn't formed correctly, so I didn't send anything." },
    );
  }
  return restIdempotencyKey(key, keyed);
}

/**
 * The REST way in (ElevenLabs server tools, Bland, Swagger UI, curl): one controller class per
 * registered tool, POST /api/sms/<path>, documented from the tool's DTO. The body goes to the
 * send pipeline as it came; the pipeline validates it, so every way in answers alike.
 */
export function createToolController(tool: ToolDefinition): Type {
  @ApiTags(TOOLS_API_TAG)
  @RequireScope('sms.send')
  @WayIn('rest', 'elevenlabs', 'bland')
  @Controller('api/sms')
  class ToolController {
    constructor(
      readonly pipeline: SendPipeline,
      @Inject(KEYED_PLATFORMS) readonly keyedPlatforms: readonly string[],
    ) {}

    @Post(tool.path)
    @AnswerOf(tool)
    @ApiOperation({ operationId: tool.name, summary: tool.summary, description: tool.description })
    @ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        tool.kind === 'opt_out'
          ? 'Accepted and not needed: a repeat records nothing new (the number is already opted out) and answers already_opted_out: true.'
          : 'Repeat a request safely: the same key with the same body returns the stored answer (header Idempotent-Replayed: true) and sends nothing; with another body, 422; while the first is in flight, 409. Kept 24 hours.',
    })
    @ApiBody({ type: tool.requestDto })
    @ApiErrorResponses(400, 401, 403, 409, 413, 422, 429, 500, 502, 503)
    async send(
      @Body() input: unknown,
      @Req() req: AuthenticatedRequest,
      @Res({ passthrough: true }) res: Response,
    ): Promise<object> {
      const outcome = await this.pipeline.run({
        tool: tool.name,
        input,
        caller: toolCallerOf(req, 'rest'),
        idempotencyKey: idempotencyKeyOf(req, this.keyedPlatforms),
        requestId: requestIdOf(req),
      });
      res.status(outcome.status);
      for (const [name, value] of Object.entries(outcome.headers)) res.setHeader(name, value);
      return outcome.body;
    }
  }

  Object.defineProperty(ToolController, 'name', { value: `${pascalCase(tool.name)}Controller` });
  return ToolController;
}

/** A texting tool answers 201 with the send; the status and opt-out tools send nothing: 200. */
function AnswerOf(tool: ToolDefinition): MethodDecorator {
  if (tool.kind === 'opt_out') {
    return applyDecorators(
      HttpCode(HttpStatus.OK),
      ApiOkResponse({ type: OptOutResultDto, description: 'The number is opted out of texts.' }),
    );
  }
  if (tool.kind === 'status') {
    return applyDecorators(
      HttpCode(HttpStatus.OK),
      ApiOkResponse({
        type: TextStatusResultDto,
        description: "What happened to the conversation's texts, in one sentence.",
      }),
    );
  }
  return applyDecorators(
    HttpCode(HttpStatus.CREATED),
    ApiCreatedResponse({
      type: SendResultDto,
      description: 'Sent (or queued) and recorded; or the first answer, replayed for a duplicate.',
    }),
  );
}

function pascalCase(name: string): string {
  return name.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
