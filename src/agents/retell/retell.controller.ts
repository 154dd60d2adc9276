import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope, WayIn } from '../../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { ApiErrorResponses } from '../../common/errors/api-error-responses.decorator.js';
import { RETELL_SIGNATURE_HEADER, RetellSignatureGuard } from './retell-signature.guard.js';
import { RetellWayIn } from './retell-way-in.js';
import { RetellFunctionCallDto, RetellFunctionResultDto } from './retell.dto.js';

@ApiTags('Retell')
@RequireScope('sms.send')
@WayIn('retell')
@UseGuards(RetellSignatureGuard)
@Controller('api/retell')
export class RetellController {
  constructor(private readonly retell: RetellWayIn) {}

  @Post('custom-function')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'retell_custom_function',
    summary: 'Retell custom function: runs the named tool',
    description:
      "Runs the tool named in the body through the send pipeline, with the call's call_id as conversation_id and the patient's number (from_number inbound, to_number outbound) as caller_id (and as phone_number under RECIPIENT_POLICY=caller_only). Retell's retries (same call, function and arguments) replay the first answer. Refusals are answered 200 with result = the agent sentence and error.code = the REST code.",
  })
  @ApiHeader({
    name: RETELL_SIGNATURE_HEADER,
    required: true,
    description: "Retell's signature of the body (v=<ms>,d=<hex>), checked with RETELL_API_KEY.",
  })
  @ApiBody({ type: RetellFunctionCallDto })
  @ApiOkResponse({ type: RetellFunctionResultDto })
  @ApiErrorResponses(400, 401, 403, 413, 429, 500)
  handle(@Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<object> {
    return this.retell.handle(body, req);
  }
}
